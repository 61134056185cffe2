import type { Kernel, KGen } from './kernel.js';
import { RMW_ADD } from '../engine/op.js';
import { DATA, FLAGS, LRU_PREV, LRU_PREV_HI, MAPCOUNT, MAPPING, MEMCG_DATA, PRIVATE, REFCOUNT } from '../machine/layout.js';
import { NULL, TAIL_MAPPING, pfnToAddr } from '../machine/addresses.js';
import { __GFP_ACCOUNT, __GFP_COMP, __GFP_HIGHMEM, __GFP_NOWARN, __GFP_ZERO } from './gfp.js';
import { MEMCG_DATA_FLAGS_MASK, PAGE_FLAGS_CHECK_AT_FREE, PAGE_FLAGS_CHECK_AT_PREP, PAGE_MAPPING_FLAGS } from './page-flags.js';

/** __find_buddy_pfn() (mm/internal.h, v5.12). */
export function __find_buddy_pfn(pfn: number, order: number): number {
  return pfn ^ (1 << order);
}

/** PAGE_POISON (include/linux/poison.h): what a freed page's contents are filled with. */
export const PAGE_POISON = 0xaa;

/** Offset of page->lru in struct page: a free page's list_head address. */
export const lruAddr = (page: number): number => pfnToAddr(page) + 8;

/**
 * The buddy allocator (mm/page_alloc.c, v5.12). One zone, one migratetype, no
 * per-cpu lists (as if pcp->high were 0): order-0 frees go straight to the buddy.
 */
