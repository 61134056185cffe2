// Benchmark 9: the sampling strategies against each other on every buggy variant of every scenario:
// schedules (and time) until each case shows every kind exhaustive search finds in it, seed 7.
import { CORE, SCENARIOS, progress } from './lib.mjs';

const { explore } = await import(CORE);
const { scenarios } = await import(SCENARIOS);

export const STRATEGIES = ['random', 'pct', 'pos'];

export function benchStrategies({ seed = 7, maxSchedules = 20_000, timeBudgetMs = 5_000 } = {}) {
  const rows = [];
  for (const sc of scenarios) {
    for (const v of Object.values(sc.variants)) {
      if (v.expected.length === 0) continue;
      const wants = v.cases.map((c) => explore(c, { stopOnFirst: false, shrink: false }).kinds);
      const want = [...new Set(wants.flat())].sort();
      if (want.length === 0) continue; // a documented divergence: nothing to find
      const row = { scenario: sc.id, variant: v.id, want, strategies: {} };
      for (const strategy of STRATEGIES) {
        progress(`strategies: ${sc.id} / ${v.id} / ${strategy}`);
        let schedules = 0;
        let ms = 0;
        const found = new Set();
        v.cases.forEach((c, i) => {
          if (wants[i].length === 0) return;
          const r = explore(c, { strategy, seed, until: wants[i], maxSchedules, timeBudgetMs, shrink: false });
          schedules += r.schedules;
          ms += r.elapsedMs;
          r.kinds.forEach((k) => found.add(k));
        });
        row.strategies[strategy] = { schedules, ms, found: [...found].sort(), all: want.every((k) => found.has(k)) };
      }
      rows.push(row);
    }
  }
  return { seed, maxSchedules, timeBudgetMs, rows };
}
