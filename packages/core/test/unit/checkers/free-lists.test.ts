import { describe, expect, it } from 'vitest';
import { createKernel } from '../../../src/kernel/kernel.js';
import { checkFreeLists } from '../../../src/checkers/free-lists.js';
import { GFP_KERNEL } from '../../../src/kernel/gfp.js';
import { LRU_NEXT, MAPCOUNT, PRIVATE, REFCOUNT } from '../../../src/machine/layout.js';
import { alloc, kinds } from '../kernel-helpers.js';

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
    expect(checkFreeLists(k)?.message).toBe('free_area[6] holds 0x100, not a struct page');
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
