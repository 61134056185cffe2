import type { Kernel, KGen, MethodsOf } from './context.js';
import { RMW_ADD } from '../engine/op.js';
import { DATA, LRU_PREV, LRU_PREV_HI, MAPPING } from '../machine/layout.js';
import { NULL, TAIL_MAPPING, pfnToAddr } from '../machine/addresses.js';
import { __GFP_ACCOUNT, __GFP_COMP, __GFP_HIGHMEM, __GFP_NOWARN, __GFP_ZERO } from './gfp.js';
import { PAGE_FLAGS_CHECK_AT_PREP } from './page-flags.js';
import { safeString } from '../engine/safe-string.js';

/**
 * __find_buddy_pfn() (mm/internal.h, v5.12).
 * @example
 * ```ts
 * __find_buddy_pfn(12, 2); // 8: the order-2 buddy of pfn 12
 * ```
 * @remarks Since 0.1.0
 */
export function __find_buddy_pfn(pfn: number, order: number): number {
  return pfn ^ (1 << order);
}

/** PAGE_POISON (include/linux/poison.h): what a freed page's contents are filled with. */
export const PAGE_POISON = 0xaa;

/** Offset of page->lru in struct page: a free page's list_head address. */
export const lruAddr = (page: number): number => pfnToAddr(page) + 8;

/**
 * The buddy allocator's allocation path (mm/page_alloc.c, v5.12). One zone, one
 * migratetype. Order-0 pages come from the per-cpu lists of pcp.ts
 * (rmqueue_pcplist), or straight from the buddy with `kernel.pcp: false`. The
 * free path, the checks at free and the free lists are in page-free.ts.
 */
