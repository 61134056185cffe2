import { describe, expect, it } from 'vitest';
import { createKernel, KERNEL_FUNCTIONS, type Kernel } from '../../../src/kernel/kernel.js';
import { GFP_KERNEL_ACCOUNT } from '../../../src/kernel/gfp.js';
import { alloc, kinds } from '../kernel-helpers.js';

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
