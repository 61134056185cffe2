import { GFP_KERNEL, type ExploreOptions, type RaceSpec } from '@pagecheck/core';
import { describe, expectTypeOf, it } from 'vitest';
import { raceTest, type RaceTestOptions } from '../src/index.js';

const spec: RaceSpec<{ p: number }> = {
  name: 'typed spec',
  *setup(k) { return { p: (yield* k.alloc_pages(GFP_KERNEL, 0))! }; },
  threads: { *A(k, s) { yield* k.__free_pages(s.p, 0); } },
};

describe('raceTest types', () => {
  it('takes a name, a spec and options, and returns void', () => {
    expectTypeOf(raceTest).parameter(0).toEqualTypeOf<string>();
    expectTypeOf(raceTest('t', spec)).toEqualTypeOf<void>();
    expectTypeOf(raceTest.only).toEqualTypeOf(raceTest.skip);
  });

  it('takes ExploreOptions, expected kinds and Vitest test options', () => {
    raceTest('t', spec, { strategy: 'pct', seed: 1, depth: 3, maxSchedules: 10, timeBudgetMs: 100, stopOnFirst: false, shard: { index: 0, count: 2 } });
    raceTest('t', spec, { expect: ['double-free', 'memcg-leak'], timeout: 60_000, retry: 2, repeats: 1 });
    expectTypeOf<RaceTestOptions['expect']>().toEqualTypeOf<readonly import('@pagecheck/core').ViolationKind[] | undefined>();
  });

  it('accepts every option of explore, with explore\'s type', () => {
    // Fails to compile if RaceTestOptions lacks a key of ExploreOptions, and fails if a type differs.
    expectTypeOf<Pick<RaceTestOptions, keyof ExploreOptions>>().toEqualTypeOf<ExploreOptions>();
    expectTypeOf<Exclude<keyof ExploreOptions, keyof RaceTestOptions>>().toEqualTypeOf<never>();
    raceTest('t', spec, { memoryModel: 'lkmm', until: ['wild-deref'], preemptionBound: 2, reduction: false, shrink: false, maxSteps: 100 });
  });

  it('rejects options that are not', () => {
    // @ts-expect-error 'leak' is not a ViolationKind
    raceTest('t', spec, { expect: ['leak'] });
    // @ts-expect-error 'bfs' is not a strategy
    raceTest('t', spec, { strategy: 'bfs' });
    // @ts-expect-error timeout is a number
    raceTest('t', spec, { timeout: '1s' });
    // @ts-expect-error a spec needs threads
    raceTest('t', { name: 'no threads' });
  });

  it('types the spec state through to the threads', () => {
    raceTest('t', {
      name: 'state',
      setup: () => ({ n: 1 }),
      threads: {
        *A(_k, s) {
          expectTypeOf(s).toEqualTypeOf<{ n: number }>();
        },
      },
    });
  });
});
