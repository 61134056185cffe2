import { describe, expect, it } from 'vitest';
import { explore } from '@pagecheck/core';
import { calc_anonymous_folio_order, calc_anonymous_folio_order_rfc, findScenario, findVariant, order1SplitRace, runVariant, scenarios } from '../src/index.js';
import { ORDER1_LAYOUT, ORDER2_LAYOUT, VMA_START, faultOf } from '../src/anon/order1-split.js';

const scenario = findScenario(scenarios, 'anon-order1-split');
const vma = { vm_start: VMA_START, vm_end: VMA_START + 4 * 4096, anon_vma: 0 };

describe('anon-order1-split', () => {
  it('lists the variants in patch order', () => {
    expect(Object.keys(scenario.variants)).toEqual(['rfc-allows-order1', 'never-order1']);
  });

  for (const v of Object.values(scenario.variants)) {
    const want = v.divergence?.found ?? v.expected;
    it(`${v.id}: the model finds ${want.length === 0 ? 'no violation' : want.join(', ')}${v.divergence === undefined ? '' : ' (documented divergence)'}`, () => {
      const verdict = runVariant(scenario, v);
      expect(verdict.complete).toBe(true);
      expect(verdict.found).toEqual([...want].sort());
      if (v.divergence === undefined) expect(verdict.match).toBe(true);
      else expect(verdict.documented).toBe(true);
    });
  }

  it('faults in the orders each revision picks for the two layouts', () => {
    expect(calc_anonymous_folio_order_rfc(faultOf(ORDER1_LAYOUT, vma), 4)).toEqual({ order: 1, addr: VMA_START + 2 * 4096 });
    expect(calc_anonymous_folio_order(faultOf(ORDER1_LAYOUT, vma), 4)).toEqual({ order: 0, addr: VMA_START + 2 * 4096 });
    expect(calc_anonymous_folio_order_rfc(faultOf(ORDER2_LAYOUT, vma), 4)).toEqual({ order: 2, addr: VMA_START });
    expect(calc_anonymous_folio_order(faultOf(ORDER2_LAYOUT, vma), 4)).toEqual({ order: 2, addr: VMA_START });
  });

  it('reports the order-1 folio\'s deferred list in the next struct page', () => {
    const spec = findVariant(scenario, 'rfc-allows-order1').cases[0]!;
    const r = explore(spec, { strategy: 'exhaustive', stopOnFirst: false });
    const spc = r.failures.find((f) => f.violation.kind === 'struct-page-corruption')!;
    expect(spc.violation.message).toMatch(/^split_huge_page_to_list: folio->_deferred_list is in page\[2\] \(pfn:[0-9a-f]+\), (a free page|another allocation \(pfn:[0-9a-f]+ order \d\)), not in the folio at pfn:[0-9a-f]+$/);
    expect(spc.violation.thread).toBe('fault');
    expect(spc.diagram).toContain('split_folio(F)');
    const wild = r.failures.find((f) => f.violation.kind === 'wild-deref')!;
    expect(wild.violation.message).toMatch(/^list_del: list pointer 0x(0|122) does not point at a list_head$/);
  });

  it('finds the next allocation\'s head page as page[2] when the neighbour faults first', () => {
    // The neighbour's order-0 page was taken off a free list: its lru.prev is LIST_POISON2.
    const spec = order1SplitRace('neighbour first', calc_anonymous_folio_order_rfc, ORDER1_LAYOUT);
    const messages = new Set<string>();
    for (let seed = 1; seed <= 200; seed++) {
      const r = explore(spec, { strategy: 'random', seed, maxSchedules: 1, stopOnFirst: false, shrink: false });
      for (const v of r.violations) messages.add(v.message);
    }
    expect([...messages].some((m) => /page\[2\] \(pfn:[0-9a-f]+\), another allocation/.test(m))).toBe(true);
    expect(messages).toContain('list_del: list pointer 0x122 does not point at a list_head');
  });

  it('splits the order-2 folio cleanly with either revision', () => {
    for (const v of ['rfc-allows-order1', 'never-order1']) {
      const spec = findVariant(scenario, v).cases[1]!;
      const r = explore(spec, { strategy: 'exhaustive', stopOnFirst: false });
      expect(r.complete).toBe(true);
      expect(r.kinds).toEqual([]);
    }
  });
});