export const pageAlloc = {
  // ---- allocation -----------------------------------------------------------------

  /** alloc_pages() → __alloc_pages_nodemask() (mm/page_alloc.c, v5.12). */
  *alloc_pages(this: Kernel, gfp_mask: number, order: number): KGen<number | null> {
    this.checkGfp(gfp_mask, 'alloc_pages');
    if (!Number.isInteger(order) || order < 0) throw new RangeError(`alloc_pages: order must be a non-negative integer, got ${safeString(order)}`);
    if (order >= this.MAX_ORDER) {
      // WARN_ON_ONCE(!(gfp_mask & __GFP_NOWARN)); return NULL;
      if ((gfp_mask & __GFP_NOWARN) !== 0) return null;
      throw new RangeError(`alloc_pages: order ${order} is not below MAX_ORDER (${this.MAX_ORDER}): the kernel would WARN and return NULL; pass __GFP_NOWARN to get NULL quietly, or raise kernel.maxOrder`);
    }
    // prepare_alloc_pages(): if (should_fail_alloc_page(gfp_mask, order)) return false; → return NULL
    if (yield* this.should_fail_alloc_page(gfp_mask, order)) return null;
    this.enterAllocator();
    let page = yield* this.get_page_from_freelist(gfp_mask, order);
    this.leaveAllocator();
    if (page !== null && (gfp_mask & __GFP_ACCOUNT) !== 0 && this.memcgEnabled) {
      // if (memcg_kmem_enabled() && (gfp_mask & __GFP_ACCOUNT) && page && __memcg_kmem_charge_page(...) != 0)
      const ret = yield* this.__memcg_kmem_charge_page(page, gfp_mask, order);
      if (ret !== 0) {
        yield* this.__free_pages(page, order);
        page = null;
      }
    }
    return page;
  },

  /** get_page_from_freelist() (mm/page_alloc.c, v5.12): rmqueue, then prep_new_page. */
  *get_page_from_freelist(this: Kernel, gfp_mask: number, order: number): KGen<number | null> {
    const page = yield* this.rmqueue(order);
    if (page === null) return null;
    // kernel_unpoison_pages(): the contents are the new owner's. The shadow takes the pages in the same step, so the
    // reduction sees allocation as a write of each page's data word (set_page_owner() comes before
    // kernel_init_free_pages() in post_alloc_hook: the pages are allocated while prepped).
    for (let i = 0; i < 1 << order; i++) yield this.m.st32(page + i, DATA, 0, 'kernel_unpoison_pages');
    this.shadowAlloc(page, order, gfp_mask);
    yield* this.prep_new_page(page, order, gfp_mask);
    return page;
  },

  /** rmqueue() (mm/page_alloc.c, v5.12): order 0 from the per-cpu lists (pcp.ts), else __rmqueue under zone->lock until check_new_pages passes. */
  *rmqueue(this: Kernel, order: number): KGen<number | null> {
    if (order === 0 && this.percpu.enabled) return yield* this.rmqueue_pcplist();
    yield this.m.glock(this.zone.lock, 'spin_lock(&zone->lock)');
    let page: number | null;
    for (;;) {
      page = yield* this.__rmqueue_smallest(order);
      if (page === null || !(yield* this.check_new_pages(page, order))) break;
      // A block that fails check_new_pages is dropped: the kernel leaks the whole block on purpose.
      for (let i = 0; i < 1 << order; i++) this.quarantine(page + i);
      // v5.12 takes a dropped block out of NR_FREE_PAGES on the order-0 path (rmqueue_bulk); the model,
      // which has no pcp lists, does so for every order, so that NR_FREE_PAGES keeps matching the free lists.
      yield this.m.grmw(this.zone.nrFreePages, RMW_ADD, -(1 << order), 0, 'NR_FREE_PAGES');
    }
    yield this.m.gunlock(this.zone.lock, 'spin_unlock(&zone->lock)');
    if (page === null) return null;
    // __mod_zone_freepage_state(zone, -(1 << order), migratetype)
    yield this.m.grmw(this.zone.nrFreePages, RMW_ADD, -(1 << order), 0, 'NR_FREE_PAGES');
    return page;
  },

  /** __rmqueue_smallest() (mm/page_alloc.c, v5.12). */
  *__rmqueue_smallest(this: Kernel, order: number): KGen<number | null> {
    for (let current_order = order; current_order < this.MAX_ORDER; ++current_order) {
      const page = yield* this.get_page_from_free_area(current_order);
      if (page === null) continue;
      yield* this.del_page_from_free_list(page, current_order);
      yield* this.expand(page, order, current_order);
      return page;
    }
    return null;
  },

  /** get_page_from_free_area(): list_first_entry_or_null(&area->free_list[mt], struct page, lru). */
  *get_page_from_free_area(this: Kernel, order: number): KGen<number | null> {
    const head = this.zone.freeList[order]!;
    const first: number = yield this.m.gld(head, 'get_page_from_free_area');
    if (first === this.zone.freeListAddr[order]) return null;
    const pfn = this.lruEntry(first, 'get_page_from_free_area');
    return pfn;
  },

  /** expand() (mm/page_alloc.c, v5.12): hand the upper halves back to the free lists. */
  *expand(this: Kernel, page: number, low: number, high: number): KGen<void> {
    let size = 1 << high;
    while (high > low) {
      high--;
      size >>= 1;
      yield* this.add_to_free_list(page + size, high);
      yield* this.set_buddy_order(page + size, high);
    }
  },

  /** check_new_pages() (mm/page_alloc.c, v5.12): true if any page of the block is bad. */
  *check_new_pages(this: Kernel, page: number, order: number): KGen<boolean> {
    for (let i = 0; i < 1 << order; i++) {
      if (yield* this.check_new_page(page + i)) return true;
    }
    return false;
  },

  /** check_new_page() (mm/page_alloc.c, v5.12). */
  *check_new_page(this: Kernel, page: number): KGen<boolean> {
    if (yield* this.page_expected_state(page, PAGE_FLAGS_CHECK_AT_PREP)) return false;
    // check_new_page_bad()
    const reason = yield* this.page_bad_reason(page, PAGE_FLAGS_CHECK_AT_PREP);
    yield* this.bad_page(page, reason, 'check_new_page_bad');
    return true;
  },

  /** prep_new_page() (mm/page_alloc.c, v5.12). */
  *prep_new_page(this: Kernel, page: number, order: number, gfp_flags: number): KGen<void> {
    yield* this.post_alloc_hook(page, order, gfp_flags);
    if ((gfp_flags & __GFP_ZERO) !== 0) yield* this.use_page_data(page, order, 'kernel_init_free_pages', true);
    if (order > 0 && (gfp_flags & __GFP_COMP) !== 0) yield* this.prep_compound_page(page, order);
  },

  /** post_alloc_hook() (mm/page_alloc.c, v5.12): set_page_private(page, 0); set_page_refcounted(page). */
  *post_alloc_hook(this: Kernel, page: number, _order: number, _gfp_flags: number): KGen<void> {
    yield* this.set_page_private(page, 0);
    yield* this.set_page_refcounted(page);
  },

  /** set_page_refcounted() (mm/internal.h, v5.12). */
  *set_page_refcounted(this: Kernel, page: number): KGen<void> {
    // VM_BUG_ON_PAGE(PageTail(page), page); VM_BUG_ON_PAGE(page_ref_count(page), page);
    yield* this.set_page_count(page, 1);
  },

  /** prep_compound_page() (mm/page_alloc.c, v5.12). */
  *prep_compound_page(this: Kernel, page: number, order: number): KGen<void> {
    const nr_pages = 1 << order;
    yield* this.__SetPageHead(page);
    for (let i = 1; i < nr_pages; i++) {
      const p = page + i;
      yield* this.set_page_count(p, 0);
      yield this.st(p, MAPPING, TAIL_MAPPING, 'p->mapping = TAIL_MAPPING');
      yield* this.set_compound_head(p, page);
    }
    // set_compound_page_dtor(page, COMPOUND_PAGE_DTOR); set_compound_order(page, order);
    yield* this.set_compound_order(page, order);
    // atomic_set(compound_mapcount_ptr(page), -1): page[1].compound_mapcount, the upper half of word 2
    yield this.st32(page + 1, LRU_PREV_HI, -1, 'atomic_set(compound_mapcount_ptr(page), -1)');
    // if (hpage_pincount_available(page)) atomic_set(compound_pincount_ptr(page), 0): from 5.8 (GUP pin tracking) to
    // 5.17 the pincount is page[2].hpage_pinned_refcount, the low half of word 2, and only orders > 1 have it;
    // 5232c63f46fd (5.18) moved it to page[1] (compound_pincount, upper half of word 3 in v6.2) for every order.
    if (order > 1) yield this.st32(page + 2, LRU_PREV, 0, 'atomic_set(compound_pincount_ptr(page), 0)');
  },

  /** set_compound_order() (include/linux/mm.h, v5.12): page[1].compound_order = order. */
  *set_compound_order(this: Kernel, page: number, order: number): KGen<void> {
    // compound_dtor (byte 0, COMPOUND_PAGE_DTOR = 1) and compound_order (byte 1) share the low half of word 2.
    yield this.st32(page + 1, LRU_PREV, 1 | (order << 8), `set_compound_order(${order})`);
  },

  /** split_page() (mm/page_alloc.c, v5.12): one order-N block becomes 2^N order-0 pages. */
  *split_page(this: Kernel, page: number, order: number): KGen<void> {
    if (yield* this.PageCompound(page)) this.bug('bad-page-state', 'split_page: VM_BUG_ON_PAGE(PageCompound(page))', page);
    for (let i = 1; i < 1 << order; i++) yield* this.set_page_refcounted(page + i);
    // split_page_owner(page, 1 << order);
    this.shadowSplit(page, order);
    yield* this.split_page_memcg(page, 1 << order);
  },

  /** __get_free_pages() (mm/page_alloc.c, v5.12): the page's direct-map address, or 0. */
  *__get_free_pages(this: Kernel, gfp_mask: number, order: number): KGen<number> {
    const page = yield* this.alloc_pages(gfp_mask & ~__GFP_HIGHMEM, order);
    if (page === null) return 0;
    return this.page_address(page);
  },
};

declare module './context.js' {
  interface KernelFunctions extends MethodsOf<typeof pageAlloc> {}
}
