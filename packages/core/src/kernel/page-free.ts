import type { Kernel, KGen, MethodsOf } from './context.js';
import { RMW_ADD } from '../engine/op.js';
import { DATA, FLAGS, LRU_PREV_HI, MAPCOUNT, MAPPING, MEMCG_DATA, PRIVATE, REFCOUNT } from '../machine/layout.js';
import { NULL, TAIL_MAPPING } from '../machine/addresses.js';
import { MEMCG_DATA_FLAGS_MASK, PAGE_FLAGS_CHECK_AT_FREE, PAGE_FLAGS_CHECK_AT_PREP, PAGE_MAPPING_FLAGS } from './page-flags.js';
import { __find_buddy_pfn, lruAddr, PAGE_POISON } from './page-alloc.js';

/**
 * The buddy allocator's free path (mm/page_alloc.c, v5.12): __free_pages down
 * to __free_one_page's merging, the checks at free (free_pages_prepare,
 * check_free_page, bad_page), and the free lists both paths use. No per-cpu
 * lists (as if pcp->high were 0): order-0 frees go straight to the buddy.
 */
export const pageFree = {
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

declare module './context.js' {
  interface KernelFunctions extends MethodsOf<typeof pageFree> {}
}
