import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findScenario, scenarios } from '../src/index.js';
import { ORDER1_LAYOUT, ORDER2_LAYOUT, order1SplitRace } from '../src/anon/order1-split.js';
import { PAGE_SIZE, PTRS_PER_PTE, calc_anonymous_folio_order, calc_anonymous_folio_order_rfc, type VmFault } from '../src/anon/calc-order.js';
import { EXHAUSTIVE, calcOf, explore, summary, twinSource } from './c-twins.js';

/**
 * anon-order1-split's two calc_anonymous_folio_order() revisions as C (the
 * fixed one verbatim from seed 004), compiled with cFunction(): the same
 * result as the TypeScript functions on any fault, and the same verdict,
 * schedule count and diagrams in the scenario's races.
 */

const scenario = findScenario(scenarios, 'anon-order1-split');
const TWINS = { 'rfc-allows-order1': calc_anonymous_folio_order_rfc, 'never-order1': (vmf: VmFault, o: number) => calc_anonymous_folio_order(vmf, o) } as const;

/** A fault in a VMA of up to 32 pages inside one PMD, with some ptes present. */
const fault = fc.record({ start: fc.integer({ min: 0, max: 480 }), pages: fc.integer({ min: 1, max: 32 }), at: fc.nat(), present: fc.array(fc.nat({ max: 31 }), { maxLength: 8 }), want: fc.integer({ min: 0, max: 9 }) })
  .map(({ start, pages, at, present, want }) => {
    const base = 0x40000000 + start * PAGE_SIZE;
    const ptes = new Array<boolean>(PTRS_PER_PTE).fill(false);
    for (const i of present) if (i < pages) ptes[start + i] = true;
    const vmf: VmFault = { vma: { vm_start: base, vm_end: base + pages * PAGE_SIZE }, address: base + (at % pages) * PAGE_SIZE, ptes };
    return { vmf, want };
  });

describe('C twins of calc_anonymous_folio_order()', () => {
  it('cover both variants of anon-order1-split', () => {
    expect(Object.keys(TWINS).sort()).toEqual(Object.keys(scenario.variants).sort());
  });

  for (const [id, ts] of Object.entries(TWINS)) {
    const calc = calcOf(`${id}.c`, twinSource('anon-order1-split', id));

    it(`${id}: the C computes what the TypeScript computes, on any fault`, () => {
      fc.assert(fc.property(fault, ({ vmf, want }) => {
        expect(calc(vmf, want)).toEqual(ts(vmf, want));
      }), { numRuns: 300 });
    });

    it(`${id}: same verdict, schedules and diagrams as the TypeScript variant in each case`, () => {
      const tsCases = scenario.variants[id]!.cases;
      const cCases = [order1SplitRace(`${id}: ${ORDER1_LAYOUT.name}`, calc, ORDER1_LAYOUT), order1SplitRace(`${id}: ${ORDER2_LAYOUT.name}`, calc, ORDER2_LAYOUT)];
      expect(cCases.map((c) => c.name)).toEqual(tsCases.map((c) => c.name));
      cCases.forEach((c, i) => {
        const a = summary(explore(tsCases[i]!, EXHAUSTIVE), []);
        const b = summary(explore(c, EXHAUSTIVE), []);
        expect(a.complete).toBe(true);
        expect(b).toEqual(a);
      });
    });
  }
});
