// Benchmark 10: what a user gets without choosing anything. For every buggy variant of every
// scenario, `explore(case)` with no options (under the weak model, `{ memoryModel: 'lkmm' }`
// only), case after case until one fails: the wall-clock time until the first failure is
// reported (shrinking and the diagram included, as the user waits for them), median of `reps`.
import { CORE, SCENARIOS, median, progress } from './lib.mjs';

const { explore, EXPLORE_DEFAULTS } = await import(CORE);
const { scenarios } = await import(SCENARIOS);

function firstBug(cases, options) {
  const t = performance.now();
  for (const spec of cases) {
    const e = explore(spec, options);
    if (e.violations.length > 0) return { ms: performance.now() - t, kinds: [...new Set(e.violations.map((v) => v.kind))].sort(), schedules: e.schedules };
  }
  return { ms: Infinity, kinds: [], schedules: 0 };
}

export function benchDefaults({ reps = 5 } = {}) {
  const rows = [];
  for (const sc of scenarios) {
    for (const v of Object.values(sc.variants)) {
      const runs = [];
      if (v.expected.length > 0) runs.push({ model: 'sc', options: undefined, expected: v.expected });
      if (v.weak !== undefined && v.weak.expected.length > 0) runs.push({ model: 'lkmm', options: { memoryModel: 'lkmm' }, expected: v.weak.expected });
      for (const r of runs) {
        progress(`defaults: ${sc.id} / ${v.id} (${r.model})`);
        const samples = [];
        for (let i = 0; i < reps; i++) samples.push(firstBug(v.cases, r.options));
        const last = samples[samples.length - 1];
        rows.push({
          scenario: sc.id, variant: v.id, model: r.model, expected: [...r.expected].sort(), found: last.kinds,
          ok: last.kinds.some((k) => r.expected.includes(k)), ms: median(samples.map((s) => s.ms)), schedules: last.schedules,
        });
      }
    }
  }
  return { strategy: EXPLORE_DEFAULTS.strategy, reps, rows, medianMs: median(rows.map((r) => r.ms)), targetMs: 100 };
}
