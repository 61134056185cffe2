import { describe, expect, it } from 'vitest';
import { createKernel, type Kernel } from '../../../src/kernel/kernel.js';
import { GFP_HIGHUSER_MOVABLE } from '../../../src/kernel/gfp.js';
import { PAGE_MAPPING_ANON, PG_swapbacked, PG_uptodate } from '../../../src/kernel/page-flags.js';
import { linear_page_index, type VmArea } from '../../../src/kernel/anon.js';
import { pfnToAddr } from '../../../src/machine/addresses.js';
import { FLAGS, INDEX, LRU_PREV, MAPCOUNT, MAPPING } from '../../../src/machine/layout.js';

function setup(): { k: Kernel; vma: VmArea } {
  const k = createKernel({ pages: 16 });
  const anon_vma = k.symbols.add('anon_vma', 'object').addr;
  return { k, vma: { vm_start: 0x10000, vm_end: 0x20000, anon_vma, vm_pgoff: 0x100 } };
}

describe('__folio_alloc', () => {
  it('runs prep_transhuge_page() only above order 1', () => {
    const { k } = setup();
    const f1 = k.run(k.__folio_alloc(GFP_HIGHUSER_MOVABLE, 1))!;
    const f2 = k.run(k.__folio_alloc(GFP_HIGHUSER_MOVABLE, 2))!;
    expect(k.run(k.folio_order(f1))).toBe(1);
    // page[2] of the order-1 folio is not the folio's: untouched
    expect(k.peek(f1 + 2, LRU_PREV)).not.toBe(pfnToAddr(f1 + 2) + 16);
    expect(k.peek(f2 + 2, LRU_PREV)).toBe(pfnToAddr(f2 + 2) + 16);
    expect(k.violations).toEqual([]);
  });
});

describe('folio_add_new_anon_rmap', () => {
  it('maps a small folio once, anonymously, at its linear index', () => {
    const { k, vma } = setup();
    const f = k.run(k.__folio_alloc(GFP_HIGHUSER_MOVABLE, 0))!;
    k.run(k.folio_add_new_anon_rmap(f, vma, 0x13000));
    expect(k.peek(f, MAPCOUNT)).toBe(0);
    expect(k.peek(f, MAPPING)).toBe(vma.anon_vma + PAGE_MAPPING_ANON);
    expect(k.peek(f, INDEX)).toBe(0x103);
    expect(k.peek(f, FLAGS) & (1 << PG_swapbacked)).not.toBe(0);
    expect(k.run(k.folio_test_anon(f))).toBe(true);
    expect(k.run(k.folio_mapcount(f))).toBe(1);
  });

  it('is a BUG outside the VMA', () => {
    const { k, vma } = setup();
    const f = k.run(k.__folio_alloc(GFP_HIGHUSER_MOVABLE, 0))!;
    expect(() => k.run(k.folio_add_new_anon_rmap(f, vma, 0x20000))).toThrow(/VM_BUG_ON_VMA/);
  });
});

describe('__folio_mark_uptodate', () => {
  it('sets PG_uptodate', () => {
    const { k } = setup();
    const f = k.run(k.__folio_alloc(GFP_HIGHUSER_MOVABLE, 0))!;
    k.run(k.__folio_mark_uptodate(f));
    expect(k.peek(f, FLAGS) & (1 << PG_uptodate)).not.toBe(0);
  });
});

describe('folio_mapcount', () => {
  it('sums the PTE mappings of every page of a large folio', () => {
    const { k } = setup();
    const f = k.run(k.__folio_alloc(GFP_HIGHUSER_MOVABLE, 2))!;
    expect(k.run(k.folio_mapcount(f))).toBe(0);
    k.m.poke(f, MAPCOUNT, 0);
    k.m.poke(f + 3, MAPCOUNT, 1);
    expect(k.run(k.folio_mapcount(f))).toBe(3);
  });
});

describe('page_remove_rmap and page_add_anon_rmap', () => {
  it('drop and take one PTE mapping', () => {
    const { k, vma } = setup();
    const f = k.run(k.__folio_alloc(GFP_HIGHUSER_MOVABLE, 0))!;
    k.run(k.folio_add_new_anon_rmap(f, vma, 0x10000));
    k.run(k.page_remove_rmap(f));
    expect(k.peek(f, MAPCOUNT)).toBe(-1);
    k.run(k.page_add_anon_rmap(f));
    expect(k.peek(f, MAPCOUNT)).toBe(0);
  });

  it('does not queue a folio smaller than a PMD for deferred split', () => {
    const { k, vma } = setup();
    const f = k.run(k.__folio_alloc(GFP_HIGHUSER_MOVABLE, 2))!;
    for (let i = 0; i < 4; i++) k.m.poke(f + i, MAPCOUNT, 0);
    k.run(k.__page_set_anon_rmap(f, vma, 0x10000));
    k.run(k.page_remove_rmap(f + 1));
    const q = k.get_deferred_split_queue(f);
    expect(k.m.words[q.split_queue_len]).toBe(0);
    expect(k.peek(f + 2, LRU_PREV)).toBe(pfnToAddr(f + 2) + 16);
  });

  it('reports removing a mapping that is not there', () => {
    const { k } = setup();
    const f = k.run(k.__folio_alloc(GFP_HIGHUSER_MOVABLE, 0))!;
    expect(() => k.run(k.page_remove_rmap(f))).toThrow(/bad-page-state: page_remove_rmap: _mapcount was -1/);
  });
});

describe('linear_page_index', () => {
  it('counts pages from vm_start, plus vm_pgoff', () => {
    expect(linear_page_index({ vm_start: 0x10000, vm_end: 0x20000, anon_vma: 0 }, 0x1f000)).toBe(15);
    expect(linear_page_index({ vm_start: 0x10000, vm_end: 0x20000, anon_vma: 0, vm_pgoff: 7 }, 0x10000)).toBe(7);
  });
});
