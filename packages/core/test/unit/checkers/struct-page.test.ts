import { describe, expect, it } from 'vitest';
import { createKernel } from '../../../src/kernel/kernel.js';
import { GFP_KERNEL, __GFP_COMP } from '../../../src/kernel/gfp.js';

describe('the struct-page checker', () => {
  it('accepts page[i] inside the folio\'s own allocation', () => {
    const k = createKernel({ pages: 16 });
    const f = k.run(k.alloc_pages(GFP_KERNEL | __GFP_COMP, 2))!;
    k.checkFolioPage(f, 3, 'folio->_deferred_list');
    expect(k.violations).toEqual([]);
  });

  it('reports page[i] in another allocation, naming it', () => {
    const k = createKernel({ pages: 16 });
    const f = k.run(k.alloc_pages(GFP_KERNEL, 0))!;
    const other = k.run(k.alloc_pages(GFP_KERNEL, 0))!;
    k.checkFolioPage(f, other - f, 'folio->_deferred_list');
    expect(k.violations).toHaveLength(1);
    expect(k.violations[0]).toMatchObject({ kind: 'struct-page-corruption', pfn: other });
    expect(k.violations[0]!.message).toBe(`folio->_deferred_list is in page[${other - f}] (pfn:${other.toString(16)}), another allocation (pfn:${other.toString(16)} order 0), not in the folio at pfn:${f.toString(16)}`);
  });

  it('reports page[i] in a free page', () => {
    const k = createKernel({ pages: 16 });
    const f = k.run(k.alloc_pages(GFP_KERNEL, 0))!;
    k.checkFolioPage(f, 1, 'folio->_deferred_list');
    expect(k.violations[0]!.message).toMatch(/is in page\[1\] \(pfn:[0-9a-f]+\), a free page, not in the folio/);
  });
});
