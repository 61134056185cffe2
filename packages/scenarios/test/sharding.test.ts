import { describe, expect, it } from 'vitest';
import { explore, type RaceSpec } from '@pagecheck/core';
import { findScenario, findVariant, scenarios } from '../src/index.js';

/** The biggest exhaustive tree of the scenarios: put_compound_tail with the head unpinned, against a reallocation. */
function bigTree(): RaceSpec<never> {
  const v = findVariant(findScenario(scenarios, 'compound-lock-prep'), 'put-tail-unpinned-head');
  const spec = v.cases.find((c) => c.name.includes('realloc'));
  if (spec === undefined) throw new Error('put-tail-unpinned-head has no realloc case');
  return spec as RaceSpec<never>;
}

describe('exhaustive sharding on a scenario', () => {
  it('covers in its shards what one run covers, each shard with a share of the schedules', () => {
    const spec = bigTree();
    const single = explore(spec, { stopOnFirst: false, shrink: false });
    expect(single.complete).toBe(true);
    expect(single.schedules).toBeGreaterThan(1000);
    for (const count of [2, 4]) {
      const parts = Array.from({ length: count }, (_, index) => explore(spec, { stopOnFirst: false, shrink: false, shard: { index, count } }));
      const kinds = new Set(parts.flatMap((p) => p.kinds));
      expect([...kinds].sort()).toEqual([...single.kinds].sort());
      const total = parts.reduce((n, p) => n + p.schedules, 0);
      expect(total).toBeGreaterThanOrEqual(single.schedules);
      for (const p of parts) {
        expect(p.complete).toBe(true);
        // Deterministic, so exact; the bound says no shard is left with (nearly) the whole tree.
        expect(p.schedules).toBeLessThan(0.7 * single.schedules);
      }
    }
  });
});
