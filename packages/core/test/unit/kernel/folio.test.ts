import { describe, expect, it } from 'vitest';
import { checkFreeLists, createKernel, type Kernel } from '../../../src/kernel/kernel.js';
import { GFP_KERNEL, GFP_KERNEL_ACCOUNT, __GFP_COMP } from '../../../src/kernel/gfp.js';
import { pfnToAddr } from '../../../src/machine/addresses.js';
import { REFCOUNT } from '../../../src/machine/layout.js';

const COMP = GFP_KERNEL | __GFP_COMP;

const alloc = (k: Kernel, order: number, gfp = COMP): number => {
  const p = k.run(k.alloc_pages(gfp, order));
  if (p === null) throw new Error(`alloc_pages(order ${order}) failed`);
  return p;
};

const kinds = (k: Kernel): string[] => k.violations.map((v) => v.kind);

describe('folio_test_large', () => {
  it('is true for a compound page and false for an order-0 or non-compound one', () => {
    const k = createKernel({ pages: 64 });
    expect(k.run(k.folio_test_large(alloc(k, 2)))).toBe(true);
    expect(k.run(k.folio_test_large(alloc(k, 0)))).toBe(false);
    expect(k.run(k.folio_test_large(alloc(k, 2, GFP_KERNEL)))).toBe(false);
  });
});

describe('folio_order and folio_nr_pages', () => {
  it('give the order and size of a large folio, 0 and 1 for a small one', () => {
    const k = createKernel({ pages: 64 });
    for (const order of [1, 3, 5]) {
      const f = alloc(k, order);
      expect(k.run(k.folio_order(f))).toBe(order);
      expect(k.run(k.folio_nr_pages(f))).toBe(1 << order);
      k.run(k.folio_put(f));
    }
    const s = alloc(k, 0);
    expect(k.run(k.folio_order(s))).toBe(0);
    expect(k.run(k.folio_nr_pages(s))).toBe(1);
  });
});

describe('page_folio', () => {
  it('maps every page of a large folio to its head', () => {
    const k = createKernel({ pages: 64 });
    const f = alloc(k, 2);
    for (let i = 0; i < 4; i++) expect(k.run(k.page_folio(f + i))).toBe(f);
  });

  it('reports a compound_head that points outside the memmap', () => {
    const k = createKernel({ pages: 64 });
    const f = alloc(k, 1);
    k.m.poke(f + 1, 1, pfnToAddr(5) + 1);
    expect(() => k.run(k.page_folio(f + 1))).toThrow(/wild-deref: compound_head: page->compound_head 0x[0-9a-f]+ is not a struct page/);
  });
});

describe('folio_get and folio_put', () => {
  it('take and drop a reference on the folio', () => {
    const k = createKernel({ pages: 64 });
    const f = alloc(k, 2);
    k.run(k.folio_get(f));
    expect(k.run(k.folio_ref_count(f))).toBe(2);
    k.run(k.folio_put(f));
    expect(k.peek(f, REFCOUNT)).toBe(1);
    expect(k.nrFreePages).toBe(60);
  });

  it('free the whole large folio on the last folio_put', () => {
    const k = createKernel({ pages: 64 });
    const f = alloc(k, 4);
    k.run(k.folio_put(f));
    expect(k.nrFreePages).toBe(64);
    expect(checkFreeLists(k)).toBeUndefined();
    k.finalChecks();
    expect(k.violations).toEqual([]);
  });

  it('free a small folio on the last folio_put', () => {
    const k = createKernel({ pages: 64 });
    const f = alloc(k, 0);
    k.run(k.folio_put(f));
    expect(k.nrFreePages).toBe(64);
  });

  it('uncharge an accounted large folio', () => {
    const k = createKernel({ pages: 64 });
    const f = alloc(k, 3, GFP_KERNEL_ACCOUNT | __GFP_COMP);
    expect(k.memcgUsage()).toBe(8);
    k.run(k.folio_put(f));
    expect(k.memcgUsage()).toBe(0);
    k.finalChecks();
    expect(k.violations).toEqual([]);
  });

  it('report folio_get on a freed folio as use-after-free', () => {
    const k = createKernel({ pages: 64 });
    const f = alloc(k, 1);
    k.run(k.folio_put(f));
    expect(() => k.run(k.folio_get(f))).toThrow(/refcount-underflow/);
    expect(kinds(k)).toEqual(['use-after-free', 'refcount-underflow']);
  });

  it('report a folio_put too many as refcount-underflow', () => {
    const k = createKernel({ pages: 64 });
    const f = alloc(k, 1);
    k.run(k.folio_put(f));
    expect(() => k.run(k.folio_put(f))).toThrow(/refcount-underflow/);
  });
});

describe('folio_try_get', () => {
  it('takes a reference on a live folio and fails on a freed one', () => {
    const k = createKernel({ pages: 64 });
    const f = alloc(k, 2);
    expect(k.run(k.folio_try_get(f))).toBe(true);
    k.run(k.folio_put(f));
    k.run(k.folio_put(f));
    expect(k.run(k.folio_try_get(f))).toBe(false);
    expect(k.violations).toEqual([]);
  });
});

describe('folio_test_slab, __folio_set_slab and __folio_clear_slab', () => {
  it('set and clear PG_slab', () => {
    const k = createKernel({ pages: 64 });
    const f = alloc(k, 1);
    k.run(k.__folio_set_slab(f));
    expect(k.run(k.folio_test_slab(f))).toBe(true);
    k.run(k.__folio_clear_slab(f));
    expect(k.run(k.folio_test_slab(f))).toBe(false);
  });
});

describe('folio_deferred_list', () => {
  it('lies in page[2] of a folio of order 2 or more', () => {
    const k = createKernel({ pages: 64 });
    const f = alloc(k, 2);
    expect(k.folio_deferred_list(f, 'test')).toBe(pfnToAddr(f + 2) + 16);
    expect(k.violations).toEqual([]);
  });

  it('is another allocation\'s struct page for an order-1 folio: struct-page-corruption', () => {
    const k = createKernel({ pages: 64 });
    const f = alloc(k, 1);
    const other = alloc(k, 1);
    expect(other).toBe(f + 2);
    k.folio_deferred_list(f, 'deferred_split_folio');
    expect(kinds(k)).toEqual(['struct-page-corruption']);
    expect(k.violations[0]!.message).toMatch(/deferred_split_folio: folio->_deferred_list is in page\[2\] \(pfn:[0-9a-f]+\), another allocation \(pfn:[0-9a-f]+ order 1\), not in the folio/);
  });
});
