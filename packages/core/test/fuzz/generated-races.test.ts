import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explore } from '../../src/explore.js';
import { runOnce } from '../../src/run-once.js';
import { planArb, specOf } from './generated-specs.js';

const RUNS = Number(process.env.PAGECHECK_GEN_RUNS ?? 16);
/** Plain DFS's budget per plan: enough for most generated plans, small enough for CI. */
const DFS_BUDGET = { maxSchedules: 4_000, timeBudgetMs: 20_000 } as const;

describe('generated races from the kernel functions', () => {
  it('DPOR and plain DFS find the same kinds, and every violation replays from its token', { timeout: 600_000 }, () => {
    let compared = 0;
    fc.assert(
      fc.property(planArb(), (plan) => {
        const spec = specOf(plan);
        const failAlloc = plan.failAlloc ? ({ failAlloc: 'explore' } as const) : {};
        const dpor = explore(spec, { ...failAlloc, stopOnFirst: false, shrink: false, timeBudgetMs: 60_000 });
        expect(dpor.complete, `DPOR did not finish on ${spec.name}`).toBe(true);
        const dfs = explore(spec, { ...failAlloc, ...DFS_BUDGET, reduction: false, stopOnFirst: false, shrink: false });
        // Whatever plain DFS finds, the reduced search finds; once DFS has covered everything, they agree.
        for (const kind of dfs.kinds) expect(dpor.kinds, `${spec.name}: plain DFS found ${kind}`).toContain(kind);
        if (dfs.complete) {
          compared++;
          expect(dpor.kinds, spec.name).toEqual(dfs.kinds);
          expect(dpor.schedules).toBeLessThanOrEqual(dfs.schedules);
        }
        for (const f of [...dpor.failures, ...dfs.failures]) {
          const again = runOnce(spec, { replay: f.replay });
          expect(again.kinds, `${spec.name}: token ${f.replay}`).toContain(f.violation.kind);
        }
      }),
      { numRuns: RUNS, endOnFailure: true, seed: Number(process.env.PAGECHECK_GEN_SEED ?? 20261206) },
    );
    // Many plans are small enough for plain DFS to finish in its budget: the comparison is not vacuous.
    expect(compared).toBeGreaterThanOrEqual(Math.ceil(RUNS / 3));
  });
});
