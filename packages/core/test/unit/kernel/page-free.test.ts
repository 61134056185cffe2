import { describe, expect, it } from 'vitest';
import { checkFreeLists, createKernel, type Kernel } from '../../../src/kernel/kernel.js';
import { GFP_KERNEL, __GFP_COMP } from '../../../src/kernel/gfp.js';
import { isBuddyType } from '../../../src/kernel/page-flags-ops.js';
import {
  PAGE_FLAGS_CHECK_AT_FREE, PG_active, PG_dirty, PG_locked, PG_lru, PG_mlocked, PG_private, PG_private_2, PG_referenced,
  PG_compound_lock, PG_reserved, PG_slab, PG_unevictable, PG_uptodate, PG_writeback,
} from '../../../src/kernel/page-flags.js';
import { FLAGS, MAPCOUNT, MAPPING, MEMCG_DATA, PRIVATE, REFCOUNT } from '../../../src/machine/layout.js';
import { freeBlocks, maximalBlocks, nrFreeByOrder } from './free-area.js';
import { alloc, kinds } from '../kernel-helpers.js';

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

  it('takes each later reason over the earlier ones, in page_bad_reason\'s order', () => {
    // Each step breaks one more field; the message names the last one page_bad_reason checks.
    const steps: [string, (k: Kernel, p: number) => void][] = [
      ['nonzero mapcount', (k, p) => k.m.poke(p, MAPCOUNT, 0)],
      ['non-NULL mapping', (k, p) => k.m.poke(p, MAPPING, 0x1000_0040)],
      ['PAGE_FLAGS_CHECK_AT_FREE flag(s) set', (k, p) => k.m.poke(p, FLAGS, 1 << PG_reserved)],
      ['page still charged to cgroup', (k, p) => { k.m.poke(p, MEMCG_DATA, k.memcg!.addr); k.run(k.css_get(k.memcg!.addr)); }],
    ];
    for (let n = 1; n <= steps.length; n++) {
      const { k } = freeBroken((k, p) => { for (const [, corrupt] of steps.slice(0, n)) corrupt(k, p); });
      expect(k.violations.map((v) => v.message.replace(/.*because: /, ''))).toEqual([steps[n - 1]![0]]);
    }
    // An extra reference is checked after the mapping and before the flags.
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 0);
    k.m.poke(p, MAPPING, 0x1000_0040);
    k.run(k.free_the_page(p, 0));
    expect(k.violations.map((v) => v.message.replace(/.*because: /, ''))).toEqual(['nonzero _refcount']);
  });

  it('does not check memcg_data without memcg', () => {
    const { k, p } = freeBroken((k, p) => k.m.poke(p, MEMCG_DATA, 0x1000_0000), { memcg: false });
    expect(k.violations).toEqual([]);
    expect(k.isQuarantined(p)).toBe(false);
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
