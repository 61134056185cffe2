import { describe, expect, it } from 'vitest';
import { checkFreeLists, createKernel, KERNEL_FUNCTIONS, ViolationError, type Kernel, type KGen, type PageEvent } from '../../../src/kernel/kernel.js';
import { GFP_KERNEL, GFP_KERNEL_ACCOUNT, __GFP_COMP } from '../../../src/kernel/gfp.js';
import { PG_buddy } from '../../../src/kernel/page-flags.js';
import { MAX_PFN } from '../../../src/machine/addresses.js';
import { FLAGS, LRU_NEXT, MAPCOUNT, PRIVATE, REFCOUNT } from '../../../src/machine/layout.js';
import type { Op } from '../../../src/engine/op.js';
import { freeBlocks, maximalBlocks } from './free-area.js';

const alloc = (k: Kernel, order: number, gfp = GFP_KERNEL): number => {
  const p = k.run(k.alloc_pages(gfp, order));
  if (p === null) throw new Error(`alloc_pages(order ${order}) failed`);
  return p;
};

const kinds = (k: Kernel): string[] => k.violations.map((v) => v.kind);

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

describe('finalChecks', () => {
  it('reports nothing after a balanced run', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 2, GFP_KERNEL | __GFP_COMP);
    const q = alloc(k, 0, GFP_KERNEL_ACCOUNT);
    k.run(k.put_page(p));
    k.run(k.__free_pages(q, 0));
    k.finalChecks();
    expect(k.violations).toEqual([]);
  });

  it('reports a page-leak for every allocation never freed', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 2);
    const q = alloc(k, 0);
    k.finalChecks();
    expect(kinds(k)).toEqual(['page-leak', 'page-leak']);
    const byPfn = new Map(k.violations.map((v) => [v.pfn, v.message]));
    expect(byPfn.get(p)).toMatch(/4 page\(s\) of the order-2 allocation at pfn:[0-9a-f]+ were never freed/);
    expect(byPfn.get(q)).toMatch(/1 page\(s\) of the order-0 allocation/);
  });

  it('reports only the pages a partial free left behind', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 2);
    k.run(k.get_page(p));
    k.run(k.__free_pages(p, 2)); // frees the tails; page 0 keeps the extra reference
    k.finalChecks();
    expect(kinds(k)).toEqual(['page-leak']);
    expect(k.violations[0]!.message).toBe(`1 page(s) of the order-2 allocation at pfn:${p.toString(16)} were never freed: pfn:${p.toString(16)}`);
  });

  it('reports free lists that disagree with the counters as buddy-corruption', () => {
    const k = createKernel({ pages: 64 });
    k.m.words[k.zone.nrFreePages] = 63;
    k.finalChecks();
    expect(kinds(k)).toEqual(['buddy-corruption']);
    expect(k.violations[0]!.message).toMatch(/NR_FREE_PAGES is 63 but the free lists hold 64 page\(s\)/);
  });

  it('runs custom invariants and reports the ones that fail', () => {
    const k = createKernel({
      pages: 16,
      invariants: [
        { name: 'always-fine', check: () => undefined },
        { name: 'no-allocations', check: (k) => (k.nrFreePages === 16 ? undefined : `${16 - k.nrFreePages} page(s) allocated`) },
        { name: 'per-step-only', at: 'step', check: () => 'not run at teardown' },
      ],
    });
    alloc(k, 1);
    k.finalChecks();
    const inv = k.violations.filter((v) => v.kind === 'invariant');
    expect(inv).toHaveLength(1);
    expect(inv[0]!.invariant).toBe('no-allocations');
    expect(inv[0]!.message).toBe('no-allocations: 2 page(s) allocated');
  });
});

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

