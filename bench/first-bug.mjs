// Benchmark 5: time to the first failing schedule per strategy, for every case of every buggy
// variant of free-pages-speculative, and the time to explore every case exhaustively.
import { CORE, SCENARIOS, median, progress } from './lib.mjs';

const { explore } = await import(CORE);
const { scenarios } = await import(SCENARIOS);

const SCENARIO = 'free-pages-speculative';

function exhaustiveAll(spec) {
  return explore(spec, { strategy: 'exhaustive', stopOnFirst: false, shrink: false, timeBudgetMs: 60_000 });
}

export function benchFirstBug({ seeds = 5, cap = 20_000, capMs = 2_000, exhaustiveReps = 5 } = {}) {
  const sc = scenarios.find((s) => s.id === SCENARIO);
  if (sc === undefined) throw new Error(`no scenario ${SCENARIO}`);
  const cases = [];
  // Ground truth and exhaustive timings: every case, explored completely, collecting every kind.
  for (const [variantId, v] of Object.entries(sc.variants)) {
    for (const spec of v.cases) {
      exhaustiveAll(spec); // warm
      const runs = [];
      for (let r = 0; r < exhaustiveReps; r++) runs.push(exhaustiveAll(spec));
      const last = runs[runs.length - 1];
      cases.push({
        variant: variantId,
        expected: v.expected,
        case: spec.name.slice(spec.name.indexOf(': ') + 2),
        spec,
        exhaustive: { ms: median(runs.map((r) => r.elapsedMs)), schedules: last.schedules, complete: last.complete, kinds: last.kinds },
      });
    }
  }
  progress(`first bug: ${cases.length} cases explored exhaustively`);
  // Time to first bug, on the cases with a bug.
  for (const c of cases) {
    if (c.exhaustive.kinds.length === 0) continue;
    c.firstBug = {};
    for (const strategy of ['random', 'pct', 'pos', 'exhaustive']) {
      progress(`first bug: ${c.variant} / ${c.case} / ${strategy}`);
      const samples = [];
      let misses = 0;
      for (let seed = 1; seed <= seeds; seed++) {
        const r = explore(c.spec, { strategy, seed, stopOnFirst: true, shrink: false, maxSchedules: cap, timeBudgetMs: capMs });
        const found = r.failures.length > 0;
        samples.push({ seed, found, ms: found ? r.elapsedMs : Infinity, schedules: r.schedules, spentMs: r.elapsedMs, kind: r.failures[0]?.violation.kind });
        if (!found && ++misses > seeds / 2) break; // the median is already "not found"
      }
      const found = samples.filter((s) => s.found);
      const padded = [...samples.map((s) => s.ms), ...Array(seeds - samples.length).fill(Infinity)];
      c.firstBug[strategy] = {
        medianMs: median(padded),
        medianSchedules: median([...samples.map((s) => (s.found ? s.schedules : Infinity)), ...Array(seeds - samples.length).fill(Infinity)]),
        found: found.length,
        tried: samples.length,
        kinds: [...new Set(found.map((s) => s.kind))],
        samples,
      };
    }
  }
  // A buggy variant is found as soon as one of its cases fails: per strategy, the best case's median.
  const variants = {};
  for (const [variantId, v] of Object.entries(sc.variants)) {
    const mine = cases.filter((c) => c.variant === variantId);
    const kinds = [...new Set(mine.flatMap((c) => c.exhaustive.kinds))].sort();
    const entry = { expected: [...v.expected].sort(), found: kinds, exhaustiveMs: mine.reduce((a, c) => a + c.exhaustive.ms, 0), exhaustiveSchedules: mine.reduce((a, c) => a + c.exhaustive.schedules, 0) };
    if (v.expected.length > 0) {
      entry.firstBugMs = {};
      for (const strategy of ['random', 'pct', 'pos', 'exhaustive']) {
        entry.firstBugMs[strategy] = Math.min(...mine.filter((c) => c.firstBug).map((c) => c.firstBug[strategy].medianMs));
      }
    }
    variants[variantId] = entry;
  }
  for (const c of cases) delete c.spec;
  return { scenario: SCENARIO, seeds, cap, capMs, exhaustiveReps, cases, variants, targetBuggyMs: 100, targetCleanMs: 5_000 };
}
