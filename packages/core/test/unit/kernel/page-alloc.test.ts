import { describe, expect, it } from 'vitest';
import { checkFreeLists, createKernel } from '../../../src/kernel/kernel.js';
import { GFP_KERNEL, __GFP_COMP, __GFP_HIGHMEM, __GFP_NOWARN, __GFP_ZERO } from '../../../src/kernel/gfp.js';
import { __find_buddy_pfn } from '../../../src/kernel/page-alloc.js';
import { isBuddyType } from '../../../src/kernel/page-flags-ops.js';
import { PG_dirty, PG_lru } from '../../../src/kernel/page-flags.js';
import { PAGE_OFFSET, PAGE_SIZE } from '../../../src/kernel/data.js';
import { FLAGS, MAPCOUNT, MAPPING, PRIVATE, REFCOUNT } from '../../../src/machine/layout.js';
import { freeBlocks, nrFreeByOrder } from './free-area.js';
import { alloc, kinds } from '../kernel-helpers.js';

describe('alloc_pages', () => {
  it('returns a block aligned to its order, whatever the free lists hold', () => {
    for (let order = 0; order < 7; order++) {
      const k = createKernel({ pages: 64 });
      alloc(k, 0); // fragment the zone first
      const p = k.run(k.alloc_pages(GFP_KERNEL, order));
      if (order === 6) {
        expect(p).toBeNull();
        continue;
      }
      expect(p).not.toBeNull();
      expect(p! % (1 << order)).toBe(0);
      expect(p! >= k.m.startPfn && p! + (1 << order) <= k.m.startPfn + 64).toBe(true);
    }
  });

  it('hands out the lowest block of a fresh zone', () => {
    const k = createKernel({ pages: 64 });
    expect(alloc(k, 2)).toBe(k.m.startPfn);
  });

  it('gives the first page _refcount 1 and the others 0', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 3);
    expect(k.peek(p, REFCOUNT)).toBe(1);
    for (let i = 1; i < 8; i++) expect(k.peek(p + i, REFCOUNT)).toBe(0);
  });

  it('clears PageBuddy and the buddy order of the block it hands out', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 0);
    expect(isBuddyType(k.peek(p, MAPCOUNT))).toBe(false);
    expect(k.peek(p, MAPCOUNT)).toBe(-1);
    expect(k.peek(p, PRIVATE)).toBe(0);
  });

  it('takes 1 << order pages out of NR_FREE_PAGES', () => {
    const k = createKernel({ pages: 64 });
    expect(k.nrFreePages).toBe(64);
    alloc(k, 3);
    expect(k.nrFreePages).toBe(56);
    alloc(k, 0);
    expect(k.nrFreePages).toBe(55);
    expect(checkFreeLists(k)).toBeUndefined();
  });

  it('returns null when no free block is big enough', () => {
    const k = createKernel({ pages: 64 });
    alloc(k, 0);
    expect(k.run(k.alloc_pages(GFP_KERNEL, 6))).toBeNull();
    expect(k.nrFreePages).toBe(63);
    expect(alloc(k, 5)).toBe(k.m.startPfn + 32);
    expect(k.run(k.alloc_pages(GFP_KERNEL, 5))).toBeNull();
    expect(checkFreeLists(k)).toBeUndefined();
  });

  it('returns null once every page is allocated', () => {
    const k = createKernel({ pages: 16 });
    for (let i = 0; i < 16; i++) alloc(k, 0);
    expect(k.nrFreePages).toBe(0);
    expect(k.run(k.alloc_pages(GFP_KERNEL, 0))).toBeNull();
    expect(k.violations).toEqual([]);
  });

  it('throws a RangeError that names MAX_ORDER for an order at or above it', () => {
    const k = createKernel({ pages: 64 });
    expect(() => k.run(k.alloc_pages(GFP_KERNEL, 7))).toThrow(RangeError);
    expect(() => k.run(k.alloc_pages(GFP_KERNEL, 7))).toThrow(/MAX_ORDER \(7\)/);
    expect(k.nrFreePages).toBe(64);
  });

  it('returns null quietly for an order at or above MAX_ORDER with __GFP_NOWARN', () => {
    const k = createKernel({ pages: 64 });
    expect(k.run(k.alloc_pages(GFP_KERNEL | __GFP_NOWARN, 7))).toBeNull();
    expect(k.run(k.alloc_pages(GFP_KERNEL | __GFP_NOWARN, 30))).toBeNull();
    expect(k.violations).toEqual([]);
  });

  it('rejects gfp bits the model does not know', () => {
    const k = createKernel({ pages: 64 });
    expect(() => k.run(k.alloc_pages(0x800000, 0))).toThrow(/gfp_mask 0x800000 has bits the model does not know/);
    expect(() => k.run(k.alloc_pages(-1, 0))).toThrow(RangeError);
    expect(() => k.run(k.alloc_pages(1.5, 0))).toThrow(RangeError);
  });

  it('rejects an order that is not a non-negative integer', () => {
    const k = createKernel({ pages: 64 });
    expect(() => k.run(k.alloc_pages(GFP_KERNEL, -1))).toThrow(/order must be a non-negative integer/);
    expect(() => k.run(k.alloc_pages(GFP_KERNEL, 1.5))).toThrow(/order must be a non-negative integer/);
  });

  it('touches the page contents for __GFP_ZERO without a violation', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 2, GFP_KERNEL | __GFP_ZERO);
    expect(k.violations).toEqual([]);
    k.run(k.__free_pages(p, 2));
  });

  it('records the allocation in the shadow with its order and gfp mask', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 2, GFP_KERNEL | __GFP_COMP);
    const a = k.shadow.allocationOf(p + 3);
    expect(a).toMatchObject({ pfn: p, order: 2, gfp: GFP_KERNEL | __GFP_COMP });
    expect(k.shadow.historyOf(p)[0]!.what).toMatch(/page allocated via order 2, gfp_mask GFP_KERNEL\|__GFP_COMP/);
  });
});

