import { describe, expect, it } from 'vitest';
import { checkFreeLists, createKernel, type Kernel } from '../../../src/kernel/kernel.js';
import { GFP_KERNEL, __GFP_COMP, __GFP_HIGHMEM, __GFP_NOWARN, __GFP_ZERO } from '../../../src/kernel/gfp.js';
import { __find_buddy_pfn } from '../../../src/kernel/page-alloc.js';
import { isBuddyType } from '../../../src/kernel/page-flags-ops.js';
import {
  PAGE_FLAGS_CHECK_AT_FREE, PG_active, PG_dirty, PG_locked, PG_lru, PG_mlocked, PG_private, PG_private_2, PG_referenced,
  PG_compound_lock, PG_reserved, PG_slab, PG_unevictable, PG_uptodate, PG_writeback,
} from '../../../src/kernel/page-flags.js';
import { PAGE_OFFSET, PAGE_SIZE } from '../../../src/kernel/data.js';
import { FLAGS, MAPCOUNT, MAPPING, MEMCG_DATA, PRIVATE, REFCOUNT } from '../../../src/machine/layout.js';
import { freeBlocks, maximalBlocks, nrFreeByOrder } from './free-area.js';

const alloc = (k: Kernel, order: number, gfp = GFP_KERNEL): number => {
  const p = k.run(k.alloc_pages(gfp, order));
  if (p === null) throw new Error(`alloc_pages(order ${order}) failed`);
  return p;
};

const kinds = (k: Kernel): string[] => k.violations.map((v) => v.kind);

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

describe('__free_pages', () => {
  it('merges a freed block with its free buddy, order by order', () => {
    const k = createKernel({ pages: 64 });
    const s = k.m.startPfn;
    const [a, b, c, d] = [alloc(k, 2), alloc(k, 2), alloc(k, 2), alloc(k, 2)];
    expect([a, b, c, d]).toEqual([s, s + 4, s + 8, s + 12]);
    k.run(k.__free_pages(b, 2)); // buddy a is allocated: no merge
    k.run(k.__free_pages(c, 2)); // buddy d is allocated: no merge
    expect(freeBlocks(k).filter((f) => f.pfn < s + 16)).toEqual([
      { pfn: s + 4, order: 2 },
      { pfn: s + 8, order: 2 },
    ]);
    k.run(k.__free_pages(a, 2)); // a + b -> order 3; its buddy c is only order 2
    expect(freeBlocks(k).filter((f) => f.pfn < s + 16)).toEqual([
      { pfn: s, order: 3 },
      { pfn: s + 8, order: 2 },
    ]);
    k.run(k.__free_pages(d, 2)); // d + c -> order 3, + a -> 4, + 16 -> 5, + 32 -> 6
    expect(freeBlocks(k)).toEqual([{ pfn: s, order: 6 }]);
    expect(nrFreeByOrder(k)).toEqual([0, 0, 0, 0, 0, 0, 1]);
    expect(k.nrFreePages).toBe(64);
  });

  it('clears PageBuddy on the buddies it merges and sets it on the merged block only', () => {
    const k = createKernel({ pages: 64 });
    const s = k.m.startPfn;
    const a = alloc(k, 0);
    k.run(k.__free_pages(a, 0));
    expect(isBuddyType(k.peek(s, MAPCOUNT))).toBe(true);
    expect(k.peek(s, PRIVATE)).toBe(6);
    for (const p of [s + 1, s + 2, s + 4, s + 8, s + 16, s + 32]) {
      expect(isBuddyType(k.peek(p, MAPCOUNT))).toBe(false);
      expect(k.peek(p, PRIVATE)).toBe(0);
    }
  });

  it('stops merging at MAX_ORDER - 1', () => {
    const k = createKernel({ pages: 64, maxOrder: 3, startPfn: 64 });
    const s = k.m.startPfn;
    expect(freeBlocks(k)).toEqual(maximalBlocks(s, 64, 3));
    expect(nrFreeByOrder(k)).toEqual([0, 0, 16]);
    const p = alloc(k, 0);
    k.run(k.__free_pages(p, 0));
    // s and s + 4 are buddies of order 2, but order 2 is MAX_ORDER - 1: they stay apart.
    expect(freeBlocks(k).slice(0, 2)).toEqual([
      { pfn: s, order: 2 },
      { pfn: s + 4, order: 2 },
    ]);
    expect(nrFreeByOrder(k)).toEqual([0, 0, 16]);
    expect(checkFreeLists(k)).toBeUndefined();
  });

  it('does not merge with a buddy outside the zone', () => {
    const k = createKernel({ pages: 48 }); // blocks of 32 and 16: the 16's buddy is past the end
    const s = k.m.startPfn;
    expect(freeBlocks(k)).toEqual([
      { pfn: s, order: 5 },
      { pfn: s + 32, order: 4 },
    ]);
    const p = alloc(k, 4);
    k.run(k.__free_pages(p, 4));
    expect(freeBlocks(k)).toEqual(maximalBlocks(s, 48, k.MAX_ORDER));
  });

  it('gives NR_FREE_PAGES back the pages it frees', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 3);
    const q = alloc(k, 0);
    k.run(k.__free_pages(p, 3));
    expect(k.nrFreePages).toBe(63);
    k.run(k.__free_pages(q, 0));
    expect(k.nrFreePages).toBe(64);
    expect(checkFreeLists(k)).toBeUndefined();
  });

  it('frees every page of a non-compound block', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 3);
    k.run(k.__free_pages(p, 3));
    expect(k.shadow.isAllocated(p + 7)).toBe(false);
    expect(freeBlocks(k)).toEqual([{ pfn: k.m.startPfn, order: 6 }]);
    k.finalChecks();
    expect(k.violations).toEqual([]);
  });

  it('frees the tail pages of a non-compound block while another reference holds page 0', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 2);
    k.run(k.get_page(p)); // a speculative reference
    k.run(k.__free_pages(p, 2));
    expect(k.peek(p, REFCOUNT)).toBe(1);
    expect(k.shadow.isAllocated(p)).toBe(true);
    for (let i = 1; i < 4; i++) expect(k.shadow.isAllocated(p + i)).toBe(false);
    expect(k.nrFreePages).toBe(63);
    k.run(k.put_page(p));
    expect(k.nrFreePages).toBe(64);
    k.finalChecks();
    expect(k.violations).toEqual([]);
  });

  it('frees nothing of a compound page while another reference remains', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 2, GFP_KERNEL | __GFP_COMP);
    k.run(k.get_page(p));
    k.run(k.__free_pages(p, 2));
    expect(k.nrFreePages).toBe(60);
    k.run(k.put_page(p));
    expect(k.nrFreePages).toBe(64);
    k.finalChecks();
    expect(k.violations).toEqual([]);
  });

  it('reports a second __free_pages of the same page as refcount-underflow', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 0);
    k.run(k.__free_pages(p, 0));
    expect(() => k.run(k.__free_pages(p, 0))).toThrow(/refcount-underflow/);
  });
});

