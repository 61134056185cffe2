import { describe, expect, it } from 'vitest';
import { checkFreeLists, createKernel, ViolationError, type Kernel, type KGen, type PageEvent } from '../../../src/kernel/kernel.js';
import { GFP_KERNEL, GFP_KERNEL_ACCOUNT, __GFP_COMP } from '../../../src/kernel/gfp.js';
import { PG_buddy } from '../../../src/kernel/page-flags.js';
import { MAX_PFN } from '../../../src/machine/addresses.js';
import { FLAGS, MAPCOUNT, REFCOUNT } from '../../../src/machine/layout.js';
import type { Op } from '../../../src/engine/op.js';
import { freeBlocks, maximalBlocks } from './free-area.js';
import { alloc, kinds } from '../kernel-helpers.js';

describe('createKernel', () => {
  it('builds 64 free pages in one block by default', () => {
    const k = createKernel();
    expect(k.m.nrPages).toBe(64);
    expect(k.MAX_ORDER).toBe(7);
    expect(k.m.startPfn).toBe(64);
    expect(k.nrFreePages).toBe(64);
    expect(freeBlocks(k)).toEqual([{ pfn: 64, order: 6 }]);
    expect(checkFreeLists(k)).toBeUndefined();
  });

  it('fits MAX_ORDER to the zone, up to 11', () => {
    expect(createKernel({ pages: 1 }).MAX_ORDER).toBe(1);
    expect(createKernel({ pages: 16 }).MAX_ORDER).toBe(5);
    expect(createKernel({ pages: 48 }).MAX_ORDER).toBe(6);
    expect(createKernel({ pages: 5000 }).MAX_ORDER).toBe(11);
  });

  it('covers a zone that is not a power of two with the fewest aligned blocks', () => {
    for (const pages of [1, 3, 48, 100, 129]) {
      const k = createKernel({ pages });
      expect(freeBlocks(k)).toEqual(maximalBlocks(k.m.startPfn, pages, k.MAX_ORDER));
      expect(k.nrFreePages).toBe(pages);
      expect(checkFreeLists(k)).toBeUndefined();
    }
  });

  it('starts every page with _refcount 0 and _mapcount -1, PageBuddy only on block heads', () => {
    const k = createKernel({ pages: 8, maxOrder: 3 });
    const heads = new Set(freeBlocks(k).map((b) => b.pfn));
    for (let i = 0; i < 8; i++) {
      const p = k.pfn(i);
      expect(k.peek(p, REFCOUNT)).toBe(0);
      expect(k.peek(p, MAPCOUNT)).toBe(heads.has(p) ? -1 & ~PG_buddy : -1);
    }
  });

  it('takes maxOrder and startPfn from the config', () => {
    const k = createKernel({ pages: 32, maxOrder: 3, startPfn: 4 });
    expect(k.MAX_ORDER).toBe(3);
    expect(k.pfn(0)).toBe(4);
    expect(freeBlocks(k)).toHaveLength(8);
  });

  it('accepts a zone that ends at the last pfn of the vmemmap', () => {
    const k = createKernel({ pages: 64, startPfn: MAX_PFN - 64 });
    const p = alloc(k, 3);
    k.run(k.__free_pages(p, 3));
    expect(checkFreeLists(k)).toBeUndefined();
  });

  it('rejects a number of pages that is not a positive integer', () => {
    for (const pages of [0, -1, 1.5, Number.NaN]) {
      expect(() => createKernel({ pages })).toThrow(RangeError);
      expect(() => createKernel({ pages })).toThrow(/kernel.pages must be a positive integer/);
    }
  });

  it('rejects more pages than the model can address', () => {
    expect(() => createKernel({ pages: 8 * 1024 * 1024 })).toThrow(/the model supports at most \d+ pages/);
  });

  it('rejects a maxOrder outside 1..16', () => {
    for (const maxOrder of [0, 17, 2.5, -3]) {
      expect(() => createKernel({ pages: 64, maxOrder })).toThrow(/kernel.maxOrder must be an integer in 1..16/);
    }
  });

  it('rejects a startPfn not aligned to the largest block', () => {
    expect(() => createKernel({ pages: 64, startPfn: 100 })).toThrow(/kernel.startPfn must be a positive multiple of 64 \(the largest block\), got 100/);
    expect(() => createKernel({ pages: 64, maxOrder: 3, startPfn: 6 })).toThrow(/positive multiple of 4/);
    expect(() => createKernel({ pages: 64, startPfn: 0 })).toThrow(RangeError);
  });

  it('rejects a zone that runs past the model\'s vmemmap', () => {
    expect(() => createKernel({ pages: 64, startPfn: MAX_PFN })).toThrow(/the zone must end at or below pfn/);
  });

  it('rejects a memcg limit that is not a non-negative integer', () => {
    expect(() => createKernel({ memcg: { limit: -1 } })).toThrow(/kernel.memcg.limit must be a non-negative integer/);
    expect(() => createKernel({ memcg: { limit: 0.5 } })).toThrow(RangeError);
  });

  it('has no memcg with memcg: false', () => {
    const k = createKernel({ memcg: false });
    expect(k.memcg).toBeUndefined();
    const p = alloc(k, 1, GFP_KERNEL_ACCOUNT);
    k.run(k.__free_pages(p, 1));
    k.finalChecks();
    expect(k.violations).toEqual([]);
  });
});

