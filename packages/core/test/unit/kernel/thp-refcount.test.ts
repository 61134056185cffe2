import { describe, expect, it } from 'vitest';
import { checkFreeLists, createKernel, type Kernel } from '../../../src/kernel/kernel.js';
import { GFP_KERNEL, __GFP_COMP } from '../../../src/kernel/gfp.js';
import { PG_compound_lock, PG_head } from '../../../src/kernel/page-flags.js';
import { FLAGS, LRU_NEXT, MAPCOUNT, REFCOUNT } from '../../../src/machine/layout.js';
import { maximalBlocks, freeBlocks } from './free-area.js';

const COMP = GFP_KERNEL | __GFP_COMP;

const thp = (k: Kernel, order: number): number => {
  const p = k.run(k.alloc_pages(COMP, order));
  if (p === null) throw new Error('alloc_pages failed');
  return p;
};

const kinds = (k: Kernel): string[] => k.violations.map((v) => v.kind);

const allFree = (k: Kernel): void => {
  expect(checkFreeLists(k)).toBeUndefined();
  expect(freeBlocks(k)).toEqual(maximalBlocks(k.m.startPfn, k.m.nrPages, k.MAX_ORDER));
};

describe('compound_trans_head', () => {
  it('gives the head of a tail and the page itself otherwise', () => {
    const k = createKernel({ pages: 8 });
    const h = thp(k, 2);
    expect(k.run(k.compound_trans_head(h + 3))).toBe(h);
    expect(k.run(k.compound_trans_head(h))).toBe(h);
  });
});

describe('__get_page_tail', () => {
  it('counts a tail pin in the head\'s _count and the tail\'s _mapcount', () => {
    const k = createKernel({ pages: 8 });
    const h = thp(k, 2);
    expect(k.run(k.__get_page_tail(h + 2))).toBe(true);
    expect(k.peek(h, REFCOUNT)).toBe(2);
    expect(k.peek(h + 2, REFCOUNT)).toBe(0);
    expect(k.peek(h + 2, MAPCOUNT)).toBe(0);
    expect(k.run(k.page_mapcount(h + 2))).toBe(1);
    // compound_lock taken and released
    expect(k.peek(h, FLAGS) & (1 << PG_compound_lock)).toBe(0);
  });

  it('takes nothing on a page that is not a tail', () => {
    const k = createKernel({ pages: 8 });
    const p = k.run(k.alloc_pages(GFP_KERNEL, 0))!;
    expect(k.run(k.__get_page_tail(p))).toBe(false);
    expect(k.peek(p, REFCOUNT)).toBe(1);
  });
});

describe('put_compound_tail', () => {
  it('drops the tail pin and the head reference it held', () => {
    const k = createKernel({ pages: 8 });
    const h = thp(k, 2);
    k.run(k.__get_page_tail(h + 1));
    k.run(k.put_compound_tail(h + 1));
    expect(k.peek(h, REFCOUNT)).toBe(1);
    expect(k.peek(h + 1, MAPCOUNT)).toBe(-1);
    expect(k.peek(h, FLAGS) & (1 << PG_compound_lock)).toBe(0);
    expect(k.violations).toEqual([]);
  });

  it('frees the compound page when the pin outlived the owner', () => {
    const k = createKernel({ pages: 8 });
    const h = thp(k, 2);
    k.run(k.__get_page_tail(h + 1));
    k.run(k.put_page(h));
    k.run(k.put_compound_tail(h + 1));
    expect(k.violations).toEqual([]);
    allFree(k);
  });

  it('after a split, drops the pin from the page itself', () => {
    const k = createKernel({ pages: 8 });
    const h = thp(k, 1);
    k.run(k.__get_page_tail(h + 1));
    k.run(k.__split_huge_page_refcount(h));
    k.run(k.put_page(h));
    k.run(k.put_page(h + 1));
    expect(k.peek(h + 1, REFCOUNT)).toBe(1);
    k.run(k.put_compound_tail(h + 1));
    expect(k.violations).toEqual([]);
    allFree(k);
  });
});

describe('__split_huge_page_refcount', () => {
  it('moves each tail pin from the head to its tail and makes every page a page of its own', () => {
    const k = createKernel({ pages: 8 });
    const h = thp(k, 2);
    k.run(k.__get_page_tail(h + 1));
    k.run(k.__get_page_tail(h + 3));
    k.run(k.__get_page_tail(h + 3));
    expect(k.peek(h, REFCOUNT)).toBe(4);
    k.run(k.__split_huge_page_refcount(h));
    expect(k.peek(h, REFCOUNT)).toBe(1);
    // page_mapcount(page) + page_mapcount(page_tail) + 1
    expect([1, 2, 3].map((i) => k.peek(h + i, REFCOUNT))).toEqual([2, 1, 3]);
    expect(k.peek(h, FLAGS) & (1 << PG_head)).toBe(0);
    for (let i = 1; i < 4; i++) {
      expect(k.peek(h + i, LRU_NEXT)).toBe(0);
      expect(k.peek(h + i, MAPCOUNT)).toBe(-1);
      expect(k.run(k.compound_head(h + i))).toBe(h + i);
    }
    expect(k.peek(h, FLAGS) & (1 << PG_compound_lock)).toBe(0);
    // The owner's base reference on each page, then the pins
    for (let i = 0; i < 4; i++) k.run(k.put_page(h + i));
    k.run(k.put_page(h + 1));
    k.run(k.put_page(h + 3));
    k.run(k.put_page(h + 3));
    expect(k.violations).toEqual([]);
    allFree(k);
  });

  it('waits for compound_lock: a held lock is a deadlock for a lone thread', () => {
    const k = createKernel({ pages: 8 });
    const h = thp(k, 1);
    k.run(k.compound_lock(h));
    expect(() => k.run(k.__split_huge_page_refcount(h))).toThrow(/deadlock: main blocks on compound_lock/);
  });
});

describe('compound_lock on a free page', () => {
  it('is a use-after-free', () => {
    const k = createKernel({ pages: 8 });
    const h = thp(k, 1);
    k.run(k.put_page(h));
    k.run(k.compound_lock(h));
    k.run(k.compound_unlock(h));
    expect(kinds(k)).toEqual(['use-after-free']);
    expect(k.violations[0]!.message).toMatch(/^compound_lock on pfn:[0-9a-f]+, which is free$/);
  });
});
