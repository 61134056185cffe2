import { describe, expect, it } from 'vitest';
import { describePfn } from '../../../src/kernel/context.js';
import { createKernel, ViolationError } from '../../../src/kernel/kernel.js';
import { alloc, kinds } from '../kernel-helpers.js';

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

  it('does not count a store to a page never handed out (boot-time state) as a use-after-free', () => {
    const k = createKernel({ pages: 64 });
    k.run(k.set_page_private(k.pfn(5), 0));
    expect(k.violations).toEqual([]);
  });

  it('checks every page of a block whose contents are touched, from its first page up', () => {
    const k = createKernel({ pages: 64, pcp: false });
    alloc(k, 0);
    const b = alloc(k, 1);
    k.run(k.__free_pages(b, 1));
    k.touchData(b, 1, 'memcpy');
    expect(k.violations.map((v) => [v.kind, v.pfn])).toEqual([['use-after-free', b], ['use-after-free', b + 1]]);
  });

  it('reports a data access past the memmap as a wild pointer, and a reference to a page outside it too', () => {
    const k = createKernel({ pages: 64 });
    const last = k.m.startPfn + 63;
    const p = alloc(k, 0);
    expect(() => k.touchData(p, 0, 'memcpy')).not.toThrow();
    expect(() => k.touchData(last, 1, 'memcpy')).toThrow();
    expect(k.violations.map((v) => [v.kind, v.message])).toEqual([
      ['use-after-free', `BUG: KASAN: use-after-free in memcpy: page pfn:${last.toString(16)} is free`],
      ['wild-deref', `memcpy: pfn ${describePfn(last + 1)} is outside the memmap`],
    ]);
    expect(k.violations[1]!.pfn).toBeUndefined();
    const k2 = createKernel({ pages: 64 });
    expect(() => k2.checkLive(k2.m.startPfn + 64, 'get_page')).toThrow();
    expect(k2.violations.map((v) => v.kind)).toEqual(['wild-deref']);
  });
});