describe('Kernel.pfn', () => {
  it('gives the pfn of the i-th page of the zone', () => {
    const k = createKernel({ pages: 16 });
    expect(k.pfn(0)).toBe(k.m.startPfn);
    expect(k.pfn(15)).toBe(k.m.startPfn + 15);
  });

  it('rejects an index outside the zone, naming the valid range', () => {
    const k = createKernel({ pages: 16 });
    for (const i of [-1, 16, 1.5]) {
      expect(() => k.pfn(i)).toThrow(RangeError);
      expect(() => k.pfn(i)).toThrow(/this kernel has pages 0..15/);
    }
  });
});

describe('Kernel.peek', () => {
  it('reads a struct page slot', () => {
    const k = createKernel({ pages: 16 });
    const p = alloc(k, 0);
    expect(k.peek(p, REFCOUNT)).toBe(1);
    expect(k.peek(p, FLAGS)).toBe(0);
  });

  it('rejects a pfn outside the memmap', () => {
    const k = createKernel({ pages: 16 });
    expect(() => k.peek(k.m.startPfn + 16, REFCOUNT)).toThrow(/peek: pfn:20 is outside the memmap/);
  });
});

describe('Kernel.run', () => {
  it('returns what the kernel code returns', () => {
    const k = createKernel({ pages: 16 });
    expect(k.run(k.alloc_pages(GFP_KERNEL, 0))).toBe(k.m.startPfn);
  });

  it('throws a ViolationError for a fatal violation and keeps the kernel usable', () => {
    const k = createKernel({ pages: 16 });
    const p = alloc(k, 2, GFP_KERNEL | __GFP_COMP);
    let error: unknown;
    try {
      k.run(k.split_page(p, 2)); // VM_BUG_ON_PAGE(PageCompound(page))
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ViolationError);
    expect((error as ViolationError).violation.kind).toBe('bad-page-state');
    expect((error as ViolationError).message).toMatch(/^bad-page-state: split_page: VM_BUG_ON_PAGE/);
    k.run(k.put_page(p));
    expect(alloc(k, 4)).toBe(p);
  });

  it('keeps checking stores to free pages after a fatal violation inside the allocator', () => {
    const k = createKernel({ pages: 16 });
    const p = alloc(k, 2, GFP_KERNEL | __GFP_COMP);
    expect(() => k.run(k.__free_pages(p, 1))).toThrow(/compound order 2, freed as order 1/);
    const q = alloc(k, 0);
    k.run(k.__free_pages(q, 0));
    k.run(k.set_page_private(q, 7));
    expect(kinds(k)).toEqual(['bad-page-state', 'use-after-free']);
  });

  it('rejects code that yields something other than an op', () => {
    const k = createKernel({ pages: 16 });
    function* bad(): KGen<void> {
      yield 42 as unknown as Op;
    }
    expect(() => k.run(bad())).toThrow(/call kernel functions with yield\*, not yield/);
  });
});

describe('hooks.onEvent', () => {
  it('sees every page_owner-style event', () => {
    const events: PageEvent[] = [];
    const k = createKernel({ pages: 16, hooks: { onEvent: (_k, e) => events.push(e) } });
    const p = alloc(k, 0);
    k.run(k.get_page(p));
    k.run(k.put_page(p));
    k.run(k.__free_pages(p, 0));
    expect(events.map((e) => e.what)).toEqual([
      'page allocated via order 0, gfp_mask GFP_KERNEL',
      'get_page (1 -> 2)',
      'put_page_testzero (2 -> 1)',
      'put_page_testzero (1 -> 0)',
      'page freed, order 0',
    ]);
    expect(events.every((e) => e.pfn === p && e.step === -1)).toBe(true);
  });
});

describe('history: false', () => {
  it('keeps no page history', () => {
    const k = createKernel({ pages: 16, history: false });
    const p = alloc(k, 0);
    k.run(k.__free_pages(p, 0));
    expect(k.shadow.historyOf(p)).toEqual([]);
  });
});

describe('snapshot', () => {
  it('restores the words and the shadow into a new kernel', async () => {
    const { Kernel } = await import('../../../src/kernel/kernel.js');
    const k = createKernel({ pages: 16 });
    const p = alloc(k, 1);
    const k2 = new Kernel({ pages: 16 }, undefined, k.snapshot());
    expect(k2.peek(p, REFCOUNT)).toBe(1);
    expect(k2.shadow.isAllocated(p + 1)).toBe(true);
    k2.run(k2.__free_pages(p, 1));
    k2.finalChecks();
    expect(k2.violations).toEqual([]);
    expect(k.shadow.isAllocated(p)).toBe(true);
  });
});
