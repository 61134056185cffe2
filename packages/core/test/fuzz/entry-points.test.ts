import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explore } from '../../src/explore.js';
import { runOnce } from '../../src/run-once.js';
import { createKernel } from '../../src/kernel/kernel.js';
import { decodeToken } from '../../src/engine/token.js';
import { EXPLORE_OPTION_NAMES } from '../../src/explore-options.js';
import { GFP_KERNEL } from '../../src/kernel/gfp.js';
import type { RaceSpec } from '../../src/spec.js';
import { outcome } from './crash.js';

/** A small spec with a known violation: its failure gives real tokens to mutate. */
const leak: RaceSpec = {
  name: 'fuzz: alloc without free',
  kernel: { pages: 8 },
  threads: {
    *A(k) { yield* k.alloc_pages(GFP_KERNEL, 0); },
    *B(k) { const p = yield* k.alloc_pages(GFP_KERNEL, 0); if (p !== null) yield* k.__free_pages(p, 0); },
  },
};

/** Values of every shape: what a careless caller might pass. */
const odd = fc.oneof(
  fc.anything({ withNullPrototype: true, withBigInt: true, withBoxedValues: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, maxDepth: 2 }),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, -1, 0, 1, 2 ** 31, 2 ** 53, 1.5, '', 'exhaustive', 'lkmm', 'explore', Symbol('x'), () => 1, function* () { yield 1; }),
);

/** Option records: known names with odd values, and unknown names. */
const optionsArb = fc.dictionary(fc.oneof(fc.constantFrom(...EXPLORE_OPTION_NAMES), fc.string({ maxLength: 8 })), odd, { maxKeys: 4 });

const budget = { maxSchedules: 20, timeBudgetMs: 2_000 } as const;

describe('fuzzed inputs at the public entry points', () => {
  it('explore: arbitrary options give a result or an error naming the option', () => {
    fc.assert(
      fc.property(optionsArb, (options) => {
        const o = outcome(() => explore(leak, { ...budget, ...(options as object), ...('replay' in options ? {} : {}) }));
        if (!o.ok) expect(o.error.message).toMatch(/explore|replay|token|shard|strategy|seed|must be|failAlloc|memoryModel|spec/i);
      }),
      { numRuns: 150 },
    );
  });

  it('explore and runOnce: arbitrary specs give a result or an error naming the spec', () => {
    const spec = fc.oneof(
      odd,
      fc.record({ name: odd, threads: odd }, { requiredKeys: [] }),
      fc.record({ name: fc.string(), threads: fc.dictionary(fc.string({ maxLength: 4 }), odd, { maxKeys: 3 }), kernel: odd, setup: odd, teardown: odd, memoryModel: odd }, { requiredKeys: ['name', 'threads'] }),
    );
    fc.assert(
      fc.property(spec, (s) => {
        outcome(() => explore(s as never, budget));
        outcome(() => runOnce(s as never));
      }),
      { numRuns: 150 },
    );
  });

  it('replay tokens: arbitrary strings and mutated real tokens', () => {
    const real = explore(leak).failure!.replay;
    const mutated = fc.tuple(fc.nat({ max: real.length }), fc.nat({ max: 4 }), fc.string({ maxLength: 4 })).map(([at, cut, ins]) => real.slice(0, at) + ins + real.slice(at + cut));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 40 }), mutated, odd), (token) => {
        outcome(() => decodeToken(token as string));
        const o = outcome(() => runOnce(leak, { replay: token as string }));
        if (!o.ok) expect(o.error.message).toMatch(/token|replay/i);
        outcome(() => explore(leak, { replay: token as string }));
      }),
      { numRuns: 200 },
    );
  });

  it('kernel configs: createKernel and a spec kernel give a kernel or an error naming the field', () => {
    const config = fc.oneof(
      odd,
      fc.record(
        {
          pages: odd, maxOrder: odd, startPfn: odd, memcg: fc.oneof(odd, fc.record({ limit: odd })), overrides: odd, wrap: odd, hooks: odd,
          invariants: odd, history: odd, rcu: odd, globals: odd, pcp: fc.oneof(odd, fc.record({ high: odd, batch: odd })), cpus: odd, threadCpus: odd,
        },
        { requiredKeys: [] },
      ),
      fc.record({ pages: fc.integer({ min: -4, max: 70 }), maxOrder: fc.integer({ min: -1, max: 18 }), cpus: fc.integer({ min: -1, max: 40 }), globals: fc.integer({ min: -1, max: 8 }) }, { requiredKeys: [] }),
    );
    fc.assert(
      fc.property(config, (c) => {
        const o = outcome(() => createKernel(c as never));
        if (!o.ok) expect(o.error.message).toMatch(/kernel|config|pages|order|pfn|memcg|cpu|pcp|invariant|override|wrap|hook|globals/i);
        outcome(() => explore({ ...leak, kernel: c as never }, budget));
      }),
      { numRuns: 200 },
    );
  });

  it('invariants that return odd values are reported as violations naming the invariant', () => {
    fc.assert(
      fc.property(odd, fc.constantFrom<'step' | 'teardown'>('step', 'teardown'), (value, at) => {
        const spec: RaceSpec = { ...leak, kernel: { pages: 8, invariants: [{ name: 'odd-invariant', at, check: () => value as never }] } };
        const o = outcome(() => explore(spec, { ...budget, stopOnFirst: false }));
        if (o.ok) {
          const r = o.value as ReturnType<typeof explore>;
          for (const v of r.violations) if (v.kind === 'invariant') expect(v.message).toContain('odd-invariant');
        }
        outcome(() => runOnce(spec));
      }),
      { numRuns: 150 },
    );
  });

  it('invariant results with odd fields', () => {
    const result = fc.record({ message: odd, pfn: odd }, { requiredKeys: [] });
    fc.assert(
      fc.property(result, (value) => {
        const spec: RaceSpec = { ...leak, kernel: { pages: 8, invariants: [{ name: 'odd-result', check: () => value as never }] } };
        outcome(() => explore(spec, budget));
      }),
      { numRuns: 150 },
    );
  });
});
