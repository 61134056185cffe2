import { describe, expect, it } from 'vitest';
import { explore, EXPLORE_DEFAULTS } from '@pagecheck/core';
import { scenarios } from '../src/index.js';

// What a user gets without choosing anything: `explore(spec)` with no options (under the
// weak model, only `memoryModel: 'lkmm'`). Every buggy variant must fail in at least one of
// its cases, with a kind the variant is expected to have. The time this takes is a benchmark
// figure (bench section 5d, docs/benchmarks.md), not an assertion here.
describe('the default strategy with default options', () => {
  it('is the strategy the docs name', () => {
    expect(EXPLORE_DEFAULTS.strategy).toBe('exhaustive');
  });

  for (const scenario of scenarios) {
    for (const variant of Object.values(scenario.variants)) {
      if (variant.expected.length > 0) {
        it(`finds a bug in ${scenario.id} / ${variant.id}`, () => {
          const kinds = new Set<string>();
          for (const spec of variant.cases) {
            for (const v of explore(spec).violations) kinds.add(v.kind);
            if (kinds.size > 0) break;
          }
          expect([...kinds].filter((k) => variant.expected.includes(k as never))).not.toEqual([]);
        });
      }
      if (variant.weak !== undefined && variant.weak.expected.length > 0) {
        const weak = variant.weak;
        it(`finds a bug in ${scenario.id} / ${variant.id} under lkmm`, () => {
          const kinds = new Set<string>();
          for (const spec of variant.cases) {
            for (const v of explore(spec, { memoryModel: 'lkmm' }).violations) kinds.add(v.kind);
            if (kinds.size > 0) break;
          }
          expect([...kinds].filter((k) => weak.expected.includes(k as never))).not.toEqual([]);
        });
      }
    }
  }
});
