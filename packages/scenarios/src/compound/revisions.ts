import { __GFP_COMP, __GFP_ZERO, layout, type Kernel, type KernelOverrides } from '@pagecheck/core';
import { RMW_ADD } from '@pagecheck/core/engine';

/**
 * The 3.x revisions behind seed 003, as kernel overrides. prep_new_page()
 * decides when a racer's get_page_unless_zero() can succeed on a page being
 * made compound; put_compound_tail() decides whether compound_lock() is taken
 * on a head nobody pins.
 *
 * prep_new_page() here is the body of v3.12's after its check_new_page() loop:
 * the model's rmqueue() already runs check_new_pages() (v5.12's place for it).
 * prep_compound_page() is the model's (v5.12): it sets PG_head first, where
 * v3.12 wrote the destructor and order into page[1] first; either way
 * __SetPageHead is a non-atomic load and store of page->flags, which is what
 * races with the compound_lock bit.
 */

/** prep_new_page() as in v3.12 (mm/page_alloc.c): set_page_refcounted() before prep_compound_page(). */
export const refcountedBeforePrep: KernelOverrides = {
  // v3.12 mm/page_alloc.c prep_new_page()
  *prep_new_page(k: Kernel, page: number, order: number, gfp_flags: number) {
    yield* k.set_page_private(page, 0);
    yield* k.set_page_refcounted(page);
    // arch_alloc_page(page, order); kernel_map_pages(page, 1 << order, 1);
    if ((gfp_flags & __GFP_ZERO) !== 0) yield* k.use_page_data(page, order, 'prep_zero_page', true);
    if (order > 0 && (gfp_flags & __GFP_COMP) !== 0) yield* k.prep_compound_page(page, order);
  },
};

/**
 * Andrea Arcangeli's reorder (Re: PATCH? introduce get_compound_page, 2013-12-16):
 * prep_compound_page(); smp_wmb(); set_page_refcounted() last, "as the
 * compound_lock can be taken after it's refcounted".
 */
export const refcountedLast: KernelOverrides = {
  // v3.12 mm/page_alloc.c prep_new_page() with Andrea Arcangeli's reorder
  *prep_new_page(k: Kernel, page: number, order: number, gfp_flags: number) {
    yield* k.set_page_private(page, 0);
    // arch_alloc_page(page, order); kernel_map_pages(page, 1 << order, 1);
    if ((gfp_flags & __GFP_ZERO) !== 0) yield* k.use_page_data(page, order, 'prep_zero_page', true);
    if (order > 0 && (gfp_flags & __GFP_COMP) !== 0) yield* k.prep_compound_page(page, order);
    yield k.m.fence('wmb', 'smp_wmb');
    // as the compound_lock can be taken after it's refcounted
    yield* k.set_page_refcounted(page);
  },
};

/**
 * put_compound_tail() as Andrea Arcangeli first sketched it (quoted by Oleg
 * Nesterov, 2013-12-16): compound_lock_irqsave(page_head) with no
 * get_page_unless_zero(page_head) first; otherwise put_compound_page()'s
 * PageTail branch (mm/swap.c, v3.13), as the model's put_compound_tail().
 */
export const putTailUnpinned: KernelOverrides = {
  // Andrea Arcangeli's put_compound_tail() pseudo-code (seed 003) on v3.13 mm/swap.c put_compound_page()
  *put_compound_tail(k: Kernel, page: number) {
    const page_head = yield* k.compound_trans_head(page);
    if (page === page_head) {
      // no longer a tail: __split_huge_page_refcount() moved the pin to the page; out_put_single
      if (yield* k.put_page_testzero(page)) yield* k.__put_single_page(page);
      return;
    }
    // flags = compound_lock_irqsave(page_head);
    yield* k.compound_lock(page_head);
    if (!(yield* k.PageTail(page))) {
      // __split_huge_page_refcount run before us
      yield* k.compound_unlock(page_head);
      if (yield* k.put_page_testzero(page)) yield* k.__put_single_page(page);
      return;
    }
    yield k.rmw(page, layout.MAPCOUNT, RMW_ADD, -1, 0, 'atomic_dec(&page->_mapcount)');
    yield* k.compound_unlock(page_head);
    if (yield* k.put_page_testzero(page_head)) {
      if (yield* k.PageHead(page_head)) yield* k.__put_compound_page(page_head);
      else yield* k.__put_single_page(page_head);
    }
  },
};