describe('expand', () => {
  it('puts each upper half on the free list of its order', () => {
    const k = createKernel({ pages: 64 });
    const s = k.m.startPfn;
    alloc(k, 0);
    expect(freeBlocks(k)).toEqual([
      { pfn: s + 1, order: 0 },
      { pfn: s + 2, order: 1 },
      { pfn: s + 4, order: 2 },
      { pfn: s + 8, order: 3 },
      { pfn: s + 16, order: 4 },
      { pfn: s + 32, order: 5 },
    ]);
    expect(nrFreeByOrder(k)).toEqual([1, 1, 1, 1, 1, 1, 0]);
  });

  it('stops splitting at the order asked for', () => {
    const k = createKernel({ pages: 64 });
    const s = k.m.startPfn;
    alloc(k, 4);
    expect(freeBlocks(k)).toEqual([
      { pfn: s + 16, order: 4 },
      { pfn: s + 32, order: 5 },
    ]);
    expect(nrFreeByOrder(k)).toEqual([0, 0, 0, 0, 1, 1, 0]);
  });

  it('marks each upper half PageBuddy with its order in page_private', () => {
    const k = createKernel({ pages: 64 });
    alloc(k, 0);
    for (const { pfn, order } of freeBlocks(k)) {
      expect(isBuddyType(k.peek(pfn, MAPCOUNT))).toBe(true);
      expect(k.peek(pfn, PRIVATE)).toBe(order);
      expect(k.peek(pfn, REFCOUNT)).toBe(0);
    }
  });

  it('takes a smaller free block before splitting a bigger one', () => {
    const k = createKernel({ pages: 64 });
    const s = k.m.startPfn;
    alloc(k, 0);
    expect(alloc(k, 2)).toBe(s + 4);
    expect(alloc(k, 0)).toBe(s + 1);
    expect(nrFreeByOrder(k)).toEqual([0, 1, 0, 1, 1, 1, 0]);
  });
});

describe('__find_buddy_pfn', () => {
  it('flips the bit of the order', () => {
    expect(__find_buddy_pfn(64, 0)).toBe(65);
    expect(__find_buddy_pfn(65, 0)).toBe(64);
    expect(__find_buddy_pfn(68, 2)).toBe(64);
    expect(__find_buddy_pfn(64, 5)).toBe(96);
  });
});

describe('split_page', () => {
  it('gives every page of the block _refcount 1', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 3);
    k.run(k.split_page(p, 3));
    for (let i = 0; i < 8; i++) expect(k.peek(p + i, REFCOUNT)).toBe(1);
  });

  it('turns the block into order-0 allocations in the shadow', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 2);
    k.run(k.split_page(p, 2));
    for (let i = 0; i < 4; i++) expect(k.shadow.allocationOf(p + i)).toMatchObject({ pfn: p + i, order: 0 });
  });

  it('lets the pages be freed one by one, in any order', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 3);
    k.run(k.split_page(p, 3));
    for (const i of [5, 0, 7, 2, 3, 1, 6, 4]) {
      const before = k.nrFreePages;
      k.run(k.__free_pages(p + i, 0));
      expect(k.nrFreePages).toBe(before + 1);
      expect(checkFreeLists(k)).toBeUndefined();
    }
    expect(freeBlocks(k)).toEqual([{ pfn: k.m.startPfn, order: 6 }]);
    k.finalChecks();
    expect(k.violations).toEqual([]);
  });

  it('leaves a page-leak for a page that is never freed', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 2);
    k.run(k.split_page(p, 2));
    for (const i of [0, 1, 3]) k.run(k.__free_pages(p + i, 0));
    k.finalChecks();
    expect(kinds(k)).toEqual(['page-leak']);
    expect(k.violations[0]!.pfn).toBe(p + 2);
    expect(k.violations[0]!.message).toMatch(/1 page\(s\) of the order-0 allocation/);
  });

  it('refuses a compound page', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 2, GFP_KERNEL | __GFP_COMP);
    expect(() => k.run(k.split_page(p, 2))).toThrow(/VM_BUG_ON_PAGE\(PageCompound\(page\)\)/);
    expect(kinds(k)).toEqual(['bad-page-state']);
  });
});

