import { describe, expect, it } from 'vitest';
import { GFP_KERNEL, __GFP_COMP, PG_head, createKernel, layout, pfnToAddr } from '@pagecheck/core';

describe('struct page words', () => {
  it('are laid out as in the kernel, and readable with peek', () => {
    // #region words
    const k = createKernel({ pages: 16 });
    const head = k.run(k.alloc_pages(GFP_KERNEL | __GFP_COMP, 2))!;

    // The head: PG_head in flags, one reference.
    expect(k.peek(head, layout.FLAGS) & (1 << PG_head)).not.toBe(0);
    expect(k.peek(head, layout.REFCOUNT)).toBe(1);
    // Every tail: compound_head is the head's struct page address with bit 0 set.
    expect(k.peek(head + 3, layout.LRU_NEXT)).toBe(pfnToAddr(head) | 1);
    // page[1]: _folio_dtor in byte 0 and _folio_order in byte 1 of the lru.prev word.
    expect((k.peek(head + 1, layout.LRU_PREV) >> 8) & 0xff).toBe(2);
    // A free block: PageBuddy, its order in private.
    const free = k.pfn(8);
    expect(k.run(k.PageBuddy(free))).toBe(true);
    expect(k.peek(free, layout.PRIVATE)).toBe(3);
    // #endregion words
  });
});
