import { describe, expect, it } from 'vitest';
import { createKernel, type Kernel, type KGen } from '../../../src/kernel/kernel.js';
import { GFP_KERNEL } from '../../../src/kernel/gfp.js';
import { isBuddyType } from '../../../src/kernel/page-flags-ops.js';
import { PAGE_TYPE_BASE, PG_buddy, PG_head, PG_lru, PG_slab } from '../../../src/kernel/page-flags.js';
import { LOAD, RMW, STORE, type Op } from '../../../src/engine/op.js';
import { FLAGS, MAPCOUNT } from '../../../src/machine/layout.js';
import { stepwise } from '../../../src/kernel/sync-call.js';

/** Runs kernel code and returns its result and the kinds of the steps it took. */
function steps<R>(k: Kernel, gen: KGen<R>): { result: R; kinds: number[] } {
  const kinds: number[] = [];
  function* counted(): KGen<R> {
    let r = stepwise(gen).next(0);
    while (r.done !== true) {
      const op: Op = r.value;
      kinds.push(op.kind);
      r = gen.next(yield op);
    }
    return r.value;
  }
  return { result: k.run(counted()), kinds };
}

const page = (k: Kernel): number => k.run(k.alloc_pages(GFP_KERNEL, 0))!;

describe('atomic page flag updates', () => {
  it('are one read-modify-write step each', () => {
    const k = createKernel({ pages: 16 });
    const p = page(k);
    expect(steps(k, k.set_page_bit(p, PG_lru, 'SetPageLRU')).kinds).toEqual([RMW]);
    expect(k.peek(p, FLAGS)).toBe(1 << PG_lru);
    expect(steps(k, k.clear_page_bit(p, PG_lru, 'ClearPageLRU')).kinds).toEqual([RMW]);
    expect(k.peek(p, FLAGS)).toBe(0);
  });

  it('test_and_set_page_bit returns the old bit', () => {
    const k = createKernel({ pages: 16 });
    const p = page(k);
    expect(k.run(k.test_and_set_page_bit(p, PG_slab, 'test_and_set_bit'))).toBe(false);
    expect(k.run(k.test_and_set_page_bit(p, PG_slab, 'test_and_set_bit'))).toBe(true);
  });
});

describe('non-atomic page flag updates', () => {
  it('are a load step and a store step', () => {
    const k = createKernel({ pages: 16 });
    const p = page(k);
    expect(steps(k, k.__SetPageHead(p)).kinds).toEqual([LOAD, STORE]);
    expect(k.run(k.PageHead(p))).toBe(true);
    expect(steps(k, k.__ClearPageHead(p)).kinds).toEqual([LOAD, STORE]);
    expect(k.peek(p, FLAGS) & (1 << PG_head)).toBe(0);
  });

  it('leave the other bits of the word as they were', () => {
    const k = createKernel({ pages: 16 });
    const p = page(k);
    k.run(k.set_page_bit(p, PG_lru, 'SetPageLRU'));
    k.run(k.__folio_set_slab(p));
    k.run(k.__ClearPageLRU(p));
    expect(k.peek(p, FLAGS)).toBe(1 << PG_slab);
  });
});

describe('PageBuddy', () => {
  it('is the page_type in the _mapcount word, set on free block heads only', () => {
    const k = createKernel({ pages: 16 });
    const s = k.m.startPfn;
    expect(k.run(k.PageBuddy(s))).toBe(true);
    expect(k.run(k.PageBuddy(s + 1))).toBe(false);
    k.run(k.__ClearPageBuddy(s));
    expect(k.peek(s, MAPCOUNT)).toBe(-1);
    k.run(k.__SetPageBuddy(s));
    expect(k.run(k.PageBuddy(s))).toBe(true);
  });

  it('needs PAGE_TYPE_BASE and a clear PG_buddy bit', () => {
    expect(isBuddyType(-1 & ~PG_buddy)).toBe(true);
    expect(isBuddyType(-1)).toBe(false);
    expect(isBuddyType(0)).toBe(false);
    expect(isBuddyType(PAGE_TYPE_BASE)).toBe(true);
    expect(isBuddyType(5)).toBe(false);
  });
});

describe('page_mapcount_reset', () => {
  it('sets _mapcount back to -1', () => {
    const k = createKernel({ pages: 16 });
    const p = page(k);
    k.m.poke(p, MAPCOUNT, 2);
    k.run(k.page_mapcount_reset(p));
    expect(k.peek(p, MAPCOUNT)).toBe(-1);
  });
});

describe('struct page pointers', () => {
  it('outside the memmap are a wild-deref', () => {
    const k = createKernel({ pages: 16 });
    expect(() => k.run(k.PageHead(k.m.startPfn + 16))).toThrow(/wild-deref: PageHead: struct page pointer pfn:20 is outside the memmap/);
  });
});