describe('double free', () => {
  it('reports a page freed twice as double-free with the page history', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 0);
    k.run(k.__free_pages(p, 0));
    expect(() => k.run(k.free_the_page(p, 0))).toThrow(ViolationError);
    expect(kinds(k)).toEqual(['double-free']);
    const v = k.violations[0]!;
    expect(v.pfn).toBe(p);
    expect(v.message).toBe(`pfn:${p.toString(16)} freed again (free order 0 of pfn:${p.toString(16)}); it is already free`);
    expect(v.history!.map((h) => h.what)).toEqual([
      'page allocated via order 0, gfp_mask GFP_KERNEL',
      'put_page_testzero (1 -> 0)',
      'page freed, order 0',
      'page freed, order 0',
    ]);
  });

  it('names the tail page a second free of a block frees again', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 1);
    k.run(k.get_page(p));
    k.run(k.__free_pages(p, 1)); // frees p + 1; p keeps one reference
    expect(() => k.run(k.__free_pages(p, 1))).toThrow(/double-free/);
    const v = k.violations[0]!;
    expect(v.pfn).toBe(p + 1);
    expect(v.message).toMatch(/freed again \(free order 1 of pfn:[0-9a-f]+\)/);
    expect(v.history!.map((h) => h.what)).toContain('page freed, order 0');
  });

  it('reports a free of a page that was never allocated', () => {
    const k = createKernel({ pages: 64 });
    expect(() => k.run(k.free_the_page(k.pfn(3), 0))).toThrow(/double-free/);
    expect(k.violations[0]!.message).toMatch(/which was never allocated/);
  });

  it('reports the refcount-underflow the kernel hits first when __free_pages runs twice', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 0);
    k.run(k.__free_pages(p, 0));
    expect(() => k.run(k.__free_pages(p, 0))).toThrow(ViolationError);
    expect(kinds(k)).toEqual(['refcount-underflow']);
  });
});

describe('use-after-free', () => {
  it('reports page data used after the page was freed, KASAN-style, without stopping', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 1);
    k.run(k.use_page_data(p, 1, 'memset'));
    expect(k.violations).toEqual([]);
    k.run(k.__free_pages(p, 1));
    k.run(k.use_page_data(p + 1, 0, 'memset'));
    expect(kinds(k)).toEqual(['use-after-free']);
    expect(k.violations[0]!.message).toBe(`BUG: KASAN: use-after-free in memset: page pfn:${(p + 1).toString(16)} is free`);
    expect(k.violations[0]!.history!.map((h) => h.what)).toContain(`page freed, order 1 (of pfn:${p.toString(16)})`);
  });

  it('reports get_page on a freed page, then the refcount it finds at 0', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 0);
    k.run(k.__free_pages(p, 0));
    expect(() => k.run(k.get_page(p))).toThrow(/refcount-underflow/);
    expect(kinds(k)).toEqual(['use-after-free', 'refcount-underflow']);
    expect(k.violations[0]!.message).toBe(`get_page on pfn:${p.toString(16)}, which is free`);
  });

  it('reports put_page on a freed page', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 0);
    k.run(k.__free_pages(p, 0));
    expect(() => k.run(k.put_page(p))).toThrow(ViolationError);
    expect(kinds(k)).toEqual(['use-after-free', 'refcount-underflow']);
  });

  it('reports a store to a freed page\'s struct page from outside the allocator', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 0);
    k.run(k.__free_pages(p, 0));
    k.run(k.set_page_private(p, 7));
    expect(kinds(k)).toEqual(['use-after-free']);
    expect(k.violations[0]!.message).toMatch(/writes the struct page of pfn:[0-9a-f]+, which is free/);
  });

  it('does not report get_page_unless_zero on a freed page: it fails', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 0);
    k.run(k.__free_pages(p, 0));
    expect(k.run(k.get_page_unless_zero(p))).toBe(false);
    expect(k.violations).toEqual([]);
  });
});

