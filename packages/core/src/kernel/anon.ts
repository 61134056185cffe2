import type { Kernel, KGen, MethodsOf } from './context.js';
import { RMW_ADD } from '../engine/op.js';
import { INDEX, LRU_PREV_HI, MAPCOUNT, MAPPING } from '../machine/layout.js';
import { __GFP_COMP } from './gfp.js';
import { PAGE_MAPPING_ANON, PAGE_MAPPING_FLAGS, PG_swapbacked, PG_uptodate } from './page-flags.js';
import { HPAGE_PMD_ORDER } from './huge-memory.js';

/** The parts of a vm_area_struct the anonymous fault and rmap code read. */
export interface VmArea {
  readonly vm_start: number;
  readonly vm_end: number;
  /** Address of the VMA's anon_vma (a symbol). */
  readonly anon_vma: number;
  /** vm_pgoff (default 0). */
  readonly vm_pgoff?: number;
}

const PAGE_SHIFT = 12;

/**
 * Anonymous folios: allocation for a fault and the reverse map of PTE-mapped
 * pages (mm/page_alloc.c, mm/rmap.c, include/linux/mm.h, v6.2). Only what the
 * large-folio scenarios need: `_nr_pages_mapped` is not kept (folio_mapcount
 * sums the per-page mapcounts, which is what folio_total_mapcount computes
 * whenever it is non-zero), and there are no statistics or LRU.
 */
