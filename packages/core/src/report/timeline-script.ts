/**
 * The script of the HTML failure timeline (inlined: the report needs no network).
 * It draws the links between racing steps (an SVG over the lanes, measured from
 * the laid-out steps), highlights a racing step and its partners on hover, focus
 * or click (a click pins the highlight), and folds or unfolds the quiet steps.
 * Without it the report still reads: each racing step lists its partners, and
 * the table of racing accesses names every pair.
 */
export const TIMELINE_SCRIPT = `
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';

  function setup(sec) {
    var wrap = sec.querySelector('.timeline-wrap');
    var svg = wrap.querySelector('svg.links');
    var steps = {};
    sec.querySelectorAll('.step[data-step]').forEach(function (el) { steps[el.getAttribute('data-step')] = el; });
    var pinned = null;
    var hovered = null;

    function partnersOf(i) {
      var el = steps[i];
      var r = el ? el.getAttribute('data-races') : '';
      return r ? r.split(' ') : [];
    }

    function laneOf(el) { return Number(el.getAttribute('data-tid')); }

    function draw() {
      while (svg.firstChild) svg.removeChild(svg.firstChild);
      var box = wrap.getBoundingClientRect();
      var table = wrap.querySelector('table');
      svg.setAttribute('width', String(table.offsetWidth));
      svg.setAttribute('height', String(table.offsetHeight));
      Object.keys(steps).forEach(function (a) {
        partnersOf(a).forEach(function (b) {
          if (Number(b) <= Number(a)) return;
          var ea = steps[a], eb = steps[b];
          if (!ea || !eb || ea.offsetParent === null || eb.offsetParent === null) return;
          var ra = ea.getBoundingClientRect(), rb = eb.getBoundingClientRect();
          var rightward = laneOf(ea) < laneOf(eb);
          var x1 = (rightward ? ra.right : ra.left) - box.left;
          var x2 = (rightward ? rb.left : rb.right) - box.left;
          var y1 = ra.top + ra.height / 2 - box.top;
          var y2 = rb.top + rb.height / 2 - box.top;
          var dx = Math.max(24, Math.abs(x2 - x1) / 2) * (rightward ? 1 : -1);
          var path = document.createElementNS(SVG, 'path');
          path.setAttribute('class', 'race');
          path.setAttribute('data-a', a);
          path.setAttribute('data-b', b);
          path.setAttribute('d', 'M' + x1 + ' ' + y1 + ' C' + (x1 + dx) + ' ' + y1 + ' ' + (x2 - dx) + ' ' + y2 + ' ' + x2 + ' ' + y2);
          svg.appendChild(path);
          [[x1, y1], [x2, y2]].forEach(function (p) {
            var c = document.createElementNS(SVG, 'circle');
            c.setAttribute('class', 'end');
            c.setAttribute('data-a', a);
            c.setAttribute('data-b', b);
            c.setAttribute('cx', String(p[0]));
            c.setAttribute('cy', String(p[1]));
            c.setAttribute('r', '3');
            svg.appendChild(c);
          });
        });
      });
    }

    function clear() {
      sec.classList.remove('focusing');
      sec.querySelectorAll('.active, .partner').forEach(function (el) { el.classList.remove('active', 'partner'); });
    }

    function focusStep(i, only) {
      clear();
      var el = steps[i];
      if (!el) return;
      sec.classList.add('focusing');
      el.classList.add('active');
      partnersOf(i).forEach(function (p) {
        if (only !== undefined && p !== only) return;
        if (steps[p]) steps[p].classList.add('partner');
      });
      svg.querySelectorAll('.race, .end').forEach(function (l) {
        var a = l.getAttribute('data-a'), b = l.getAttribute('data-b');
        if ((a === i && (only === undefined || b === only)) || (b === i && (only === undefined || a === only))) l.classList.add('active');
      });
      sec.querySelectorAll('tr.race-row').forEach(function (row) {
        var a = row.getAttribute('data-a'), b = row.getAttribute('data-b');
        if ((a === i || b === i) && (only === undefined || a === only || b === only)) row.classList.add('active');
      });
    }

    // What is highlighted: the step or pair under the pointer (or keyboard focus), else the pinned one.
    function restore() {
      var target = hovered !== null ? hovered : pinned;
      if (target === null) clear();
      else focusStep(target[0], target[1]);
    }

    function enter(i, only) { hovered = [i, only]; restore(); }
    function leave() { hovered = null; restore(); }

    sec.querySelectorAll('.step.racing').forEach(function (el) {
      var i = el.getAttribute('data-step');
      el.addEventListener('mouseenter', function () { enter(i); });
      el.addEventListener('focus', function () { enter(i); });
      el.addEventListener('mouseleave', leave);
      el.addEventListener('blur', leave);
      el.addEventListener('click', function () {
        pinned = pinned !== null && pinned[0] === i && pinned[1] === undefined ? null : [i, undefined];
        restore();
      });
      el.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); el.click(); }
      });
    });

    sec.querySelectorAll('tr.race-row').forEach(function (row) {
      var a = row.getAttribute('data-a'), b = row.getAttribute('data-b');
      row.addEventListener('mouseenter', function () { enter(a, b); });
      row.addEventListener('mouseleave', leave);
      row.addEventListener('click', function () {
        pinned = [a, b];
        restore();
        if (steps[a]) steps[a].scrollIntoView({ block: 'center', behavior: 'smooth' });
      });
    });

    var all = sec.querySelector('input.show-all');
    if (all) all.addEventListener('change', function () {
      sec.classList.toggle('show-all', all.checked);
      draw();
      restore();
    });

    // A link to a folded step unfolds the steps first.
    sec.querySelectorAll('a.step-link').forEach(function (link) {
      link.addEventListener('click', function () {
        var el = steps[link.getAttribute('data-step')];
        if (all && el && el.offsetParent === null) {
          all.checked = true;
          sec.classList.add('show-all');
          draw();
          restore();
        }
      });
    });

    sec.querySelectorAll('button.copy').forEach(function (btn) {
      btn.addEventListener('click', function () {
        var text = btn.getAttribute('data-text') || '';
        var done = function () { btn.textContent = 'copied'; setTimeout(function () { btn.textContent = 'copy'; }, 1200); };
        if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(done, function () {});
      });
    });

    draw();
    window.addEventListener('resize', function () { draw(); restore(); });
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(function () { draw(); restore(); });
  }

  document.querySelectorAll('section.failure').forEach(setup);
  document.documentElement.setAttribute('data-ready', 'true');
})();
`;