describe('free_the_page', () => {
  it('frees an order-0 page through free_unref_page and a bigger block through __free_pages_ok', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 0);
    const q = alloc(k, 2);
    k.run(k.set_page_count(p, 0));
    k.run(k.set_page_count(q, 0));
    k.run(k.free_the_page(p, 0));
    k.run(k.free_the_page(q, 2));
    expect(k.nrFreePages).toBe(64);
    expect(checkFreeLists(k)).toBeUndefined();
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

/** Allocates an order-0 page, breaks it with `corrupt`, then frees it with __free_pages. */
function freeBroken(corrupt: (k: Kernel, p: number) => void, config = {}): { k: Kernel; p: number } {
  const k = createKernel({ pages: 64, ...config });
  const p = alloc(k, 0);
  corrupt(k, p);
  k.run(k.__free_pages(p, 0));
  return { k, p };
}

describe('check_free_page', () => {
  const reasons: [string, (k: Kernel, p: number) => void][] = [
    ['nonzero mapcount', (k, p) => k.m.poke(p, MAPCOUNT, 0)],
    ['non-NULL mapping', (k, p) => k.m.poke(p, MAPPING, 0x1000_0040)],
    ['PAGE_FLAGS_CHECK_AT_FREE flag(s) set', (k, p) => k.m.poke(p, FLAGS, 1 << PG_reserved)],
    // memcg_data set with the css reference it holds, as split_page_memcg() leaves a page.
    ['page still charged to cgroup', (k, p) => { k.m.poke(p, MEMCG_DATA, k.memcg!.addr); k.run(k.css_get(k.memcg!.addr)); }],
  ];

  for (const [reason, corrupt] of reasons) {
    it(`reports bad-page-state "${reason}" and does not free the page`, () => {
      const { k, p } = freeBroken(corrupt);
      expect(kinds(k)).toEqual(['bad-page-state']);
      const v = k.violations[0]!;
      expect(v.pfn).toBe(p);
      expect(v.message).toContain(`pfn:${p.toString(16).padStart(5, '0')} in check_free_page_bad: page dumped because: ${reason}`);
      expect(v.message).toMatch(/^BUG: Bad page state in process/);
      expect(k.nrFreePages).toBe(63);
      expect(freeBlocks(k).some((f) => f.pfn <= p && p < f.pfn + (1 << f.order))).toBe(false);
      expect(k.isQuarantined(p)).toBe(true);
    });

    it(`does not report a page left out for "${reason}" as a leak`, () => {
      const { k } = freeBroken(corrupt);
      k.finalChecks();
      expect(kinds(k)).toEqual(['bad-page-state']);
    });
  }

  it('reports bad-page-state "nonzero _refcount" for a page freed while referenced', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 0);
    k.run(k.free_the_page(p, 0));
    expect(kinds(k)).toEqual(['bad-page-state']);
    expect(k.violations[0]!.message).toMatch(/page dumped because: nonzero _refcount$/);
    expect(k.nrFreePages).toBe(63);
    k.finalChecks();
    expect(kinds(k)).toEqual(['bad-page-state']);
  });

  it('reports every flag of PAGE_FLAGS_CHECK_AT_FREE', () => {
    const flags = [PG_lru, PG_locked, PG_private, PG_private_2, PG_writeback, PG_reserved, PG_slab, PG_active, PG_unevictable, PG_mlocked];
    for (const bit of flags) {
      expect(PAGE_FLAGS_CHECK_AT_FREE & (1 << bit)).not.toBe(0);
      const { k } = freeBroken((k, p) => k.m.poke(p, FLAGS, 1 << bit));
      expect(k.violations.map((v) => v.message.replace(/.*because: /, ''))).toEqual(['PAGE_FLAGS_CHECK_AT_FREE flag(s) set']);
    }
  });

  it('names the last matching reason, as page_bad_reason does', () => {
    const { k } = freeBroken((k, p) => {
      k.m.poke(p, MAPCOUNT, 0);
      k.m.poke(p, MAPPING, 0x1000_0040);
    });
    expect(k.violations[0]!.message).toMatch(/because: non-NULL mapping$/);
  });

  it('resets the _mapcount of a bad page, as bad_page does', () => {
    const { k, p } = freeBroken((k, p) => k.m.poke(p, MAPCOUNT, 3));
    expect(k.peek(p, MAPCOUNT)).toBe(-1);
  });

  it('clears an anonymous mapping instead of reporting it', () => {
    const { k, p } = freeBroken((k, p) => k.m.poke(p, MAPPING, 0x1000_0041));
    expect(k.violations).toEqual([]);
    expect(k.peek(p, MAPPING)).toBe(0);
    expect(k.nrFreePages).toBe(64);
  });

  it('clears flags the free-time check allows, so check_new_page passes on the next allocation', () => {
    const { k, p } = freeBroken((k, p) => k.m.poke(p, FLAGS, (1 << PG_dirty) | (1 << PG_referenced) | (1 << PG_uptodate)));
    expect(k.violations).toEqual([]);
    expect(k.peek(p, FLAGS)).toBe(0);
    const q = alloc(k, 6);
    expect(q).toBe(k.m.startPfn);
    expect(k.violations).toEqual([]);
  });

  it('leaves a whole block out when one of its tail pages is bad', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 2);
    k.m.poke(p + 2, MAPPING, 0x1000_0040);
    k.run(k.__free_pages(p, 2));
    expect(kinds(k)).toEqual(['bad-page-state']);
    expect(k.violations[0]!.pfn).toBe(p + 2);
    expect(k.nrFreePages).toBe(60);
    for (let i = 0; i < 4; i++) expect(k.isQuarantined(p + i)).toBe(true);
    k.finalChecks();
    expect(kinds(k)).toEqual(['bad-page-state']);
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

describe('PG_compound_lock (v3.12 __PG_COMPOUND_LOCK)', () => {
  it('is a Bad page state when a page is freed with the lock bit set', () => {
    const { k, p } = freeBroken((k, p) => k.m.poke(p, FLAGS, 1 << PG_compound_lock));
    expect(kinds(k)).toEqual(['bad-page-state']);
    expect(k.violations[0]!.message).toContain('check_free_page_bad: page dumped because: PAGE_FLAGS_CHECK_AT_FREE flag(s) set');
    expect(k.isQuarantined(p)).toBe(true);
  });

  it('is a Bad page state when a free page is allocated with the lock bit set', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 0);
    k.run(k.__free_pages(p, 0));
    k.m.poke(p, FLAGS, 1 << PG_compound_lock);
    alloc(k, 0);
    expect(kinds(k)).toEqual(['bad-page-state']);
    expect(k.violations[0]!.message).toContain('check_new_page_bad: page dumped because: PAGE_FLAGS_CHECK_AT_PREP flag(s) set');
  });
});
