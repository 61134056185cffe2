import { explore } from '@pagecheck/core';
import { describe, expect, it } from 'vitest';
import { runVariant, scenarios } from '../src/index.js';

// slub-isolate-movable's v2-without-barriers: Vlastimil Babka's v2 shape with the
// smp_rmb()/smp_wmb() pairs removed. Clean under sequential consistency; under the
// Linux-kernel memory model the reordered loads let rcu_free_slab through as
// movable_operations.

const scenario = scenarios.find((s) => s.id === 'slub-isolate-movable')!;
const v = scenario.variants['v2-without-barriers']!;

describe('slub-isolate-movable v2-without-barriers under the weak model', () => {
  it('is clean under sc, explored completely', () => {
    const e = explore(v.spec, { memoryModel: 'sc', stopOnFirst: false, shrink: false });
    expect(e.complete).toBe(true);
    expect(e.kinds).toEqual([]);
  });

  it('shows wild-deref under lkmm', () => {
    const e = explore(v.spec, { memoryModel: 'lkmm', until: ['wild-deref'], shrink: false, timeBudgetMs: 30_000 });
    expect(e.kinds).toContain('wild-deref');
    expect(e.stopped).toBe('until');
    expect(e.failure!.replay.split('.')).toHaveLength(5); // the token carries the weak choices
  });

  it('gives the variant a weak verdict: wild-deref expected and found', () => {
    expect(v.weak?.expected).toEqual(['wild-deref']);
    const verdict = runVariant(scenario, v);
    expect(verdict.match).toBe(true);
    expect(verdict.found).toEqual([]);
    expect(verdict.weakFound).toEqual(['wild-deref']);
    expect(verdict.weakMatch).toBe(true);
    expect(verdict.weakFailures!.map((f) => f.violation.kind)).toEqual(['wild-deref']);
  });
});
