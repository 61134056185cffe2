import { GFP_KERNEL, __GFP_COMP, type KernelOverrides, type RaceSpec, type SpecThread } from '@pagecheck/core';
import { variant, type Scenario } from '../types.js';
import { putTailUnpinned, refcountedBeforePrep, refcountedLast } from './revisions.js';

const COMP = GFP_KERNEL | __GFP_COMP;

/**
 * Oleg Nesterov's race (seed 003): P was the head of a THP, which was split and
 * freed; a speculative user still holds the head pointer it read earlier
 * (compound_trans_head() in __get_page_tail() or put_compound_tail()). It pins
 * P with get_page_unless_zero() and takes compound_lock(P), while the
 * allocator hands P out again as alloc_pages(__GFP_COMP, 1).
 * @remarks Since 0.1.0
 */
export function prepRace(name: string, overrides: KernelOverrides): RaceSpec<{ page: number }> {
  return {
    name,
    // 3.x: the model's order-0 path without per-cpu lists (the race is not about them).
    kernel: { pages: 2, overrides, pcp: false },
    *setup(k) {
      // P was a compound page before: allocated, then freed (split and released in the story).
      const page = yield* k.alloc_pages(COMP, 1);
      if (page === null) throw new Error('setup: alloc_pages failed');
      yield* k.put_page(page);
      k.name(page, 'P');
      return { page };
    },
    threads: {
      /** alloc_pages(GFP_KERNEL | __GFP_COMP, 1) gets P again; its owner later drops it. */
      *alloc(k) {
        const page = yield* k.alloc_pages(COMP, 1);
        if (page === null) throw new Error('alloc_pages(__GFP_COMP, 1) failed');
        yield* k.put_page(page);
      },
      /** __get_page_tail() (mm/swap.c, v3.13) with a stale page_head: get_page_unless_zero, compound_lock, compound_unlock, put_page. */
      *stale(k, s) {
        const page_head = s.page;
        if (yield* k.get_page_unless_zero(page_head)) {
          yield* k.compound_lock(page_head);
          // here __split_huge_page_refcount won't run anymore: PageTail(page) is false, nothing taken
          yield* k.compound_unlock(page_head);
          yield* k.put_page(page_head);
        }
      },
    },
  };
}

/**
 * The put_compound_tail() race: H is a THP whose tail T the futex code pinned
 * (__get_page_tail(): H->_count and T->_mapcount). The splitter runs
 * __split_huge_page_refcount(H), which moves the pin to T, and the THP's owner
 * then drops the base reference of each page, freeing H. The futex thread
 * drops its pin with put_compound_tail(T), which reads H from T before the
 * split and takes compound_lock(H). With `realloc`, the THP is order 2 and a
 * third thread allocates an order-1 compound page, which can be H again: the
 * reuse Oleg Nesterov describes after get_page_unless_zero() succeeds.
 * @remarks Since 0.1.0
 */
export function putTailRace(name: string, overrides: KernelOverrides, realloc = false): RaceSpec<{ head: number; tail: number; nr: number }> {
  const order = realloc ? 2 : 1;
  const threads: Record<string, SpecThread<{ head: number; tail: number; nr: number }>> = {
    /** split_huge_page(): __split_huge_page_refcount(H), then the owner's base references go (munmap). */
    *split(k, s) {
      yield* k.__split_huge_page_refcount(s.head);
      for (let i = 0; i < s.nr; i++) yield* k.put_page(s.head + i);
    },
    /** get_futex_key()'s put of its tail pin: put_compound_tail(T). */
    *futex(k, s) {
      yield* k.put_compound_tail(s.tail);
    },
  };
  if (realloc) {
    /** Someone allocates an order-1 compound page, possibly H again, and frees it. */
    threads.realloc = function* (k) {
      const page = yield* k.alloc_pages(COMP, 1);
      if (page !== null) yield* k.put_page(page);
    };
  }
  return {
    name,
    kernel: { pages: 1 << order, overrides, pcp: false },
    *setup(k) {
      const head = yield* k.alloc_pages(COMP, order);
      if (head === null) throw new Error('setup: alloc_pages failed');
      const tail = head + (1 << order) - 1;
      k.name(head, 'H');
      k.name(tail, 'T');
      // get_page(T) on a tail page in 3.x: __get_page_tail()
      if (!(yield* k.__get_page_tail(tail))) throw new Error('setup: __get_page_tail failed');
      return { head, tail, nr: 1 << order };
    },
    threads,
  };
}

const prepCases = (id: string, overrides: KernelOverrides): RaceSpec<never>[] => [prepRace(`${id}: realloc vs compound_lock`, overrides)] as RaceSpec<never>[];
const tailCases = (id: string, overrides: KernelOverrides): RaceSpec<never>[] => [
  putTailRace(`${id}: split vs put_compound_tail`, overrides),
  putTailRace(`${id}: split vs put_compound_tail vs realloc`, overrides, true),
] as RaceSpec<never>[];

