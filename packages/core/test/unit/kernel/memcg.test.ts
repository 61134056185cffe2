import { describe, expect, it } from 'vitest';
import { checkFreeLists, createKernel, type Kernel, type KernelConfig } from '../../../src/kernel/kernel.js';
import { GFP_KERNEL, GFP_KERNEL_ACCOUNT, __GFP_COMP } from '../../../src/kernel/gfp.js';
import { MEMCG_DATA_KMEM } from '../../../src/kernel/page-flags.js';
import { MEMCG_DATA } from '../../../src/machine/layout.js';

const alloc = (k: Kernel, order: number, gfp = GFP_KERNEL_ACCOUNT): number => {
  const p = k.run(k.alloc_pages(gfp, order));
  if (p === null) throw new Error(`alloc_pages(order ${order}) failed`);
  return p;
};

const usage = (k: Kernel): number => k.memcgUsage();
const css = (k: Kernel): number => k.cssRefs();
const kinds = (k: Kernel): string[] => k.violations.map((v) => v.kind);
const kernel = (config: KernelConfig = {}): Kernel => createKernel({ pages: 64, ...config });

describe('__GFP_ACCOUNT', () => {
  it('charges 1 << order pages to the memcg', () => {
    const k = kernel();
    expect(usage(k)).toBe(0);
    alloc(k, 2);
    expect(usage(k)).toBe(4);
    alloc(k, 0);
    expect(usage(k)).toBe(5);
    alloc(k, 3, GFP_KERNEL_ACCOUNT | __GFP_COMP);
    expect(usage(k)).toBe(13);
  });

  it('sets memcg_data on the first page to the memcg with MEMCG_DATA_KMEM', () => {
    const k = kernel();
    const p = alloc(k, 2);
    expect(k.peek(p, MEMCG_DATA)).toBe(k.memcg!.addr | MEMCG_DATA_KMEM);
    for (let i = 1; i < 4; i++) expect(k.peek(p + i, MEMCG_DATA)).toBe(0);
    expect(k.run(k.PageMemcgKmem(p))).toBe(true);
    expect(k.run(k.page_memcg(p))).toBe(k.memcg!.addr);
  });

  it('takes a css reference per charged allocation', () => {
    const k = kernel();
    expect(css(k)).toBe(1);
    const p = alloc(k, 2);
    expect(css(k)).toBe(2);
    k.run(k.__free_pages(p, 2));
    expect(css(k)).toBe(1);
  });

  it('charges nothing without __GFP_ACCOUNT', () => {
    const k = kernel();
    const p = alloc(k, 2, GFP_KERNEL);
    expect(usage(k)).toBe(0);
    expect(k.peek(p, MEMCG_DATA)).toBe(0);
  });

  it('records the charge in the page history', () => {
    const k = kernel();
    const p = alloc(k, 1);
    expect(k.shadow.historyOf(p).map((h) => h.what)).toContain('memcg charge 2 page(s)');
    expect(k.shadow.allocationOf(p)).toMatchObject({ charged: 2, memcg: 'test_memcg' });
  });
});

describe('uncharge at free', () => {
  it('uncharges a non-compound block in free_pages_prepare', () => {
    const k = kernel();
    const p = alloc(k, 2);
    k.run(k.__free_pages(p, 2));
    expect(usage(k)).toBe(0);
    expect(k.peek(p, MEMCG_DATA)).toBe(0);
    k.finalChecks();
    expect(k.violations).toEqual([]);
  });

  it('uncharges a compound page in mem_cgroup_uncharge on the last put_page', () => {
    const k = kernel();
    const p = alloc(k, 3, GFP_KERNEL_ACCOUNT | __GFP_COMP);
    k.run(k.get_page(p));
    k.run(k.put_page(p));
    expect(usage(k)).toBe(8);
    k.run(k.put_page(p));
    expect(usage(k)).toBe(0);
    expect(css(k)).toBe(1);
    k.finalChecks();
    expect(k.violations).toEqual([]);
  });

  it('uncharges an order-0 page freed by put_page', () => {
    const k = kernel();
    const p = alloc(k, 0);
    k.run(k.put_page(p));
    expect(usage(k)).toBe(0);
    k.finalChecks();
    expect(k.violations).toEqual([]);
  });

  it('leaves pages that were never charged alone in mem_cgroup_uncharge', () => {
    const k = kernel();
    const p = alloc(k, 0, GFP_KERNEL);
    alloc(k, 0);
    k.run(k.mem_cgroup_uncharge(p));
    expect(usage(k)).toBe(1);
    expect(css(k)).toBe(2);
  });
});