export const pageAlloc = {
  // ---- allocation -----------------------------------------------------------------

  /** alloc_pages() → __alloc_pages_nodemask() (mm/page_alloc.c, v5.12). */
  *alloc_pages(this: Kernel, gfp_mask: number, order: number): KGen<number | null> {
    this.checkGfp(gfp_mask, 'alloc_pages');
    if (!Number.isInteger(order) || order < 0) throw new RangeError(`alloc_pages: order must be a non-negative integer, got ${String(order)}`);
    if (order >= this.MAX_ORDER) {
      // WARN_ON_ONCE(!(gfp_mask & __GFP_NOWARN)); return NULL;
      if ((gfp_mask & __GFP_NOWARN) !== 0) return null;
      throw new RangeError(`alloc_pages: order ${order} is not below MAX_ORDER (${this.MAX_ORDER}): the kernel would WARN and return NULL; pass __GFP_NOWARN to get NULL quietly, or raise kernel.maxOrder`);
    }
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

  /** rmqueue() (mm/page_alloc.c, v5.12): __rmqueue under zone->lock until check_new_pages passes. */
  *rmqueue(this: Kernel, order: number): KGen<number | null> {
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

  // ---- freeing --------------------------------------------------------------------

  /**
   * __free_pages() as of 462a8e08e0e6 (mm/page_alloc.c, v6.2): PageHead is read
   * before the put. Variants of this function are the free-pages-speculative scenario.
   */
  *__free_pages(this: Kernel, page: number, order: number): KGen<void> {
    const head = yield* this.PageHead(page);
    if (yield* this.put_page_testzero(page)) {
      yield* this.free_the_page(page, order);
    } else if (!head) {
      while (order-- > 0) yield* this.free_the_page(page + (1 << order), order);
    }
  },

  /** free_pages() (mm/page_alloc.c, v5.12). */
  *free_pages(this: Kernel, addr: number, order: number): KGen<void> {
    if (addr !== 0) {
      // VM_BUG_ON(!virt_addr_valid((void *)addr));
      yield* this.__free_pages(this.virt_to_page(addr), order);
    }
  },

  /** free_the_page() (mm/page_alloc.c, v5.12): order 0 via free_unref_page, else __free_pages_ok. */
  *free_the_page(this: Kernel, page: number, order: number): KGen<void> {
    if (order === 0) yield* this.free_unref_page(page);
    else yield* this.__free_pages_ok(page, order);
  },

  /** free_unref_page() (mm/page_alloc.c, v5.12), with no per-cpu lists: free_pages_prepare, free_one_page. */
  *free_unref_page(this: Kernel, page: number): KGen<void> {
    yield* this.__free_pages_ok(page, 0);
  },

  /** __free_pages_ok() (mm/page_alloc.c, v5.12). */
  *__free_pages_ok(this: Kernel, page: number, order: number): KGen<void> {
    // The shadow's double-free check reads each page's allocation state: a read of its data word, so the reduction
    // orders it against the poisoning (free) and unpoisoning (allocation) of the same pages by other threads.
    for (let i = 0; i < 1 << order; i++) yield this.m.ld(this.validPage(page + i, '__free_pages_ok'), DATA, 'free: page state');
    this.shadowFree(page, order);
    this.enterAllocator();
    if (yield* this.free_pages_prepare(page, order, true)) {
      yield* this.free_one_page(page, page, order);
    }
    this.leaveAllocator();
  },

  /** free_pages_prepare() (mm/page_alloc.c, v5.12): the free-time checks; false if a page is bad. */
  *free_pages_prepare(this: Kernel, page: number, order: number, check_free: boolean): KGen<boolean> {
    let bad = 0;
    if (yield* this.PageTail(page)) this.bug('bad-page-state', 'free_pages_prepare: VM_BUG_ON_PAGE(PageTail(page))', page);
    if (order > 0) {
      const compound = yield* this.PageCompound(page);
      if (compound) {
        const corder = yield* this.compound_order(page);
        if (corder !== order) this.bug('bad-page-state', `free_pages_prepare: VM_BUG_ON_PAGE(compound && compound_order(page) != order): compound order ${corder}, freed as order ${order}`, page);
      }
      for (let i = 1; i < 1 << order; i++) {
        if (compound) bad += yield* this.free_tail_pages_check(page, page + i);
        if (yield* this.check_free_page(page + i)) {
          bad++;
          continue;
        }
        // (page + i)->flags &= ~PAGE_FLAGS_CHECK_AT_PREP;
        const f: number = yield this.ld(page + i, FLAGS, 'flags &= ~PAGE_FLAGS_CHECK_AT_PREP');
        yield this.stRmw(page + i, FLAGS, f & ~PAGE_FLAGS_CHECK_AT_PREP, 'flags &= ~PAGE_FLAGS_CHECK_AT_PREP');
      }
    }
    // if (PageMappingFlags(page)) page->mapping = NULL;
    const mapping: number = yield this.ld(page, MAPPING, 'PageMappingFlags');
    if ((mapping & PAGE_MAPPING_FLAGS) !== 0) yield this.st(page, MAPPING, NULL, 'page->mapping = NULL');
    // if (memcg_kmem_enabled() && PageMemcgKmem(page)) __memcg_kmem_uncharge_page(page, order);
    if (this.memcgEnabled && (yield* this.PageMemcgKmem(page))) yield* this.__memcg_kmem_uncharge_page(page, order);
    if (check_free) bad += (yield* this.check_free_page(page)) ? 1 : 0;
    if (bad > 0) {
      // The whole block stays out of the allocator: the kernel leaks it on purpose.
      for (let i = 0; i < 1 << order; i++) this.quarantine(page + i);
      return false;
    }
    // page->flags &= ~PAGE_FLAGS_CHECK_AT_PREP;
    const f: number = yield this.ld(page, FLAGS, 'flags &= ~PAGE_FLAGS_CHECK_AT_PREP');
    yield this.stRmw(page, FLAGS, f & ~PAGE_FLAGS_CHECK_AT_PREP, 'flags &= ~PAGE_FLAGS_CHECK_AT_PREP');
    // kernel_poison_pages(page, 1 << order): the contents are the allocator's from here on.
    for (let i = 0; i < 1 << order; i++) yield this.st32(page + i, DATA, PAGE_POISON, 'kernel_poison_pages');
    return true;
  },

  /** free_tail_pages_check() (mm/page_alloc.c, v5.12): 1 if the tail is bad. */
  *free_tail_pages_check(this: Kernel, head_page: number, page: number): KGen<number> {
    let ret = 1;
    check: {
      switch (page - head_page) {
        case 1: {
          // the first tail page: ->mapping may be compound_mapcount()
          const mc: number = yield this.ld(page, LRU_PREV_HI, 'compound_mapcount');
          if (mc + 1 !== 0) {
            yield* this.bad_page(page, 'nonzero compound_mapcount', 'free_tail_pages_check');
            break check;
          }
          break;
        }
        case 2:
          // the second tail page: ->mapping is deferred_list.next -- ignore value.
          break;
        default: {
          const mapping: number = yield this.ld(page, MAPPING, 'tail->mapping');
          if (mapping !== TAIL_MAPPING) {
            yield* this.bad_page(page, 'corrupted mapping in tail page', 'free_tail_pages_check');
            break check;
          }
        }
      }
      if (!(yield* this.PageTail(page))) {
        yield* this.bad_page(page, 'PageTail not set', 'free_tail_pages_check');
        break check;
      }
      if ((yield* this.compound_head(page)) !== head_page) {
        yield* this.bad_page(page, 'compound_head not consistent', 'free_tail_pages_check');
        break check;
      }
      ret = 0;
    }
    yield this.st(page, MAPPING, NULL, 'page->mapping = NULL');
    yield* this.clear_compound_head(page);
    return ret;
  },

  /** check_free_page() (mm/page_alloc.c, v5.12): true if the page is bad. */
  *check_free_page(this: Kernel, page: number): KGen<boolean> {
    if (yield* this.page_expected_state(page, PAGE_FLAGS_CHECK_AT_FREE)) return false;
    // check_free_page_bad()
    const reason = yield* this.page_bad_reason(page, PAGE_FLAGS_CHECK_AT_FREE);
    yield* this.bad_page(page, reason, 'check_free_page_bad');
    return true;
  },

  /** page_expected_state() (mm/page_alloc.c, v5.12). */
  *page_expected_state(this: Kernel, page: number, check_flags: number): KGen<boolean> {
    const mapcount: number = yield this.ld(page, MAPCOUNT, 'page_expected_state: _mapcount');
    if (mapcount !== -1) return false;
    const mapping: number = yield this.ld(page, MAPPING, 'page_expected_state: mapping');
    const ref: number = yield this.ld(page, REFCOUNT, 'page_expected_state: _refcount');
    const memcg: number = this.memcgEnabled ? (yield this.ld(page, MEMCG_DATA, 'page_expected_state: page_memcg')) & ~MEMCG_DATA_FLAGS_MASK : 0;
    const flags: number = yield this.ld(page, FLAGS, 'page_expected_state: flags');
    return (mapping | ref | memcg | (flags & check_flags)) === 0;
  },

  /** page_bad_reason() (mm/page_alloc.c, v5.12): the last matching reason wins, as in the kernel. */
  *page_bad_reason(this: Kernel, page: number, flags: number): KGen<string> {
    let bad_reason = '';
    if ((yield this.ld(page, MAPCOUNT, 'page_bad_reason')) !== -1) bad_reason = 'nonzero mapcount';
    if ((yield this.ld(page, MAPPING, 'page_bad_reason')) !== NULL) bad_reason = 'non-NULL mapping';
    if ((yield this.ld(page, REFCOUNT, 'page_bad_reason')) !== 0) bad_reason = 'nonzero _refcount';
    if (((yield this.ld(page, FLAGS, 'page_bad_reason')) & flags) !== 0) {
      bad_reason = flags === PAGE_FLAGS_CHECK_AT_PREP ? 'PAGE_FLAGS_CHECK_AT_PREP flag(s) set' : 'PAGE_FLAGS_CHECK_AT_FREE flag(s) set';
    }
    if (this.memcgEnabled && ((yield this.ld(page, MEMCG_DATA, 'page_bad_reason')) & ~MEMCG_DATA_FLAGS_MASK) !== 0) bad_reason = 'page still charged to cgroup';
    return bad_reason;
  },

  /** bad_page() (mm/page_alloc.c, v5.12): report, reset the mapcount, and leave the page out. */
  *bad_page(this: Kernel, page: number, reason: string, caller: string): KGen<void> {
    this.quarantine(page);
    this.warn('bad-page-state', `BUG: Bad page state in process ${this.threadName()} pfn:${page.toString(16).padStart(5, '0')} in ${caller}: page dumped because: ${reason}`, page);
    yield* this.page_mapcount_reset(page);
  },

  /** free_one_page() (mm/page_alloc.c, v5.12): __free_one_page under zone->lock. */
  *free_one_page(this: Kernel, _zonePage: number, page: number, order: number): KGen<void> {
    yield this.m.glock(this.zone.lock, 'spin_lock(&zone->lock)');
    yield* this.__free_one_page(page, page, order);
    yield this.m.gunlock(this.zone.lock, 'spin_unlock(&zone->lock)');
  },

  /** __free_one_page() (mm/page_alloc.c, v5.12): merge with free buddies, then add to the free list. */
  *__free_one_page(this: Kernel, page: number, pfn: number, order: number): KGen<void> {
    const max_order = this.MAX_ORDER - 1;
    // __mod_zone_freepage_state(zone, 1 << order, migratetype);
    yield this.m.grmw(this.zone.nrFreePages, RMW_ADD, 1 << order, 0, 'NR_FREE_PAGES');
    if ((pfn & ((1 << order) - 1)) !== 0) this.bug('buddy-corruption', `__free_one_page: VM_BUG_ON_PAGE(pfn & ((1 << order) - 1)): pfn 0x${pfn.toString(16)} is not aligned to order ${order}`, page);
    while (order < max_order) {
      const buddy_pfn = __find_buddy_pfn(pfn, order);
      const buddy = page + (buddy_pfn - pfn);
      if (!this.inZone(buddy_pfn)) break;
      if (!(yield* this.page_is_buddy(page, buddy, order))) break;
      yield* this.del_page_from_free_list(buddy, order);
      const combined_pfn = buddy_pfn & pfn;
      page = page + (combined_pfn - pfn);
      pfn = combined_pfn;
      order++;
    }
    // done_merging:
    yield* this.set_buddy_order(page, order);
    if (yield* this.buddy_merge_likely(pfn, page, order)) yield* this.add_to_free_list_tail(page, order);
    else yield* this.add_to_free_list(page, order);
  },

  /**
   * buddy_merge_likely() (mm/page_alloc.c, v5.11): if the block's buddy one order
   * up is free, queue the block at the tail so it is less likely to be split.
   */
  *buddy_merge_likely(this: Kernel, pfn: number, page: number, order: number): KGen<boolean> {
    if (order >= this.MAX_ORDER - 2) return false;
    const buddy_pfn = __find_buddy_pfn(pfn, order);
    if (!this.inZone(buddy_pfn)) return false;
    const combined_pfn = buddy_pfn & pfn;
    const higher_page = page + (combined_pfn - pfn);
    const higher_buddy_pfn = __find_buddy_pfn(combined_pfn, order + 1);
    const higher_buddy = higher_page + (higher_buddy_pfn - combined_pfn);
    return this.inZone(higher_buddy_pfn) && (yield* this.page_is_buddy(higher_page, higher_buddy, order + 1));
  },

  /** page_is_buddy() (mm/page_alloc.c, v5.12). */
  *page_is_buddy(this: Kernel, page: number, buddy: number, order: number): KGen<boolean> {
    if (!(yield* this.PageBuddy(buddy))) return false;
    if ((yield* this.buddy_order(buddy)) !== order) return false;
    // page_zone_id(page) != page_zone_id(buddy): a single zone, checked by inZone().
    const count: number = yield this.ld(buddy, REFCOUNT, 'page_count(buddy)');
    if (count !== 0) this.bug('buddy-corruption', `page_is_buddy: VM_BUG_ON_PAGE(page_count(buddy) != 0): buddy pfn:${buddy.toString(16)} is PageBuddy with _refcount ${count}`, buddy);
    return true;
  },

  /** buddy_order(): page_private(page) (mm/internal.h, v5.12). */
  *buddy_order(this: Kernel, page: number): KGen<number> {
    return yield this.ld(page, PRIVATE, 'buddy_order', String);
  },

  /** set_buddy_order() (mm/page_alloc.c, v5.12): set_page_private(page, order); __SetPageBuddy(page). */
  *set_buddy_order(this: Kernel, page: number, order: number): KGen<void> {
    yield* this.set_page_private(page, order);
    yield* this.__SetPageBuddy(page);
  },

  /** add_to_free_list() (mm/page_alloc.c, v5.12). */
  *add_to_free_list(this: Kernel, page: number, order: number): KGen<void> {
    yield* this.list_add(lruAddr(page), this.zone.freeListAddr[order]!);
    yield this.m.grmw(this.zone.nrFree[order]!, RMW_ADD, 1, 0, 'area->nr_free++');
  },

  /** add_to_free_list_tail() (mm/page_alloc.c, v5.11). */
  *add_to_free_list_tail(this: Kernel, page: number, order: number): KGen<void> {
    yield* this.list_add_tail(lruAddr(page), this.zone.freeListAddr[order]!);
    yield this.m.grmw(this.zone.nrFree[order]!, RMW_ADD, 1, 0, 'area->nr_free++');
  },

  /** del_page_from_free_list() (mm/page_alloc.c, v5.12). */
  *del_page_from_free_list(this: Kernel, page: number, order: number): KGen<void> {
    yield* this.list_del(lruAddr(page));
    yield* this.__ClearPageBuddy(page);
    yield* this.set_page_private(page, 0);
    yield this.m.grmw(this.zone.nrFree[order]!, RMW_ADD, -1, 0, 'area->nr_free--');
  },
};