/** Seed 003: prep_new_page() ordering and compound_lock() on an unpinned head (3.x kernels). */
export const compoundLockPrep: Scenario = {
  id: 'compound-lock-prep',
  title: 'compound_lock() against a page being made compound, and on a head nobody pins (3.x)',
  sources: {
    threads: [
      'Re: PATCH? introduce get_compound_page (Was: process \'stuck\' at exit) (Oleg Nesterov, Andrea Arcangeli, 2013-12-13 .. 2013-12-16)',
    ],
    commits: [
      '668f9abbd433 mm: close PageTail race (smp_wmb so first_page is set before __SetPageTail)',
      '1d798ca3f164 mm: make compound_head() robust (tail bit and head pointer in one word, the model\'s layout)',
    ],
  },
  story: [
    'In 3.x kernels THP tail pins are counted in the head\'s _count and the tail\'s _mapcount, and __split_huge_page_refcount() moves them to the tails under compound_lock(head), a bit spinlock in page->flags.',
    'Reviewing Andrea Arcangeli\'s put_compound_tail() sketch, Oleg Nesterov saw that it took compound_lock_irqsave(page_head) without pinning the head: after a split the head can be freed, and the lock\'s atomic bit operation then races with the allocator\'s non-atomic updates of page->flags.',
    'He also saw that the pin does not suffice: prep_new_page() calls set_page_refcounted() before prep_compound_page(), so get_page_unless_zero() on a stale head can succeed while __SetPageHead() is still a load and a store of page->flags, and the compound_lock bit set in between is lost.',
    'Andrea Arcangeli agreed on both: put_compound_tail() was meant to call get_page_unless_zero() before compound_lock(), and prep_new_page() should run prep_compound_page(), smp_wmb(), then set_page_refcounted() last.',
  ].join(' '),
  variants: {
    'refcounted-before-prep': variant({
      id: 'refcounted-before-prep',
      title: 'v3.12 prep_new_page(): set_page_refcounted(), then prep_compound_page()',
      description: 'A stale user pins the new page with get_page_unless_zero() and takes compound_lock() while __SetPageHead() is a load and a store of page->flags.',
      cases: prepCases('refcounted-before-prep', refcountedBeforePrep),
      expected: ['lost-update'],
    }),
    'refcounted-last': variant({
      id: 'refcounted-last',
      title: 'Andrea Arcangeli: prep_compound_page(); smp_wmb(); set_page_refcounted()',
      description: 'The page is refcounted only once it is a complete compound page; under the default sequentially consistent model smp_wmb() only orders the code.',
      cases: prepCases('refcounted-last', refcountedLast),
      expected: [],
    }),
    'put-tail-unpinned-head': variant({
      id: 'put-tail-unpinned-head',
      title: 'put_compound_tail() sketch: compound_lock(page_head) without get_page_unless_zero(page_head)',
      description: [
        'After the split moved the pin to the tail, the owner frees the head while the futex thread locks it (allocator from the refcounted-last revision).',
        'The model shows both outcomes DESIGN.md names: the lock bit set inside free_pages_prepare()\'s non-atomic page->flags &= ~PAGE_FLAGS_CHECK_AT_PREP is lost (lost-update), and compound_lock() on a head already freed stores to a free page\'s struct page (use-after-free).',
        'It also shows the third one Oleg Nesterov names, the lock racing with the free-time flag checks: v3.12 checks __PG_COMPOUND_LOCK in PAGE_FLAGS_CHECK_AT_FREE (and PAGE_FLAGS_CHECK_AT_PREP), so a head freed while the futex thread holds its compound_lock, or reallocated with the bit still set, is a Bad page state.',
      ].join(' '),
      cases: tailCases('put-tail-unpinned-head', { ...refcountedLast, ...putTailUnpinned }),
      expected: ['bad-page-state', 'lost-update', 'use-after-free'],
      expectedFrom: 'Oleg Nesterov: "If we race with _split, page_head can be freed and compound_lock() can race with, say, free_pages_check() which plays with page->flags ?" The lost update is that race on the flags word; the Bad page state is free_pages_check() (or check_new_page()) seeing the PG_compound_lock bit; the use-after-free is the lock taken or dropped on a freed head.',
    }),
    'put-tail-pinned-head': variant({
      id: 'put-tail-pinned-head',
      title: 'put_compound_tail() with get_page_unless_zero(page_head) before compound_lock()',
      description: 'The head cannot be freed while it is locked: a freed head fails get_page_unless_zero() and only the tail pin is dropped (allocator from the refcounted-last revision).',
      cases: tailCases('put-tail-pinned-head', refcountedLast),
      expected: [],
    }),
  },
};