describe('memory.max', () => {
  it('makes alloc_pages return null when the charge would go over the limit', () => {
    const k = kernel({ memcg: { limit: 4 } });
    const p = alloc(k, 1);
    expect(k.run(k.alloc_pages(GFP_KERNEL_ACCOUNT, 2))).toBeNull();
    expect(usage(k)).toBe(2);
    expect(css(k)).toBe(2);
    expect(alloc(k, 1)).not.toBeNull();
    expect(usage(k)).toBe(4);
    expect(k.run(k.alloc_pages(GFP_KERNEL_ACCOUNT, 0))).toBeNull();
    expect(k.nrFreePages).toBe(60);
    expect(checkFreeLists(k)).toBeUndefined();
    k.run(k.__free_pages(p, 1));
    expect(alloc(k, 0)).not.toBeNull();
  });

  it('gives the block of a failed charge back to the buddy allocator', () => {
    const k = kernel({ memcg: { limit: 0 } });
    expect(k.run(k.alloc_pages(GFP_KERNEL_ACCOUNT | __GFP_COMP, 3))).toBeNull();
    expect(k.nrFreePages).toBe(64);
    expect(usage(k)).toBe(0);
    k.finalChecks();
    expect(k.violations).toEqual([]);
  });

  it('does not limit allocations without __GFP_ACCOUNT', () => {
    const k = kernel({ memcg: { limit: 0 } });
    expect(k.run(k.alloc_pages(GFP_KERNEL, 5))).not.toBeNull();
  });
});

describe('split_page_memcg', () => {
  it('copies the head\'s memcg_data to every page of a split block', () => {
    const k = kernel();
    const p = alloc(k, 2);
    k.run(k.split_page(p, 2));
    for (let i = 0; i < 4; i++) expect(k.peek(p + i, MEMCG_DATA)).toBe(k.memcg!.addr | MEMCG_DATA_KMEM);
    expect(css(k)).toBe(1 + 4);
    expect(usage(k)).toBe(4);
  });

  it('lets each page of a split block uncharge itself when freed', () => {
    const k = kernel();
    const p = alloc(k, 2);
    k.run(k.split_page(p, 2));
    for (let i = 0; i < 4; i++) {
      k.run(k.__free_pages(p + i, 0));
      expect(usage(k)).toBe(3 - i);
    }
    expect(css(k)).toBe(1);
    k.finalChecks();
    expect(k.violations).toEqual([]);
  });

  it('does nothing for a page that is not charged', () => {
    const k = kernel();
    const p = alloc(k, 2, GFP_KERNEL);
    k.run(k.split_page(p, 2));
    for (let i = 0; i < 4; i++) expect(k.peek(p + i, MEMCG_DATA)).toBe(0);
    expect(css(k)).toBe(1);
  });
});

describe('memcg-leak', () => {
  it('is reported by finalChecks for a split block whose tails were never charged (v5.11 split_page)', () => {
    const k = kernel({ overrides: { *split_page_memcg() {} } });
    const p = alloc(k, 2);
    k.run(k.split_page(p, 2));
    for (let i = 0; i < 4; i++) k.run(k.__free_pages(p + i, 0));
    expect(usage(k)).toBe(3);
    k.finalChecks();
    expect(kinds(k)).toEqual(['memcg-leak']);
    expect(k.violations[0]!.message).toBe('test_memcg memory.usage is 3 page(s) but only 0 charged page(s) are still allocated: 3 page(s) of charge leaked');
  });

  it('is reported for an accounted non-compound block freed through a speculative reference', () => {
    const k = kernel();
    const p = alloc(k, 2);
    k.run(k.get_page(p));
    k.run(k.__free_pages(p, 2)); // frees the tails, which carry no memcg_data
    k.run(k.put_page(p)); // mem_cgroup_uncharge: compound_nr is 1
    k.finalChecks();
    expect(kinds(k)).toEqual(['memcg-leak']);
    expect(k.violations[0]!.message).toMatch(/3 page\(s\) of charge leaked/);
  });

  it('is not reported while the charged pages are still allocated', () => {
    const k = kernel();
    alloc(k, 2);
    k.finalChecks();
    expect(kinds(k)).toEqual(['page-leak']);
  });
});

describe('memcg-underflow', () => {
  it('is reported when a page is uncharged that was never charged', () => {
    const k = kernel();
    const p = alloc(k, 0, GFP_KERNEL);
    k.m.poke(p, MEMCG_DATA, k.memcg!.addr | MEMCG_DATA_KMEM); // memcg_data with no charge behind it
    k.run(k.__free_pages(p, 0));
    expect(usage(k)).toBe(-1);
    expect(kinds(k)).toEqual(['memcg-underflow']);
    expect(k.violations[0]!.message).toMatch(/page_counter underflow: test_memcg memory.usage 0 -> -1 after uncharging 1 page/);
  });
});

describe('memcg: false', () => {
  it('charges nothing and keeps memcg_data clear', () => {
    const k = kernel({ memcg: false });
    const p = alloc(k, 2);
    expect(k.peek(p, MEMCG_DATA)).toBe(0);
    k.run(k.split_page(p, 2));
    for (let i = 0; i < 4; i++) k.run(k.__free_pages(p + i, 0));
    k.finalChecks();
    expect(k.violations).toEqual([]);
  });
});
