import { describe, expect, it } from 'vitest';
import { runVariant, scenarios } from '../src/index.js';

describe('the verdict matrix', () => {
  for (const scenario of scenarios) {
    describe(scenario.id, () => {
      for (const variant of Object.values(scenario.variants)) {
        it(`${variant.id}: the model finds ${variant.divergence === undefined ? 'the expected violations' : 'its documented divergence'}`, () => {
          const verdict = runVariant(scenario, variant);
          expect(verdict.complete).toBe(true);
          if (variant.divergence === undefined) {
            expect(verdict.found).toEqual([...variant.expected].sort());
            expect(verdict.match).toBe(true);
          } else {
            expect(verdict.found).toEqual([...variant.divergence.found].sort());
            expect(verdict.documented).toBe(true);
          }
          if (variant.weak === undefined) {
            expect(verdict.weakFound).toBeUndefined();
          } else {
            // Under lkmm: the expected kinds (until found), or none within the variant's budget.
            expect(verdict.weakFound).toEqual([...variant.weak.expected].sort());
            expect(verdict.weakMatch).toBe(true);
            if (!verdict.weakComplete && variant.weak.expected.length === 0) expect(variant.weak.note).toMatch(/within/);
          }
        });
      }
    });
  }
});

describe('scenario shape', () => {
  it('gives every scenario sources, a story and variants in patch order', () => {
    for (const s of scenarios) {
      expect(s.sources.threads.length).toBeGreaterThan(0);
      expect(s.story.length).toBeGreaterThan(100);
      expect(Object.keys(s.variants).length).toBeGreaterThan(1);
      for (const [id, v] of Object.entries(s.variants)) {
        expect(v.id).toBe(id);
        expect(v.spec).toBe(v.cases[0]);
      }
    }
  });

  it('has unique scenario ids', () => {
    expect(new Set(scenarios.map((s) => s.id)).size).toBe(scenarios.length);
  });
});
