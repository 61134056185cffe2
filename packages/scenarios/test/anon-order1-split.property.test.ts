import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  PAGE_SIZE, PMD_SHIFT, PMD_SIZE, PTRS_PER_PTE, calc_anonymous_folio_order, calc_anonymous_folio_order_rfc,
  type FolioOrder, type VmFault,
} from '../src/anon/calc-order.js';

/** A fault: a VMA around one PMD (it may start before it and end after it), an address in it, its none pte, some present ptes. */
const faultArb = fc
  .record({
    pmd: fc.integer({ min: 1, max: 64 }),
    start: fc.integer({ min: -700, max: PTRS_PER_PTE - 1 }),
    length: fc.integer({ min: 1, max: 1400 }),
    at: fc.nat(),
    present: fc.uniqueArray(fc.integer({ min: 0, max: PTRS_PER_PTE - 1 }), { maxLength: 40 }),
    order_out: fc.integer({ min: 0, max: PMD_SHIFT - 12 + 2 }),
  })
  .map(({ pmd, start, length, at, present, order_out }) => {
    const base = pmd * PMD_SIZE;
    // The fault is in this PMD and in the VMA.
    const first = Math.max(start, 0);
    const last = Math.min(start + length, PTRS_PER_PTE) - 1;
    return { base, start, length, first, last, at, present, order_out };
  })
  .filter(({ first, last }) => first <= last)
  .map(({ base, start, length, first, last, at, present, order_out }): { vmf: VmFault; order_out: number } => {
    const index = first + (at % (last - first + 1));
    const ptes = new Array<boolean>(PTRS_PER_PTE).fill(false);
    for (const p of present) ptes[p] = true;
    // do_anonymous_page() only runs for a none pte.
    ptes[index] = false;
    return {
      vmf: { vma: { vm_start: base + start * PAGE_SIZE, vm_end: base + (start + length) * PAGE_SIZE }, address: base + index * PAGE_SIZE, ptes },
      order_out,
    };
  });

type Calc = (vmf: VmFault, order_out: number) => FolioOrder;

/** Every property of the folio calc_anonymous_folio_order() picks, except the order-1 rule. */
function checkPlacement(calc: Calc, { vmf, order_out }: { vmf: VmFault; order_out: number }): void {
  const { order, addr } = calc(vmf, order_out);
  const size = PAGE_SIZE << order;
  expect(order).toBeGreaterThanOrEqual(0);
  expect(order).toBeLessThanOrEqual(Math.min(order_out, PMD_SHIFT - 12));
  // naturally aligned
  expect(addr % size).toBe(0);
  // contains the faulting address
  expect(addr).toBeLessThanOrEqual(vmf.address);
  expect(vmf.address).toBeLessThan(addr + size);
  // inside the VMA
  expect(addr).toBeGreaterThanOrEqual(vmf.vma.vm_start);
  expect(addr + size).toBeLessThanOrEqual(vmf.vma.vm_end);
  // inside one PMD
  expect(Math.floor(addr / PMD_SIZE)).toBe(Math.floor((addr + size - 1) / PMD_SIZE));
  // covers no present pte
  const first = (addr / PAGE_SIZE) % PTRS_PER_PTE;
  for (let i = 0; i < 1 << order; i++) expect(vmf.ptes[first + i]).toBe(false);
}

describe('calc_anonymous_folio_order (after the fix)', () => {
  it('places the folio naturally aligned, around the address, in the VMA and one PMD, over none ptes only', () => {
    fc.assert(fc.property(faultArb, (f) => checkPlacement(calc_anonymous_folio_order, f)), { numRuns: 2000 });
  });

  it('never returns order 1', () => {
    fc.assert(fc.property(faultArb, ({ vmf, order_out }) => calc_anonymous_folio_order(vmf, order_out).order !== 1), { numRuns: 2000 });
  });

  it('falls back to order 0 without THP', () => {
    fc.assert(fc.property(faultArb, ({ vmf, order_out }) => {
      expect(calc_anonymous_folio_order(vmf, order_out, false)).toEqual({ order: 0, addr: vmf.address });
    }));
  });

  it('takes the largest order that fits', () => {
    fc.assert(fc.property(faultArb, ({ vmf, order_out }) => {
      const { order } = calc_anonymous_folio_order(vmf, order_out);
      for (let o = Math.max(order + 1, 2); o <= Math.min(order_out, PMD_SHIFT - 12); o++) {
        const size = PAGE_SIZE << o;
        const addr = vmf.address - (vmf.address % size);
        const first = (addr / PAGE_SIZE) % PTRS_PER_PTE;
        const fits = addr >= vmf.vma.vm_start && addr + size <= vmf.vma.vm_end && vmf.ptes.slice(first, first + (1 << o)).every((p) => !p);
        expect(fits).toBe(false);
      }
    }), { numRuns: 1000 });
  });
});

describe('calc_anonymous_folio_order (RFC before the fix)', () => {
  it('places the folio with the same guarantees', () => {
    fc.assert(fc.property(faultArb, (f) => checkPlacement(calc_anonymous_folio_order_rfc, f)), { numRuns: 2000 });
  });

  it('violates "order != 1"', () => {
    const orderNot1 = fc.property(faultArb, ({ vmf, order_out }) => calc_anonymous_folio_order_rfc(vmf, order_out).order !== 1);
    expect(() => fc.assert(orderNot1, { seed: 4 })).toThrow(/Property failed/);
    const { failed, counterexample } = fc.check(orderNot1, { seed: 4 });
    expect(failed).toBe(true);
    const [{ vmf, order_out }] = counterexample!;
    const { order, addr } = calc_anonymous_folio_order_rfc(vmf, order_out);
    expect(order).toBe(1);
    // The fixed function gives order 0 for the same fault, at the faulting address.
    expect(calc_anonymous_folio_order(vmf, order_out)).toEqual({ order: 0, addr: vmf.address });
    expect(addr % (2 * PAGE_SIZE)).toBe(0);
  });
});
