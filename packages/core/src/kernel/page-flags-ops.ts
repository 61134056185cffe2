import type { Kernel, KGen, MethodsOf } from './context.js';
import { RMW_ANDNOT, RMW_OR } from '../engine/op.js';
import { FLAGS, LRU_NEXT, LRU_PREV, MAPCOUNT, PRIVATE } from '../machine/layout.js';
import { addrToPfn, pfnToAddr } from '../machine/addresses.js';
import { PAGE_TYPE_BASE, PG_buddy, PG_head, PG_lru, PG_slab, PG_locked, PG_reserved } from './page-flags.js';

const bool = (bit: number) => (v: number): string => String((v & (1 << bit)) !== 0);

/**
 * Page flag tests and updates (include/linux/page-flags.h, v5.12). Atomic
 * updates (SetPageX, test_and_set_bit) are one step; the double-underscore
 * forms are non-atomic: a load step and a store step, as in the kernel.
 */
export const pageFlagsOps = {
  /** test_bit(nr, &page->flags). */
  *test_page_bit(this: Kernel, page: number, nr: number, fn: string): KGen<boolean> {
    const v: number = yield this.ld(page, FLAGS, fn, bool(nr));
    return (v & (1 << nr)) !== 0;
  },
  /** set_bit(nr, &page->flags): atomic. */
  *set_page_bit(this: Kernel, page: number, nr: number, fn: string): KGen<void> {
    yield this.rmw(page, FLAGS, RMW_OR, 1 << nr, 0, fn);
  },
  /** clear_bit(nr, &page->flags): atomic. */
  *clear_page_bit(this: Kernel, page: number, nr: number, fn: string): KGen<void> {
    yield this.rmw(page, FLAGS, RMW_ANDNOT, 1 << nr, 0, fn);
  },
  /** test_and_set_bit(nr, &page->flags): atomic; returns the old bit. */
  *test_and_set_page_bit(this: Kernel, page: number, nr: number, fn: string, show: (v: number) => string = bool(nr)): KGen<boolean> {
    const old: number = yield this.rmw(page, FLAGS, RMW_OR, 1 << nr, 0, fn, show);
    return (old & (1 << nr)) !== 0;
  },
  /** __set_bit(nr, &page->flags): non-atomic, a load and a store. */
  *__set_page_bit(this: Kernel, page: number, nr: number, fn: string): KGen<void> {
    const v: number = yield this.ld(page, FLAGS, fn);
    yield this.stRmw(page, FLAGS, v | (1 << nr), fn);
  },
  /** __clear_bit(nr, &page->flags): non-atomic, a load and a store. */
  *__clear_page_bit(this: Kernel, page: number, nr: number, fn: string): KGen<void> {
    const v: number = yield this.ld(page, FLAGS, fn);
    yield this.stRmw(page, FLAGS, v & ~(1 << nr), fn);
  },

  *PageHead(this: Kernel, page: number): KGen<boolean> {
    return yield* this.test_page_bit(page, PG_head, 'PageHead');
  },
  /** __SetPageHead(): non-atomic (__SETPAGEFLAG(Head, head, PF_ANY)). */
  *__SetPageHead(this: Kernel, page: number): KGen<void> {
    yield* this.__set_page_bit(page, PG_head, '__SetPageHead');
  },
  *__ClearPageHead(this: Kernel, page: number): KGen<void> {
    yield* this.__clear_page_bit(page, PG_head, '__ClearPageHead');
  },
  /** PageTail(): READ_ONCE(page->compound_head) & 1. */
  *PageTail(this: Kernel, page: number): KGen<boolean> {
    const v: number = yield this.ld(page, LRU_NEXT, 'PageTail', (x) => String((x & 1) !== 0));
    return (v & 1) !== 0;
  },
  /** PageCompound(): PageHead(page) || PageTail(page). */
  *PageCompound(this: Kernel, page: number): KGen<boolean> {
    if (yield* this.PageHead(page)) return true;
    return yield* this.PageTail(page);
  },
  /** compound_head(): the head if compound_head has bit 0 set, else the page (include/linux/page-flags.h). */
  *compound_head(this: Kernel, page: number): KGen<number> {
    const head: number = yield this.ld(page, LRU_NEXT, 'compound_head');
    if ((head & 1) === 0) return page;
    const pfn = addrToPfn(head - 1);
    if (pfn < 0 || !this.m.valid(pfn)) this.bug('wild-deref', `compound_head: page->compound_head 0x${(head >>> 0).toString(16)} is not a struct page`, page);
    return pfn;
  },
  /** set_compound_head(): WRITE_ONCE(page->compound_head, (unsigned long)head + 1). */
  *set_compound_head(this: Kernel, page: number, head: number): KGen<void> {
    yield this.st(page, LRU_NEXT, pfnToAddr(head) + 1, 'set_compound_head');
  },
  /** clear_compound_head(): WRITE_ONCE(page->compound_head, 0). */
  *clear_compound_head(this: Kernel, page: number): KGen<void> {
    yield this.st(page, LRU_NEXT, 0, 'clear_compound_head');
  },
  /** compound_order(): page[1].compound_order, 0 unless PageHead (include/linux/mm.h, v5.12). */
  *compound_order(this: Kernel, page: number): KGen<number> {
    if (!(yield* this.PageHead(page))) return 0;
    const v: number = yield this.ld(page + 1, LRU_PREV, 'compound_order', (x) => String((x >>> 8) & 0xff));
    return (v >>> 8) & 0xff;
  },
  /** compound_nr(): 1 << compound_order(). */
  *compound_nr(this: Kernel, page: number): KGen<number> {
    return 1 << (yield* this.compound_order(page));
  },

  *PageLRU(this: Kernel, page: number): KGen<boolean> {
    return yield* this.test_page_bit(page, PG_lru, 'PageLRU');
  },
  *__ClearPageLRU(this: Kernel, page: number): KGen<void> {
    yield* this.__clear_page_bit(page, PG_lru, '__ClearPageLRU');
  },
  *PageSlab(this: Kernel, page: number): KGen<boolean> {
    return yield* this.test_page_bit(page, PG_slab, 'PageSlab');
  },
  *PageLocked(this: Kernel, page: number): KGen<boolean> {
    return yield* this.test_page_bit(page, PG_locked, 'PageLocked');
  },
  *PageReserved(this: Kernel, page: number): KGen<boolean> {
    return yield* this.test_page_bit(page, PG_reserved, 'PageReserved');
  },

  /** PageBuddy(): page_type check in the _mapcount word (include/linux/page-flags.h, v5.10). */
  *PageBuddy(this: Kernel, page: number): KGen<boolean> {
    const t: number = yield this.ld(page, MAPCOUNT, 'PageBuddy', (x) => String(isBuddyType(x)));
    return isBuddyType(t);
  },
  /** __SetPageBuddy(): page->page_type &= ~PG_buddy (non-atomic; under zone->lock). */
  *__SetPageBuddy(this: Kernel, page: number): KGen<void> {
    const t: number = yield this.ld(page, MAPCOUNT, '__SetPageBuddy');
    yield this.stRmw(page, MAPCOUNT, t & ~PG_buddy, '__SetPageBuddy');
  },
  /** __ClearPageBuddy(): page->page_type |= PG_buddy. */
  *__ClearPageBuddy(this: Kernel, page: number): KGen<void> {
    const t: number = yield this.ld(page, MAPCOUNT, '__ClearPageBuddy');
    yield this.stRmw(page, MAPCOUNT, t | PG_buddy, '__ClearPageBuddy');
  },
  /** set_page_private(). */
  *set_page_private(this: Kernel, page: number, v: number): KGen<void> {
    yield this.st(page, PRIVATE, v, `set_page_private(${v})`);
  },
  /** page_private(). */
  *page_private(this: Kernel, page: number): KGen<number> {
    return yield this.ld(page, PRIVATE, 'page_private', String);
  },
  /** page_mapcount_reset(): atomic_set(&page->_mapcount, -1). */
  *page_mapcount_reset(this: Kernel, page: number): KGen<void> {
    yield this.st32(page, MAPCOUNT, -1, 'page_mapcount_reset');
  },
};

/** PageType(page, PG_buddy): (page_type & (PAGE_TYPE_BASE | PG_buddy)) == PAGE_TYPE_BASE. */
export function isBuddyType(pageType: number): boolean {
  return (pageType & (PAGE_TYPE_BASE | PG_buddy)) === PAGE_TYPE_BASE;
}

declare module './context.js' {
  interface KernelFunctions extends MethodsOf<typeof pageFlagsOps> {}
}
