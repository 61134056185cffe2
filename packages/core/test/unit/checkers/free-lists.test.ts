import { describe, expect, it } from 'vitest';
import { createKernel } from '../../../src/kernel/kernel.js';
import { checkFreeLists } from '../../../src/checkers/free-lists.js';
import { GFP_KERNEL } from '../../../src/kernel/gfp.js';
import { LRU_NEXT, MAPCOUNT, PRIVATE, REFCOUNT } from '../../../src/machine/layout.js';
import { alloc, kinds } from '../kernel-helpers.js';
import { lruAddr } from '../../../src/kernel/page-alloc.js';

describe('checkFreeLists', () => {
  it('accepts the free lists of a fresh kernel and of one in use', () => {
    const k = createKernel({ pages: 64 });
    expect(checkFreeLists(k)).toBeUndefined();
    alloc(k, 0);
    alloc(k, 3);
    expect(checkFreeLists(k)).toBeUndefined();
  });

  it('finds an nr_free that does not match its list', () => {
    const k = createKernel({ pages: 64 });
    k.m.words[k.zone.nrFree[6]!] = 2;
    expect(checkFreeLists(k)?.message).toBe('free_area[6].nr_free is 2 but the list holds 1 block(s)');
  });

  it('finds a block on a free list without PageBuddy or with the wrong order', () => {
    const k = createKernel({ pages: 64 });
    k.m.poke(64, MAPCOUNT, -1);
    expect(checkFreeLists(k)?.message).toBe('pfn:40 is on free_area[6] without PageBuddy');
    const k2 = createKernel({ pages: 64 });
    k2.m.poke(64, PRIVATE, 5);
    expect(checkFreeLists(k2)?.message).toBe('pfn:40 is on free_area[6] with buddy order 5');
  });

  it('finds a free page with a reference', () => {
    const k = createKernel({ pages: 64 });
    k.m.poke(70, REFCOUNT, 1);
    expect(checkFreeLists(k)).toEqual({ message: 'free pfn:46 has _refcount 1', pfn: 70 });
  });

  it('finds an allocated page still on a free list', () => {
    const k = createKernel({ pages: 64 });
    k.shadow.allocate(80, 0, GFP_KERNEL);
    expect(checkFreeLists(k)).toEqual({ message: 'pfn:50 is on a free list but allocated', pfn: 80 });
  });

  it('finds a page that is neither allocated nor free', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 0);
    k.shadow.release(p, 0);
    expect(checkFreeLists(k)).toEqual({ message: `pfn:${p.toString(16)} is neither allocated nor on a free list: lost by the allocator`, pfn: p });
  });

  it('finds a free list entry that is not a struct page', () => {
    const k = createKernel({ pages: 64 });
    k.m.poke(64, LRU_NEXT, 0x100);
    expect(checkFreeLists(k)).toEqual({ message: 'free_area[6] holds 0x100, not a struct page', pfn: -1 });
    // The address of a struct page just past the memmap: a pfn, but not one of this zone.
    const k2 = createKernel({ pages: 64 });
    const past = lruAddr(k2.m.startPfn + 64);
    k2.m.poke(64, LRU_NEXT, past);
    expect(checkFreeLists(k2)).toEqual({ message: `free_area[6] holds 0x${past.toString(16)}, not a struct page`, pfn: -1 });
  });
});

describe('the free-lists checker', () => {
  it('reports free lists that disagree with the counters as buddy-corruption', () => {
    const k = createKernel({ pages: 64 });
    k.m.words[k.zone.nrFreePages] = 63;
    k.finalChecks();
    expect(kinds(k)).toEqual(['buddy-corruption']);
    expect(k.violations[0]!.message).toMatch(/NR_FREE_PAGES is 63 but the free lists hold 64 page\(s\)/);
  });
});