describe('__get_free_pages and free_pages', () => {
  it('round-trip through the direct map', () => {
    const k = createKernel({ pages: 64 });
    const addr = k.run(k.__get_free_pages(GFP_KERNEL, 2));
    expect(addr).toBeGreaterThanOrEqual(PAGE_OFFSET);
    const page = k.virt_to_page(addr);
    expect(addr).toBe(PAGE_OFFSET + page * PAGE_SIZE);
    expect(k.page_address(page)).toBe(addr);
    expect(page % 4).toBe(0);
    expect(k.nrFreePages).toBe(60);
    k.run(k.free_pages(addr, 2));
    expect(k.nrFreePages).toBe(64);
    k.finalChecks();
    expect(k.violations).toEqual([]);
  });

  it('returns 0 when the allocation fails', () => {
    const k = createKernel({ pages: 16 });
    alloc(k, 0);
    expect(k.run(k.__get_free_pages(GFP_KERNEL, 4))).toBe(0);
  });

  it('allocates without __GFP_HIGHMEM', () => {
    const k = createKernel({ pages: 64 });
    const addr = k.run(k.__get_free_pages(GFP_KERNEL | __GFP_HIGHMEM, 0));
    expect(k.shadow.allocationOf(k.virt_to_page(addr))!.gfp).toBe(GFP_KERNEL);
  });

  it('does nothing when free_pages is given address 0', () => {
    const k = createKernel({ pages: 64 });
    k.run(k.free_pages(0, 3));
    expect(k.nrFreePages).toBe(64);
    expect(k.violations).toEqual([]);
  });

  it('rejects an address outside the direct map', () => {
    const k = createKernel({ pages: 64 });
    expect(() => k.run(k.free_pages(12345, 0))).toThrow(/virt_to_page: 0x3039 is not a direct-map address/);
  });
});

describe('check_new_page', () => {
  it('reports a free page with a flag set and hands out another block', () => {
    const k = createKernel({ pages: 16 });
    const s = k.m.startPfn;
    k.m.poke(s + 5, FLAGS, 1 << PG_lru);
    const p = alloc(k, 3);
    expect(p).toBe(s + 8);
    expect(kinds(k)).toEqual(['bad-page-state']);
    expect(k.violations[0]!.pfn).toBe(s + 5);
    expect(k.violations[0]!.message).toMatch(/in check_new_page_bad: page dumped because: PAGE_FLAGS_CHECK_AT_PREP flag\(s\) set$/);
  });

  it('reports a free page with a nonzero mapcount, a non-NULL mapping or a nonzero _refcount', () => {
    const cases = [[MAPCOUNT, 0, 'nonzero mapcount'], [MAPPING, 0x1000_0040, 'non-NULL mapping'], [REFCOUNT, 1, 'nonzero _refcount']] as const;
    for (const [slot, value, reason] of cases) {
      const k = createKernel({ pages: 16 });
      const s = k.m.startPfn;
      k.m.poke(s + 3, slot, value);
      expect(alloc(k, 2)).toBe(s + 4);
      expect(k.violations.map((v) => v.message.replace(/.*because: /, ''))).toEqual([reason]);
    }
  });

  it('keeps the dropped block out of the allocator, the leak check and the free-list check', () => {
    const k = createKernel({ pages: 16 });
    const s = k.m.startPfn;
    k.m.poke(s + 5, FLAGS, 1 << PG_lru);
    const p = alloc(k, 3);
    k.run(k.__free_pages(p, 3));
    for (let i = 0; i < 8; i++) expect(k.isQuarantined(s + i)).toBe(true);
    expect(checkFreeLists(k)).toBeUndefined();
    expect(k.run(k.alloc_pages(GFP_KERNEL, 3))).toBe(s + 8);
    expect(k.run(k.alloc_pages(GFP_KERNEL, 0))).toBeNull();
    k.run(k.__free_pages(s + 8, 3));
    k.finalChecks();
    expect(kinds(k)).toEqual(['bad-page-state']);
  });

  it('drops an order-0 page that fails the check and hands out the next one', () => {
    const k = createKernel({ pages: 16 });
    const s = k.m.startPfn;
    k.m.poke(s, FLAGS, 1 << PG_dirty);
    expect(alloc(k, 0)).toBe(s + 1);
    expect(k.violations.map((v) => v.message.replace(/.*because: /, ''))).toEqual(['PAGE_FLAGS_CHECK_AT_PREP flag(s) set']);
    k.run(k.__free_pages(s + 1, 0));
    expect(checkFreeLists(k)).toBeUndefined();
    k.finalChecks();
    expect(kinds(k)).toEqual(['bad-page-state']);
  });
});
