import { layout, type Kernel, type KernelOverrides } from '@pagecheck/core';

/**
 * Revisions of __free_pages() (mm/page_alloc.c), each as a kernel override.
 * The model's own __free_pages is 462a8e08e0e6's.
 */

/** Before 5.10: drop the reference; the last put frees the block. */
export const preE320d3012d25: KernelOverrides = {
  // v5.9 mm/page_alloc.c
  *__free_pages(k: Kernel, page: number, order: number) {
    if (yield* k.put_page_testzero(page)) yield* k.free_the_page(page, order);
  },
};

/** e320d3012d25 "mm/page_alloc.c: fix freeing non-compound pages" (5.10): free the tails if not the last ref. */
export const e320d3012d25: KernelOverrides = {
  // v5.10 mm/page_alloc.c
  *__free_pages(k: Kernel, page: number, order: number) {
    if (yield* k.put_page_testzero(page)) yield* k.free_the_page(page, order);
    else if (!(yield* k.PageHead(page))) while (order-- > 0) yield* k.free_the_page(page + (1 << order), order);
  },
};

/** Johannes Weiner, 2021-03-19: split_page_memcg() before freeing the tails; PageHead still read after the put. */
export const hannesV1: KernelOverrides = {
  // [PATCH] mm: page_alloc: fix memcg accounting leak in speculative cache lookup (v1)
  *__free_pages(k: Kernel, page: number, order: number) {
    if (yield* k.put_page_testzero(page)) {
      yield* k.free_the_page(page, order);
      return;
    }
    if (!(yield* k.PageHead(page)) && order > 0) {
      yield* k.split_page_memcg(page, 1 << order);
      while (order-- > 0) yield* k.free_the_page(page + (1 << order), order);
    }
  },
};

/** Johannes Weiner, 2021-03-23: PageHead cached before the put, split_page_memcg() before freeing the tails. */
export const hannesV2: KernelOverrides = {
  // [PATCH] mm: page_alloc: fix allocation imbalances from speculative cache lookup (v2)
  *__free_pages(k: Kernel, page: number, order: number) {
    const compound = yield* k.PageHead(page);
    if (yield* k.put_page_testzero(page)) {
      yield* k.free_the_page(page, order);
      return;
    }
    if (order > 0 && !compound) {
      yield* k.split_page_memcg(page, 1 << order);
      while (order-- > 0) yield* k.free_the_page(page + (1 << order), order);
    }
  },
};

/**
 * Matthew Wilcox, 2021-03-26: cache PageHead and memcg_data before the put and
 * give each freed block's first page the cached memcg_data.
 */
export const willyCacheMemcg: KernelOverrides = {
  // Re: [PATCH] mm: page_alloc: fix memcg accounting leak in speculative cache lookup (2021-03-26)
  *__free_pages(k: Kernel, page: number, order: number) {
    const compound = yield* k.PageHead(page);
    const memcg_data: number = yield k.ld(page, layout.MEMCG_DATA, 'memcg_data = page->memcg_data');
    if (yield* k.put_page_testzero(page)) yield* k.free_the_page(page, order);
    else if (!compound) {
      while (order-- > 0) {
        const tail = page + (1 << order);
        yield k.st(tail, layout.MEMCG_DATA, memcg_data, 'tail->memcg_data = memcg_data');
        yield* k.free_the_page(tail, order);
      }
    }
  },
};

/** 462a8e08e0e6 "Fix page corruption caused by racy check in __free_pages" (6.2): PageHead read before the put. */
export const fix462a8e08e0e6: KernelOverrides = {
  // v6.2 mm/page_alloc.c
  *__free_pages(k: Kernel, page: number, order: number) {
    const head = yield* k.PageHead(page);
    if (yield* k.put_page_testzero(page)) yield* k.free_the_page(page, order);
    else if (!head) while (order-- > 0) yield* k.free_the_page(page + (1 << order), order);
  },
};