describe('checkFreeLists: the shape of each block', () => {
  // Moves a free block to another order's list, as a corrupted buddy order would leave it.
  const relist = (k: ReturnType<typeof createKernel>, pfn: number, from: number, to: number): void => {
    k.run(k.del_page_from_free_list(pfn, from));
    k.run(k.add_to_free_list(pfn, to));
    k.run(k.set_buddy_order(pfn, to));
  };

  it('finds a block that is not aligned to its order', () => {
    const k = createKernel({ pages: 64, pcp: false });
    const p = alloc(k, 1);
    // The tail page of the allocation goes on free_area[1] as if it started a block.
    k.run(k.add_to_free_list(p + 1, 1));
    k.run(k.set_buddy_order(p + 1, 1));
    expect(checkFreeLists(k)).toEqual({ message: `pfn:${(p + 1).toString(16)} on free_area[1] is not aligned`, pfn: p + 1 });
  });

  it('finds a block that runs past the end of the zone', () => {
    const k = createKernel({ pages: 48, pcp: false });
    // 48 pages: an order-5 block, then an order-4 block 32 pages on, which as order 5 would end 16 pages past the zone.
    const top = k.m.startPfn + 32;
    expect(checkFreeLists(k)).toBeUndefined();
    relist(k, top, 4, 5);
    expect(checkFreeLists(k)).toEqual({ message: `block pfn:${top.toString(16)} order 5 runs past the zone`, pfn: top });
  });

  it('finds a page in two free blocks', () => {
    const k = createKernel({ pages: 64, pcp: false });
    const p = alloc(k, 0);
    // p + 1 is free at order 0; p made an order-1 block covers it again.
    k.shadow.release(p, 0);
    k.m.poke(p, REFCOUNT, 0);
    k.run(k.add_to_free_list(p, 1));
    k.run(k.set_buddy_order(p, 1));
    expect(checkFreeLists(k)).toEqual({ message: `pfn:${(p + 1).toString(16)} is in two free blocks`, pfn: p + 1 });
  });

  it('finds NR_FREE_PAGES off by a page, and accepts it when right', () => {
    const k = createKernel({ pages: 64, pcp: false });
    alloc(k, 2);
    expect(checkFreeLists(k)).toBeUndefined();
    k.m.words[k.zone.nrFreePages] = 61;
    expect(checkFreeLists(k)).toEqual({ message: 'NR_FREE_PAGES is 61 but the free lists hold 60 page(s)', pfn: -1 });
  });

  it('counts the blocks of every order, up to the last', () => {
    const k = createKernel({ pages: 64, pcp: false });
    alloc(k, 0);
    // Blocks of orders 0 to 5 are free now; each list's nr_free must match.
    expect(checkFreeLists(k)).toBeUndefined();
    k.m.words[k.zone.nrFree[5]!] = 0;
    expect(checkFreeLists(k)).toEqual({ message: 'free_area[5].nr_free is 0 but the list holds 1 block(s)', pfn: -1 });
  });
});

describe('checkFreeLists: the per-cpu lists', () => {
  // A kernel whose CPU 0 list keeps freed pages (pcp->high 4).
  const withPcp = (): { k: ReturnType<typeof createKernel>; p: number; q: number; pcp: { list: number; listAddr: number; count: number } } => {
    const k = createKernel({ pages: 16, pcp: { high: 4, batch: 1 } });
    const p = alloc(k, 0);
    const q = alloc(k, 0);
    k.run(k.__free_pages(p, 0));
    expect(checkFreeLists(k)).toBeUndefined();
    return { k, p, q, pcp: k.percpu.cpus[0]! };
  };

  it('finds an entry that is not a struct page', () => {
    const { k, pcp } = withPcp();
    k.m.words[pcp.list] = 0x100;
    expect(checkFreeLists(k)).toEqual({ message: "cpu0's pcp list holds 0x100, not a struct page", pfn: -1 });
  });

  it('finds a page that is also on a buddy free list', () => {
    const { k, p, pcp } = withPcp();
    // The list's entry points at a page of the buddy's order-3 block instead.
    const buddy = p + 8;
    k.m.words[pcp.list] = lruAddr(buddy);
    expect(checkFreeLists(k)).toEqual({ message: `pfn:${buddy.toString(16)} is on cpu0's pcp list and on another free list`, pfn: buddy });
  });

  it('finds a page with PageBuddy, an allocated page, and a referenced page', () => {
    const a = withPcp();
    a.k.run(a.k.set_buddy_order(a.p, 0));
    expect(checkFreeLists(a.k)).toEqual({ message: `pfn:${a.p.toString(16)} is on cpu0's pcp list with PageBuddy set`, pfn: a.p });
    const b = withPcp();
    b.k.shadow.allocate(b.p, 0, GFP_KERNEL);
    expect(checkFreeLists(b.k)).toEqual({ message: `pfn:${b.p.toString(16)} is on cpu0's pcp list but allocated`, pfn: b.p });
    const c = withPcp();
    c.k.m.poke(c.p, REFCOUNT, 2);
    expect(checkFreeLists(c.k)).toEqual({ message: `pfn:${c.p.toString(16)} on cpu0's pcp list has _refcount 2`, pfn: c.p });
  });

  it('finds a pcp->count that does not match the list', () => {
    const { k, pcp } = withPcp();
    k.m.words[pcp.count] = 2;
    expect(checkFreeLists(k)).toEqual({ message: "cpu0's pcp->count is 2 but its list holds 1 page(s)", pfn: -1 });
  });

  it('counts a page on a pcp list as free, not lost', () => {
    const { k, q } = withPcp();
    k.run(k.__free_pages(q, 0));
    expect(checkFreeLists(k)).toBeUndefined();
    k.finalChecks();
    expect(k.violations).toEqual([]);
  });
});
