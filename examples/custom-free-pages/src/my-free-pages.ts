import { MEMCG_DATA_FLAGS_MASK, layout, type Kernel, type KernelOverrides } from '@pagecheck/core';

/**
 * Our allocator's __free_pages: like 462a8e08e0e6 it reads PageHead before
 * dropping the reference, and like Matthew Wilcox's 2021 proposal it also
 * caches memcg_data and gives it to the first page of every tail block it frees.
 * Unlike the proposal, each copy takes the css reference it will hold, as
 * split_page_memcg() does for its copies: the tail's uncharge drops it.
 */
export const myFreePages: KernelOverrides = {
  *__free_pages(k: Kernel, page: number, order: number) {
    const head = yield* k.PageHead(page);
    const memcg_data: number = yield k.ld(page, layout.MEMCG_DATA, 'memcg_data = page->memcg_data');
    const memcg = memcg_data & ~MEMCG_DATA_FLAGS_MASK;
    if (yield* k.put_page_testzero(page)) {
      yield* k.free_the_page(page, order);
    } else if (!head) {
      while (order-- > 0) {
        const tail = page + (1 << order);
        if (memcg !== 0) yield* k.css_get(memcg);
        yield k.st(tail, layout.MEMCG_DATA, memcg_data, 'tail->memcg_data = memcg_data');
        yield* k.free_the_page(tail, order);
      }
    }
  },
};

/** Matthew Wilcox's proposal as posted: the copies hold no css reference. */
export const proposalFreePages: KernelOverrides = {
  *__free_pages(k: Kernel, page: number, order: number) {
    const head = yield* k.PageHead(page);
    const memcg_data: number = yield k.ld(page, layout.MEMCG_DATA, 'memcg_data = page->memcg_data');
    if (yield* k.put_page_testzero(page)) {
      yield* k.free_the_page(page, order);
    } else if (!head) {
      while (order-- > 0) {
        const tail = page + (1 << order);
        yield k.st(tail, layout.MEMCG_DATA, memcg_data, 'tail->memcg_data = memcg_data');
        yield* k.free_the_page(tail, order);
      }
    }
  },
};

/** A tempting shortcut that is wrong: free the tails only when the put was the last. */
export const shortcutFreePages: KernelOverrides = {
  *__free_pages(k: Kernel, page: number, order: number) {
    if (yield* k.put_page_testzero(page)) yield* k.free_the_page(page, order);
  },
};
