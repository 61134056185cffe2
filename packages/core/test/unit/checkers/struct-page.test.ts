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

  it('reports page[i] outside the memmap against the folio itself', () => {
    const k = createKernel({ pages: 16 });
    const f = k.run(k.alloc_pages(GFP_KERNEL, 0))!;
    const i = k.m.startPfn + 16 - f;
    k.checkFolioPage(f, i, 'folio->mapping');
    expect(k.violations).toEqual([expect.objectContaining({ kind: 'struct-page-corruption', pfn: f, message: `folio->mapping is in page[${i}] (pfn:${(f + i).toString(16)}), outside the memmap, not in the folio at pfn:${f.toString(16)}` })]);
  });

  it('reports page[i] of a folio that is itself free', () => {
    const k = createKernel({ pages: 16 });
    const f = k.run(k.alloc_pages(GFP_KERNEL, 0))!;
    k.run(k.__free_pages(f, 0));
    k.checkFolioPage(f, 0, 'folio->flags');
    expect(k.violations.map((v) => [v.kind, v.message])).toEqual([['struct-page-corruption', `folio->flags is in page[0] (pfn:${f.toString(16)}), a free page, not in the folio at pfn:${f.toString(16)}`]]);
  });
});