describe('overrides', () => {
  it('replace a kernel function with a variant', () => {
    // __free_pages before e320d3012d25: only the put that reaches zero frees, and it frees the whole order.
    const k = createKernel({
      pages: 64,
      overrides: {
        *__free_pages(k, page, order) {
          if (yield* k.put_page_testzero(page)) yield* k.free_the_page(page, order);
        },
      },
    });
    const p = alloc(k, 2);
    k.run(k.get_page(p));
    k.run(k.__free_pages(p, 2));
    k.run(k.put_page(p)); // the last put frees page 0 alone
    k.finalChecks();
    expect(kinds(k)).toEqual(['page-leak']);
    expect(k.violations[0]!.message).toMatch(/3 page\(s\) of the order-2 allocation/);
  });

  it('are called from inside other kernel functions', () => {
    const calls: number[] = [];
    const k = createKernel({
      pages: 64,
      memcg: { limit: 0 },
      overrides: {
        *__free_pages(k, page, order) {
          calls.push(order);
          if (yield* k.put_page_testzero(page)) yield* k.free_the_page(page, order);
        },
      },
    });
    expect(k.run(k.alloc_pages(GFP_KERNEL_ACCOUNT, 2))).toBeNull(); // the failed charge frees the block
    expect(calls).toEqual([2]);
    expect(k.nrFreePages).toBe(64);
  });

  it('reject an unknown function name and list the valid ones', () => {
    const make = (): Kernel => createKernel({ overrides: { free_pagez: function* () {} } as never });
    expect(make).toThrow(/kernel.overrides: unknown kernel function 'free_pagez'; functions that can be replaced: /);
    expect(make).toThrow(/__free_pages, /);
    expect(make).toThrow(/alloc_pages/);
  });

  it('reject a body that is not a function', () => {
    expect(() => createKernel({ overrides: { __free_pages: 42 } as never })).toThrow(TypeError);
    expect(() => createKernel({ overrides: { __free_pages: 42 } as never })).toThrow(/kernel.overrides.__free_pages must be a generator function \(k, ...args\), got number/);
  });
});

describe('wrap', () => {
  it('wraps a kernel function around the original', () => {
    const calls: [number, number][] = [];
    const k = createKernel({
      pages: 64,
      wrap: {
        free_the_page: (original) =>
          function* (page, order) {
            calls.push([page, order]);
            yield* original(page, order);
          },
      },
    });
    const p = alloc(k, 2);
    k.run(k.__free_pages(p, 2));
    expect(calls).toEqual([[p, 2]]);
    const q = alloc(k, 2);
    k.run(k.get_page(q));
    k.run(k.__free_pages(q, 2)); // frees the tails: q + 2 (order 1), q + 1 (order 0)
    expect(calls.slice(1)).toEqual([[q + 2, 1], [q + 1, 0]]);
    k.run(k.put_page(q));
    k.finalChecks();
    expect(k.violations).toEqual([]);
  });

  it('hands the wrapper the kernel', () => {
    let seen: Kernel | undefined;
    const k = createKernel({
      wrap: {
        alloc_pages: (original, k) => {
          seen = k;
          return original;
        },
      },
    });
    expect(seen).toBe(k);
    expect(alloc(k, 0)).toBe(k.m.startPfn);
  });

  it('rejects an unknown function name and lists the valid ones', () => {
    expect(() => createKernel({ wrap: { frob: (o: unknown) => o } as never })).toThrow(/kernel.wrap: unknown kernel function 'frob'; functions that can be replaced: .*free_the_page/);
  });

  it('rejects a wrapper that is not a function or does not return one', () => {
    expect(() => createKernel({ wrap: { free_the_page: 'x' } as never })).toThrow(/kernel.wrap.free_the_page must be a function \(original, k\) => replacement, got string/);
    expect(() => createKernel({ wrap: { free_the_page: () => undefined } as never })).toThrow(/must return the replacement function, got undefined/);
  });
});

describe('KERNEL_FUNCTIONS', () => {
  it('lists the kernel functions a variant may replace', () => {
    for (const name of ['alloc_pages', '__free_pages', 'free_the_page', 'put_page', 'get_page', 'get_page_unless_zero', 'put_page_testzero', 'PageHead', 'prep_compound_page', 'set_page_refcounted', 'split_page_memcg', 'mem_cgroup_uncharge', 'folio_try_get', '__folio_set_slab']) {
      expect(KERNEL_FUNCTIONS).toContain(name);
    }
    expect(new Set(KERNEL_FUNCTIONS).size).toBe(KERNEL_FUNCTIONS.length);
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
