import type { Kernel, KGen, MethodsOf } from './context.js';
import { RMW_ADD } from '../engine/op.js';
import { FLAGS, INDEX, MAPCOUNT, MAPPING, REFCOUNT } from '../machine/layout.js';
import { PAGE_FLAGS_CHECK_AT_PREP, PG_head } from './page-flags.js';

/**
 * Transparent huge page refcounting of the 3.x kernels, before Kirill
 * Shutemov's rework removed compound_lock in 4.5: a pin on a tail page counts
 * in the head's _count and in the tail's _mapcount, and
 * __split_huge_page_refcount() moves those pins to the tails under
 * compound_lock(head) (PG_compound_lock, locks.ts).
 *
 * The struct page layout is the model's (1d798ca3f164, v4.4+): PageTail and the
 * head pointer share one word (compound_head), where 3.x had a PG_tail flag and
 * page->first_page. compound_trans_head()'s PageTail / first_page / smp_rmb /
 * PageTail sequence is therefore one load here, and the splitter clears the
 * tail bit and the head pointer with one store.
 */
export const thpRefcount = {
  /** compound_trans_head() (include/linux/huge_mm.h, v3.12): the head while the page is still a tail, else the page. */
  *compound_trans_head(this: Kernel, page: number): KGen<number> {
    return yield* this.compound_head(page);
  },

  /** page_mapcount() (include/linux/mm.h, v3.12): atomic_read(&page->_mapcount) + 1. */
  *page_mapcount(this: Kernel, page: number): KGen<number> {
    const v: number = yield this.ld(page, MAPCOUNT, 'page_mapcount', (x) => String(x + 1));
    return v + 1;
  },

  /** __get_page_tail_foll(page, get_page_head) (mm/internal.h, v3.12): the tail pin, counted in the tail's _mapcount. */
  *__get_page_tail_foll(this: Kernel, page: number, get_page_head: boolean): KGen<void> {
    const head = yield* this.compound_head(page);
    // VM_BUG_ON(atomic_read(&page->first_page->_count) <= 0); VM_BUG_ON(atomic_read(&page->_count) != 0);
    if (get_page_head) yield this.rmw(head, REFCOUNT, RMW_ADD, 1, 0, 'atomic_inc(&page->first_page->_count)');
    yield this.rmw(page, MAPCOUNT, RMW_ADD, 1, 0, 'atomic_inc(&page->_mapcount)');
    this.note(page, 'tail pin taken (__get_page_tail_foll)');
  },

  /**
   * __get_page_tail() (mm/swap.c, v3.13): get_page() on a tail page. Pins the
   * head with get_page_unless_zero() before compound_lock(head); slab and
   * hugetlbfs heads (no compound_lock) are not modelled.
   */
  *__get_page_tail(this: Kernel, page: number): KGen<boolean> {
    let got = false;
    const page_head = yield* this.compound_trans_head(page);
    if (page !== page_head && (yield* this.get_page_unless_zero(page_head))) {
      // flags = compound_lock_irqsave(page_head);
      yield* this.compound_lock(page_head);
      // here __split_huge_page_refcount won't run anymore
      if (yield* this.PageTail(page)) {
        yield* this.__get_page_tail_foll(page, false);
        got = true;
      }
      yield* this.compound_unlock(page_head);
      if (!got) yield* this.put_page(page_head);
    }
    return got;
  },

  /**
   * put_compound_tail(): drops a tail pin. Andrea Arcangeli's sketch (seed 003,
   * 2013-12-16) with the get_page_unless_zero(page_head) he confirms "it was
   * supposed to do" before compound_lock; the body is put_compound_page()'s
   * PageTail branch (mm/swap.c, v3.13) without its slab/hugetlbfs shortcut.
   */
  *put_compound_tail(this: Kernel, page: number): KGen<void> {
    // __split_huge_page_refcount can run under us
    const page_head = yield* this.compound_trans_head(page);
    if (page !== page_head && (yield* this.get_page_unless_zero(page_head))) {
      // page_head wasn't a dangling pointer but it may not be a head page anymore by the
      // time we obtain the lock. That is ok as long as it can't be freed from under us.
      yield* this.compound_lock(page_head);
      if (!(yield* this.PageTail(page))) {
        // __split_huge_page_refcount run before us
        yield* this.compound_unlock(page_head);
        if (yield* this.put_page_testzero(page_head)) {
          if (yield* this.PageHead(page_head)) yield* this.__put_compound_page(page_head);
          else yield* this.__put_single_page(page_head);
        }
        // out_put_single:
        if (yield* this.put_page_testzero(page)) yield* this.__put_single_page(page);
        return;
      }
      // We can release the refcount taken by get_page_unless_zero() now that
      // __split_huge_page_refcount() is blocked on the compound_lock.
      if (yield* this.put_page_testzero(page_head)) this.bug('refcount-underflow', 'put_compound_tail: VM_BUG_ON(1): the head\'s last reference was the one taken by get_page_unless_zero()', page_head);
      // __split_huge_page_refcount will wait now
      yield this.rmw(page, MAPCOUNT, RMW_ADD, -1, 0, 'atomic_dec(&page->_mapcount)');
      yield* this.compound_unlock(page_head);
      if (yield* this.put_page_testzero(page_head)) {
        if (yield* this.PageHead(page_head)) yield* this.__put_compound_page(page_head);
        else yield* this.__put_single_page(page_head);
      }
    } else {
      // page_head is a dangling pointer: VM_BUG_ON(PageTail(page)); goto out_put_single;
      if (yield* this.put_page_testzero(page)) yield* this.__put_single_page(page);
    }
  },

  /**
   * __split_huge_page_refcount() (mm/huge_memory.c, v3.12), for the compound
   * page's own order instead of HPAGE_PMD_NR. Moves the tail pins from the head
   * to the tails under compound_lock(page). Not modelled: zone->lru_lock and
   * lru_add_page_tail (no LRU), memcg fixup, the anon flags copied to the
   * tails, and BUG_ON(page_tail->mapping) (the model's tails carry TAIL_MAPPING,
   * a 4.x layout detail); split_page_owner() is the shadow split.
   */
  *__split_huge_page_refcount(this: Kernel, page: number): KGen<void> {
    let tail_count = 0;
    const nr = yield* this.compound_nr(page);
    yield* this.compound_lock(page);
    for (let i = nr - 1; i >= 1; i--) {
      const page_tail = page + i;
      // tail_page->_mapcount cannot change
      const tail_mapcount = yield* this.page_mapcount(page_tail);
      if (tail_mapcount < 0) this.bug('bad-page-state', `__split_huge_page_refcount: BUG_ON(page_mapcount(page_tail) < 0): ${tail_mapcount}`, page_tail);
      tail_count += tail_mapcount;
      const head_mapcount = yield* this.page_mapcount(page);
      const old: number = yield this.rmw(page_tail, REFCOUNT, RMW_ADD, head_mapcount + tail_mapcount + 1, 0, 'atomic_add(page_mapcount(page) + page_mapcount(page_tail) + 1, &page_tail->_count)');
      if (old !== 0) this.bug('bad-page-state', `__split_huge_page_refcount: BUG_ON(atomic_read(&page_tail->_count) != 0): ${old}`, page_tail);
      // after clearing PageTail the gup refcount can be released
      yield this.m.fence('mb', 'smp_mb');
      // page_tail->flags &= ~PAGE_FLAGS_CHECK_AT_PREP | __PG_HWPOISON;  (clears PG_tail in 3.x)
      const f: number = yield this.ld(page_tail, FLAGS, 'page_tail->flags &= ~PAGE_FLAGS_CHECK_AT_PREP');
      yield this.stRmw(page_tail, FLAGS, f & ~PAGE_FLAGS_CHECK_AT_PREP, 'page_tail->flags &= ~PAGE_FLAGS_CHECK_AT_PREP');
      // clear PageTail before overwriting first_page
      yield this.m.fence('wmb', 'smp_wmb');
      yield* this.clear_compound_head(page_tail);
      // page_tail->_mapcount = page->_mapcount;
      const head_raw: number = yield this.ld(page, MAPCOUNT, 'page->_mapcount');
      yield this.st32(page_tail, MAPCOUNT, head_raw, 'page_tail->_mapcount = page->_mapcount');
      const mapping: number = yield this.ld(page, MAPPING, 'page->mapping');
      yield this.st(page_tail, MAPPING, mapping, 'page_tail->mapping = page->mapping');
      const index: number = yield this.ld(page, INDEX, 'page->index');
      yield this.st(page_tail, INDEX, index + i, 'page_tail->index = page->index + i');
    }
    const old: number = yield this.rmw(page, REFCOUNT, RMW_ADD, -tail_count, 0, 'atomic_sub(tail_count, &page->_count)');
    if (old - tail_count <= 0) this.bug('refcount-underflow', `__split_huge_page_refcount: BUG_ON(atomic_read(&page->_count) <= 0): ${old - tail_count}`, page);
    // ClearPageCompound(page): BUG_ON(!PageHead(page)); ClearPageHead(page);
    yield* this.clear_page_bit(page, PG_head, 'ClearPageCompound');
    this.shadowSplit(page, Math.log2(nr));
    yield* this.compound_unlock(page);
  },
};

declare module './context.js' {
  interface KernelFunctions extends MethodsOf<typeof thpRefcount> {}
}
