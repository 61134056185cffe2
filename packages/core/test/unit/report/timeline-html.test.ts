import { describe, expect, it } from 'vitest';
import { explore } from '../../../src/explore.js';
import { timeline, type Timeline } from '../../../src/report/timeline.js';
import { timelineHtml } from '../../../src/report/timeline-html.js';
import { badSetup, checkThenFree, leak, messagePassing } from './specs.js';

const t = timeline(checkThenFree, explore(checkThenFree).failure!);
const html = timelineHtml(t, { title: 'a racy double free fails', subtitle: 'races.race.ts' });

/** The rows of the lanes table, in order, as the HTML has them. */
function rows(page: string): string[] {
  const body = page.slice(page.indexOf('<tbody>'), page.indexOf('</tbody>'));
  return body.split('\n').filter((l) => l.startsWith('<tr'));
}

describe('timelineHtml', () => {
  it('is one self-contained page: inline style and script, nothing fetched', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).toContain('<script>');
    expect(html).not.toMatch(/<(script|img|iframe)[^>]*\ssrc=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).not.toMatch(/@import/i);
    expect(html).not.toMatch(/\b(https?:)?\/\/(?!www\.w3\.org\/2000\/svg)[a-z0-9.-]+\.[a-z]{2,}/i);
  });

  it('shows the title, the violation and the replay token', () => {
    expect(html).toContain('<h1>a racy double free fails</h1>');
    expect(html).toContain('<p class="subtitle">races.race.ts</p>');
    expect(html).toContain('<span class="kind">double-free</span>');
    expect(html).toContain(`<code class="token">${t.replay}</code>`);
    expect(html).toContain(`PAGECHECK_REPLAY=${t.replay}`);
  });

  it('has a lane per thread', () => {
    for (const th of t.threads) expect(html).toContain(`data-tid="${th.tid}" scope="col"><span class="lane-name">${th.name}</span>`);
    expect(html.match(/<th class="lane /g)).toHaveLength(t.threads.length);
  });

  it('puts each step in its thread\'s column, in time order', () => {
    const stepRows = rows(html).filter((r) => r.startsWith('<tr class="step-row'));
    expect(stepRows).toHaveLength(t.steps.length);
    stepRows.forEach((r, i) => {
      const s = t.steps[i]!;
      expect(r).toContain(`data-step="${i}" data-tid="${s.tid}"`);
      // Column: the axis cell, then one cell per lane; the step is in lane s.tid.
      const cells = r.split('<td').slice(1);
      expect(cells[s.tid + 1]).toContain('class="step');
    });
  });

  it('marks the racing steps with their partners, and folds the quiet ones', () => {
    for (const s of t.steps) {
      const box = html.match(new RegExp(`<div class="([^"]*)" id="t0-s${s.index}"[^>]*>`))![0];
      if (s.races.length > 0) {
        expect(box).toContain('racing');
        expect(box).toContain(`data-races="${s.races.join(' ')}"`);
      } else {
        expect(box).not.toContain('racing');
        expect(box).not.toContain('data-races');
      }
    }
    expect(html).toContain('<svg class="links" aria-hidden="true"></svg>');
    const quiet = rows(html).filter((r) => r.startsWith('<tr class="step-row quiet"'));
    expect(quiet.length).toBeGreaterThan(0);
    for (const r of quiet) expect(r).not.toContain('racing');
  });

  it('lists every racing pair by word', () => {
    for (const r of t.races) expect(html).toContain(`<tr class="race-row" data-a="${r.a}" data-b="${r.b}"><td class="mono">${r.location.name.replace('>', '&gt;')}</td>`);
    expect(html).toContain(`Racing accesses (${t.races.length})`);
  });

  it('marks the violation right after the step that exposed it, in its lane', () => {
    const all = rows(html);
    const at = all.findIndex((r) => r.startsWith('<tr class="violation-row"'));
    expect(at).toBeGreaterThan(0);
    expect(all.filter((r) => r.startsWith('<tr class="violation-row"'))).toHaveLength(1);
    expect(all[at - 1]).toContain(`data-step="${t.violation.after}"`);
    const cells = all[at]!.split('<td').slice(1);
    expect(cells[t.violation.tid + 1]).toContain('<div class="violation-marker" id="t0-violation"><b>✖ double-free</b>');
    expect(html).toContain(`id="t0-s${t.violation.after}"`);
    expect(html).toMatch(new RegExp(`<div class="step [^"]*after-violation[^"]*" id="t0-s${t.violation.after}"`));
  });

  it('marks a violation of no thread (teardown, setup) across every lane', () => {
    const w = timeline(leak, explore(leak).failure!);
    const all = rows(timelineHtml(w));
    const last = all.length - 1;
    expect(all[last]).toMatch(/^<tr class="violation-row"><td class="axis">✖<\/td><td class="lane-cell" colspan="2"><div class="violation-marker"/);
    const early = rows(timelineHtml(timeline(badSetup, explore(badSetup).failure!)));
    expect(early).toHaveLength(1);
    expect(early[0]).toContain('colspan="1"><div class="violation-marker" id="t0-violation"><b>✖ thread-error</b>setup threw Error: no memory');
  });

  it('shows the page history with links to the steps', () => {
    expect(html).toContain('Page history of P0 (pfn:8), oldest first');
    for (const e of t.history!.events.filter((x) => x.step > 0)) expect(html).toContain(`href="#t0-s${e.step - 1}">#${e.step}</a>`);
  });

  it('escapes what it shows', () => {
    const nasty: Timeline = { ...t, spec: '<img src=x onerror=alert(1)>', violation: { ...t.violation, message: '"quoted" & <b>' } };
    const page = timelineHtml(nasty);
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('&quot;quoted&quot; &amp; &lt;b&gt;');
  });

  it('puts several failures on one page, each in its own section', () => {
    const w = timeline(messagePassing, explore(messagePassing).failure!);
    const page = timelineHtml([t, w], { title: 'two failures' });
    expect(page.match(/<section class="failure"/g)).toHaveLength(2);
    expect(page).toContain('<section class="failure" id="t1" data-spec="message passing without barriers" data-kind="thread-error">');
    expect(page).toContain('<a href="#t0">double-free</a><a href="#t1">thread-error</a>');
    expect(page).toContain('id="t1-s0"');
    expect(() => timelineHtml([])).toThrow(RangeError);
  });
});