export const anon = {
  /** __folio_alloc() (mm/page_alloc.c, v6.2): alloc_pages(gfp | __GFP_COMP); prep_transhuge_page() only for order > 1. */
  *__folio_alloc(this: Kernel, gfp: number, order: number): KGen<number | null> {
    const page = yield* this.alloc_pages(gfp | __GFP_COMP, order);
    if (page !== null && order > 1) yield* this.prep_transhuge_page(page);
    return page;
  },

  /** folio_test_anon() (include/linux/page-flags.h, v6.2): mapping & PAGE_MAPPING_ANON. */
  *folio_test_anon(this: Kernel, folio: number): KGen<boolean> {
    const m: number = yield this.ld(folio, MAPPING, 'folio_test_anon', (v) => String((v & PAGE_MAPPING_ANON) !== 0));
    return (m & PAGE_MAPPING_ANON) !== 0;
  },

  /** folio_test_pmd_mappable() (include/linux/huge_mm.h, v6.2): folio_order(folio) >= HPAGE_PMD_ORDER. */
  *folio_test_pmd_mappable(this: Kernel, folio: number): KGen<boolean> {
    return (yield* this.folio_order(folio)) >= HPAGE_PMD_ORDER;
  },

  /**
   * folio_mapcount() (include/linux/mm.h, v6.2) and folio_total_mapcount()
   * (mm/rmap.c, v6.2): _mapcount + 1 for a small folio; for a large one the
   * entire mapcount plus each page's _mapcount + 1.
   */
  *folio_mapcount(this: Kernel, folio: number): KGen<number> {
    if (!(yield* this.folio_test_large(folio))) {
      const mc: number = yield this.ld(folio, MAPCOUNT, 'folio->_mapcount');
      return mc + 1;
    }
    const entire: number = yield this.ld(folio + 1, LRU_PREV_HI, 'folio_entire_mapcount');
    let mapcount = entire + 1;
    const nr_pages = yield* this.folio_nr_pages(folio);
    for (let i = 0; i < nr_pages; i++) mapcount += (yield this.ld(folio + i, MAPCOUNT, 'page->_mapcount')) as number;
    // But each of those _mapcounts was based on -1
    return mapcount + nr_pages;
  },

  /**
   * __page_set_anon_rmap() (mm/rmap.c, v6.2), exclusive: folio->mapping =
   * anon_vma + PAGE_MAPPING_ANON; folio->index = linear_page_index(vma, address).
   */
  *__page_set_anon_rmap(this: Kernel, folio: number, vma: VmArea, address: number): KGen<void> {
    const m: number = yield this.ld(folio, MAPPING, 'folio_test_anon');
    if ((m & PAGE_MAPPING_FLAGS) === PAGE_MAPPING_ANON) return;
    yield this.st(folio, MAPPING, vma.anon_vma + PAGE_MAPPING_ANON, 'WRITE_ONCE(folio->mapping, anon_vma)');
    yield this.st(folio, INDEX, linear_page_index(vma, address), 'folio->index = linear_page_index(vma, address)');
  },

  /** __folio_set_swapbacked() (include/linux/page-flags.h, v6.2): non-atomic. */
  *__folio_set_swapbacked(this: Kernel, folio: number): KGen<void> {
    yield* this.__set_page_bit(folio, PG_swapbacked, '__folio_set_swapbacked');
  },

  /** __folio_mark_uptodate() (include/linux/page-flags.h, v6.2): smp_wmb(); __folio_set_uptodate(folio), non-atomic. */
  *__folio_mark_uptodate(this: Kernel, folio: number): KGen<void> {
    yield this.m.fence('wmb', 'smp_wmb');
    yield* this.__set_page_bit(folio, PG_uptodate, '__folio_set_uptodate');
  },

  /**
   * folio_add_new_anon_rmap() (mm/rmap.c, v6.2) for a folio that is not
   * PMD-mappable: __folio_set_swapbacked; atomic_set(&folio->_mapcount, 0).
   */
  *folio_add_new_anon_rmap(this: Kernel, folio: number, vma: VmArea, address: number): KGen<void> {
    if (address < vma.vm_start || address >= vma.vm_end) this.bug('bad-page-state', 'folio_add_new_anon_rmap: VM_BUG_ON_VMA(address < vma->vm_start || address >= vma->vm_end)', folio);
    yield* this.__folio_set_swapbacked(folio);
    yield this.st32(folio, MAPCOUNT, 0, 'atomic_set(&folio->_mapcount, 0)');
    yield* this.__page_set_anon_rmap(folio, vma, address);
  },

  /** page_add_anon_rmap() (mm/rmap.c, v6.2) of one PTE mapping of a page already anon (remove_migration_pte): atomic_inc(&page->_mapcount). */
  *page_add_anon_rmap(this: Kernel, page: number): KGen<void> {
    yield this.rmw(page, MAPCOUNT, RMW_ADD, 1, 0, 'page_add_anon_rmap: atomic_inc_and_test(&page->_mapcount)');
  },

  /**
   * page_remove_rmap() (mm/rmap.c, v6.2) of one PTE mapping: drop the page's
   * mapcount; a PMD-mappable anon folio losing a page's last mapping is queued
   * with deferred_split_huge_page().
   */
  *page_remove_rmap(this: Kernel, page: number): KGen<void> {
    const folio = yield* this.page_folio(page);
    const old: number = yield this.rmw(page, MAPCOUNT, RMW_ADD, -1, 0, 'page_remove_rmap: atomic_add_negative(-1, &page->_mapcount)', (v) => String(v - 1 < 0));
    if (old < 0) this.bug('bad-page-state', `page_remove_rmap: _mapcount was ${old}: the page is not mapped`, page);
    const last = old - 1 < 0;
    if (!last) return;
    // Queue anon THP for deferred split if at least one page of the folio is unmapped and at least one page is still mapped.
    if ((yield* this.folio_test_pmd_mappable(folio)) && (yield* this.folio_test_anon(folio))) yield* this.deferred_split_huge_page(folio);
  },
};

/**
 * linear_page_index() (include/linux/pagemap.h, v6.2).
 * @example
 * ```ts
 * // The page index of an address in a VMA: (address - vm_start) >> PAGE_SHIFT, plus vm_pgoff.
 * linear_page_index(vma, vma.vm_start + 3 * PAGE_SIZE);
 * ```
 * @remarks Since 0.1.0
 */
export function linear_page_index(vma: VmArea, address: number): number {
  return Math.floor((address - vma.vm_start) / 2 ** PAGE_SHIFT) + (vma.vm_pgoff ?? 0);
}

declare module './context.js' {
  interface KernelFunctions extends MethodsOf<typeof anon> {}
}
