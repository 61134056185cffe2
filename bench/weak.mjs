// Benchmark 7: the weak memory model's cost. The same specs explored under memoryModel 'sc' and
// 'lkmm' in one run: kernel litmus tests (checkLitmus, exhaustive), free-pages-speculative
// (462a8e08e0e6, GFP_KERNEL | __GFP_COMP, order 2, exhaustive) and slub-isolate-movable's
// v2-without-barriers (exhaustive under sc; under lkmm until wild-deref, with a time budget).
import { CORE, ENGINE, SCENARIOS, median, progress } from './lib.mjs';

const { explore, GFP_KERNEL, __GFP_COMP } = await import(CORE);
const engine = await import(ENGINE);
const { speculativeRace, freePagesRevisions, scenarios } = await import(SCENARIOS);
const { checkLitmus, litmus: { READ_ONCE, WRITE_ONCE, smp_mb } } = engine;

/** Ports of tools/memory-model/litmus-tests (as in packages/core/test/unit/memory-model/kernel-litmus.ts). */
const LITMUS = [
  {
    name: 'MP+poonceonces', result: 'Sometimes', locations: ['buf', 'flag'],
    threads: [
      function* (l) { yield WRITE_ONCE(l.buf, 1); yield WRITE_ONCE(l.flag, 1); },
      function* (l, r) { r.r0 = yield READ_ONCE(l.flag); r.r1 = yield READ_ONCE(l.buf); },
    ],
    exists: '1:r0=1 /\\ 1:r1=0',
  },
  {
    name: 'SB+fencembonceonces', result: 'Never', locations: ['x', 'y'],
    threads: [
      function* (l, r) { yield WRITE_ONCE(l.x, 1); yield smp_mb(); r.r0 = yield READ_ONCE(l.y); },
      function* (l, r) { yield WRITE_ONCE(l.y, 1); yield smp_mb(); r.r0 = yield READ_ONCE(l.x); },
    ],
    exists: '0:r0=0 /\\ 1:r0=0',
  },
  {
    name: 'LB+poonceonces', result: 'Sometimes', locations: ['x', 'y'],
    threads: [
      function* (l, r) { r.r0 = yield READ_ONCE(l.x); yield WRITE_ONCE(l.y, 1); },
      function* (l, r) { r.r0 = yield READ_ONCE(l.y); yield WRITE_ONCE(l.x, 1); },
    ],
    exists: '0:r0=1 /\\ 1:r0=1',
  },
  {
    name: 'IRIW+poonceonces+OnceOnce', result: 'Sometimes', locations: ['x', 'y'],
    threads: [
      function* (l) { yield WRITE_ONCE(l.x, 1); },
      function* (l, r) { r.r0 = yield READ_ONCE(l.x); r.r1 = yield READ_ONCE(l.y); },
      function* (l) { yield WRITE_ONCE(l.y, 1); },
      function* (l, r) { r.r0 = yield READ_ONCE(l.y); r.r1 = yield READ_ONCE(l.x); },
    ],
    exists: '1:r0=1 /\\ 1:r1=0 /\\ 3:r0=1 /\\ 3:r1=0',
  },
];

function timed(fn) {
  const t0 = performance.now();
  const r = fn();
  return { r, ms: performance.now() - t0 };
}

function litmusRow(test, reps) {
  const side = (mm) => {
    checkLitmus(test, { memoryModel: mm }); // warm up
    const samples = [];
    for (let i = 0; i < reps; i++) samples.push(timed(() => checkLitmus(test, { memoryModel: mm })));
    const { r } = samples[0];
    return { verdict: r.verdict, schedules: r.schedules, pruned: r.pruned, complete: r.complete, ms: median(samples.map((s) => s.ms)), found: r.verdict === 'Sometimes' ? ['exists'] : [] };
  };
  return { case: test.name, kind: 'litmus (exhaustive)', expected: test.result, sc: side('sc'), lkmm: side('lkmm') };
}

function exploreSide(spec, options, reps = 1) {
  const samples = [];
  for (let i = 0; i < reps; i++) samples.push(timed(() => explore(spec, { strategy: 'exhaustive', stopOnFirst: false, shrink: false, ...options })));
  const { r } = samples[0];
  return { schedules: r.schedules, pruned: r.pruned, complete: r.complete, ms: median(samples.map((s) => s.ms)), found: r.kinds, ...(r.stopped === undefined ? {} : { stopped: r.stopped }) };
}

export function benchWeak({ litmusReps = 5, specReps = 3, slubBudgetMs = 20_000 } = {}) {
  const rows = [];
  for (const test of LITMUS) {
    progress(`weak: litmus ${test.name}, sc and lkmm, ${litmusReps} reps`);
    rows.push(litmusRow(test, litmusReps));
  }

  progress(`weak: free-pages-speculative 462a8e08e0e6, compound order 2, sc and lkmm, ${specReps} reps`);
  const spec = speculativeRace('bench', freePagesRevisions.fix462a8e08e0e6, GFP_KERNEL | __GFP_COMP, 2);
  explore(spec, { strategy: 'exhaustive', stopOnFirst: false, shrink: false, memoryModel: 'lkmm', timeBudgetMs: 30_000 }); // warm up
  rows.push({
    case: 'free-pages-speculative 462a8e08e0e6 (GFP_KERNEL|__GFP_COMP, order 2)',
    kind: 'spec (exhaustive)',
    sc: exploreSide(spec, { memoryModel: 'sc', timeBudgetMs: 30_000 }, specReps),
    lkmm: exploreSide(spec, { memoryModel: 'lkmm', timeBudgetMs: 30_000 }, specReps),
  });

  progress(`weak: slub-isolate-movable v2-without-barriers, sc exhaustive, lkmm until wild-deref (budget ${slubBudgetMs / 1000} s)`);
  // isolateVsSlab with v2's isolate_movable_page and SLUB without their barriers (the variant's spec).
  const slub = scenarios.find((s) => s.id === 'slub-isolate-movable').variants['v2-without-barriers'].spec;
  rows.push({
    case: 'slub-isolate-movable v2-without-barriers',
    kind: 'sc exhaustive; lkmm until wild-deref',
    sc: exploreSide(slub, { memoryModel: 'sc', timeBudgetMs: 30_000 }),
    lkmm: exploreSide(slub, { memoryModel: 'lkmm', until: ['wild-deref'], timeBudgetMs: slubBudgetMs }),
  });
  for (const x of rows) x.ratio = x.lkmm.ms / x.sc.ms;
  return { rows, slubBudgetMs, litmusReps, specReps };
}
