import { GFP_KERNEL, type ExploreOptions, type RaceSpec } from '@pagecheck/core';
import { describe, expectTypeOf, it } from 'vitest';
import { raceTest, type RaceTestAPI, type RaceTestOptions } from '../src/index.js';

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

  it('has Vitest\'s modifiers, chainable', () => {
    expectTypeOf(raceTest.skip).toEqualTypeOf<RaceTestAPI>();
    expectTypeOf(raceTest.concurrent.fails).toEqualTypeOf<RaceTestAPI>();
    expectTypeOf(raceTest.skipIf(process.env.CI)).toEqualTypeOf<RaceTestAPI>();
    expectTypeOf(raceTest.runIf(true).only).toEqualTypeOf<RaceTestAPI>();
    raceTest.todo('later');
    raceTest.todo('later', spec, { maxSchedules: 5 });
    raceTest.fails('buggy', spec, { replay: 'pc1.1udj9nr.2.a63b2' });
    // @ts-expect-error .todo still needs a name
    raceTest.todo();
    // @ts-expect-error replay is a token string
    raceTest('t', spec, { replay: 1 });
  });

  it('types the rows of .each through to the spec function', () => {
    raceTest.each([
      [0, 'a'],
      [2, 'b'],
    ])('order %i', (order, label) => {
      expectTypeOf(order).toEqualTypeOf<number>();
      expectTypeOf(label).toEqualTypeOf<string>();
      return spec;
    });
    raceTest.each([0, 2])('order %i', (order) => {
      expectTypeOf(order).toEqualTypeOf<number>();
      return spec;
    }, { expect: ['page-leak'] });
    raceTest.each([{ order: 0 }])('order $order', ({ order }) => {
      expectTypeOf(order).toEqualTypeOf<number>();
      return spec;
    });
    raceTest.skip.each([1])('a fixed spec for every row', spec);
    raceTest.each`
      order | gfp
      ${0}  | ${1}
    `('order $order', ({ order }) => (order === 0 ? spec : spec));
    // @ts-expect-error the spec function returns a spec
    raceTest.each([1])('t', (n) => n);
    // @ts-expect-error rows are spread: the second argument is a string
    raceTest.each([[1, 'a']])('t', (_n: number, _s: number) => spec);
  });
});
