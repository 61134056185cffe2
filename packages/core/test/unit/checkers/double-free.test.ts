import { describe, expect, it } from 'vitest';
import { createKernel, ViolationError } from '../../../src/kernel/kernel.js';
import { GFP_KERNEL } from '../../../src/kernel/gfp.js';
import { alloc, kinds } from '../kernel-helpers.js';

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
