import { describe, expect, it } from 'vitest';
import { createKernel } from '../../../src/kernel/kernel.js';
import { GFP_KERNEL } from '../../../src/kernel/gfp.js';
import { PAGE_OFFSET, PAGE_SIZE } from '../../../src/kernel/data.js';

describe('page_address and virt_to_page', () => {
  it('map a page to its direct-map address and back', () => {
    const k = createKernel({ pages: 16 });
    for (let i = 0; i < 16; i++) {
      const p = k.pfn(i);
      expect(k.page_address(p)).toBe(PAGE_OFFSET + p * PAGE_SIZE);
      expect(k.virt_to_page(k.page_address(p))).toBe(p);
      expect(k.virt_to_page(k.page_address(p) + PAGE_SIZE - 1)).toBe(p);
    }
  });

  it('reject pages and addresses outside the memmap', () => {
    const k = createKernel({ pages: 16 });
    expect(() => k.page_address(k.m.startPfn + 16)).toThrow(/page_address: pfn 32 is outside the memmap \[16, 32\)/);
    expect(() => k.virt_to_page(PAGE_OFFSET)).toThrow(/is not a direct-map address of this kernel/);
    expect(() => k.virt_to_page(Number.NaN)).toThrow(RangeError);
  });
});

describe('use_page_data', () => {
  it('is one step and reports nothing on allocated pages', () => {
    const k = createKernel({ pages: 16 });
    const p = k.run(k.alloc_pages(GFP_KERNEL, 2))!;
    k.run(k.use_page_data(p, 2, 'memcpy'));
    expect(k.violations).toEqual([]);
  });

  it('reports each free page it touches once', () => {
    const k = createKernel({ pages: 16 });
    const p = k.run(k.alloc_pages(GFP_KERNEL, 1))!;
    k.run(k.__free_pages(p, 1));
    k.run(k.use_page_data(p, 1));
    k.run(k.use_page_data(p, 1));
    expect(k.violations.map((v) => [v.kind, v.pfn])).toEqual([
      ['use-after-free', p],
      ['use-after-free', p + 1],
    ]);
  });

  it('stops with a wild-deref past the memmap', () => {
    const k = createKernel({ pages: 16 });
    expect(() => k.run(k.use_page_data(k.pfn(15), 1))).toThrow(/wild-deref/);
  });
});
