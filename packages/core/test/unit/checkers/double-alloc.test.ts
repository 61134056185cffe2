import { describe, expect, it } from 'vitest';
import { createKernel, ViolationError } from '../../../src/kernel/kernel.js';
import { GFP_KERNEL } from '../../../src/kernel/gfp.js';

describe('the double-alloc checker', () => {
  it('reports an allocator that hands out a page still allocated as buddy-corruption', () => {
    const k = createKernel({ pages: 8 });
    const p = k.run(k.alloc_pages(GFP_KERNEL, 0))!;
    // The shadow records a second allocation of the same page, as a corrupt free list would make the allocator do.
    expect(() => k.shadowAlloc(p, 0, GFP_KERNEL)).toThrow();
    expect(k.violations[0]).toMatchObject({ kind: 'buddy-corruption', message: `the allocator handed out pfn:${p.toString(16)}, which is still allocated`, pfn: p });
    expect(k.violations[0]!.history!.map((e) => e.what)).toEqual(['page allocated via order 0, gfp_mask GFP_KERNEL', 'page allocated via order 0, gfp_mask GFP_KERNEL']);
  });

  it('is silent for a page handed out once', () => {
    const k = createKernel({ pages: 8 });
    k.run(k.alloc_pages(GFP_KERNEL, 1));
    expect(k.violations).toEqual([]);
    expect(() => k.run(k.alloc_pages(GFP_KERNEL, 0))).not.toThrow(ViolationError);
  });
});
