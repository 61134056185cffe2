import { describe, expect, it } from 'vitest';
import { createKernel, ViolationError } from '../../../src/kernel/kernel.js';
import { GFP_KERNEL, __GFP_COMP } from '../../../src/kernel/gfp.js';
import { PG_lru } from '../../../src/kernel/page-flags.js';
import { FLAGS, REFCOUNT } from '../../../src/machine/layout.js';
import { alloc, kinds } from '../kernel-helpers.js';

describe('page_ref_count and page_count', () => {
  it('read the page\'s own _refcount and the head\'s', () => {
    const k = createKernel({ pages: 16 });
    const p = alloc(k, 2, GFP_KERNEL | __GFP_COMP);
    expect(k.run(k.page_ref_count(p))).toBe(1);
    expect(k.run(k.page_ref_count(p + 3))).toBe(0);
    expect(k.run(k.page_count(p + 3))).toBe(1);
  });

  it('read a non-compound block\'s pages on their own', () => {
    const k = createKernel({ pages: 16 });
    const p = alloc(k, 1);
    expect(k.run(k.page_count(p + 1))).toBe(0);
  });
});

describe('set_page_count and init_page_count', () => {
  it('set the _refcount', () => {
    const k = createKernel({ pages: 16 });
    const p = alloc(k, 0);
    k.run(k.set_page_count(p, 5));
    expect(k.peek(p, REFCOUNT)).toBe(5);
    k.run(k.init_page_count(p));
    expect(k.peek(p, REFCOUNT)).toBe(1);
  });
});

describe('get_page', () => {
  it('takes a reference', () => {
    const k = createKernel({ pages: 16 });
    const p = alloc(k, 0);
    k.run(k.get_page(p));
    expect(k.peek(p, REFCOUNT)).toBe(2);
  });

  it('takes the head\'s reference for a tail page', () => {
    const k = createKernel({ pages: 16 });
    const p = alloc(k, 2, GFP_KERNEL | __GFP_COMP);
    k.run(k.get_page(p + 2));
    expect(k.peek(p, REFCOUNT)).toBe(2);
    expect(k.peek(p + 2, REFCOUNT)).toBe(0);
  });

  it('records the reference in the page history', () => {
    const k = createKernel({ pages: 16 });
    const p = alloc(k, 0);
    k.run(k.get_page(p));
    expect(k.shadow.historyOf(p).map((h) => h.what)).toContain('get_page (1 -> 2)');
  });
});

describe('put_page', () => {
  it('drops a reference without freeing while others remain', () => {
    const k = createKernel({ pages: 16 });
    const p = alloc(k, 0);
    k.run(k.get_page(p));
    k.run(k.put_page(p));
    expect(k.peek(p, REFCOUNT)).toBe(1);
    expect(k.nrFreePages).toBe(15);
  });

  it('frees an order-0 page on the last reference', () => {
    const k = createKernel({ pages: 16 });
    const p = alloc(k, 0);
    k.run(k.put_page(p));
    expect(k.nrFreePages).toBe(16);
    expect(k.shadow.isAllocated(p)).toBe(false);
    k.finalChecks();
    expect(k.violations).toEqual([]);
  });

  it('takes a page off the LRU before freeing it', () => {
    const k = createKernel({ pages: 16 });
    const p = alloc(k, 0);
    k.run(k.set_page_bit(p, PG_lru, 'SetPageLRU'));
    k.run(k.put_page(p));
    expect(k.violations).toEqual([]);
    expect(k.peek(p, FLAGS)).toBe(0);
    expect(k.nrFreePages).toBe(16);
  });

  it('frees only page 0 of a non-compound block', () => {
    const k = createKernel({ pages: 16 });
    const p = alloc(k, 1);
    k.run(k.put_page(p));
    expect(k.shadow.isAllocated(p)).toBe(false);
    expect(k.shadow.isAllocated(p + 1)).toBe(true);
    k.finalChecks();
    expect(kinds(k)).toEqual(['page-leak']);
    expect(k.violations[0]!.pfn).toBe(p + 1);
  });
});

describe('get_page_unless_zero', () => {
  it('takes a reference on a live page', () => {
    const k = createKernel({ pages: 16 });
    const p = alloc(k, 0);
    expect(k.run(k.get_page_unless_zero(p))).toBe(true);
    expect(k.peek(p, REFCOUNT)).toBe(2);
  });

  it('fails on a free page and leaves its _refcount at 0', () => {
    const k = createKernel({ pages: 16 });
    const p = alloc(k, 0);
    k.run(k.__free_pages(p, 0));
    expect(k.run(k.get_page_unless_zero(p))).toBe(false);
    expect(k.peek(p, REFCOUNT)).toBe(0);
    expect(k.violations).toEqual([]);
  });

  it('fails on a page never allocated', () => {
    const k = createKernel({ pages: 16 });
    expect(k.run(k.get_page_unless_zero(k.pfn(5)))).toBe(false);
  });
});

describe('put_page_testzero', () => {
  it('is true only for the put that reaches zero', () => {
    const k = createKernel({ pages: 16 });
    const p = alloc(k, 0);
    k.run(k.get_page(p));
    expect(k.run(k.put_page_testzero(p))).toBe(false);
    expect(k.run(k.put_page_testzero(p))).toBe(true);
    expect(k.peek(p, REFCOUNT)).toBe(0);
  });

  it('reports refcount-underflow on a page at _refcount 0', () => {
    const k = createKernel({ pages: 16 });
    const p = alloc(k, 1);
    expect(() => k.run(k.put_page_testzero(p + 1))).toThrow(ViolationError);
    expect(kinds(k)).toEqual(['refcount-underflow']);
    expect(k.violations[0]!.message).toBe('put_page_testzero: _refcount was 0 (VM_BUG_ON_PAGE(page_ref_count(page) == 0))');
    expect(k.violations[0]!.pfn).toBe(p + 1);
  });
});

describe('page_ref_inc, page_ref_dec_and_test and page_ref_add_unless', () => {
  it('count references like the atomics they model', () => {
    const k = createKernel({ pages: 16 });
    const p = alloc(k, 0);
    k.run(k.page_ref_inc(p));
    expect(k.peek(p, REFCOUNT)).toBe(2);
    expect(k.run(k.page_ref_dec_and_test(p))).toBe(false);
    expect(k.run(k.page_ref_add_unless(p, 3, 0))).toBe(true);
    expect(k.peek(p, REFCOUNT)).toBe(4);
    expect(k.run(k.page_ref_add_unless(p, 3, 4))).toBe(false);
    expect(k.peek(p, REFCOUNT)).toBe(4);
  });

  it('report page_ref_dec_and_test on a page at _refcount 0', () => {
    const k = createKernel({ pages: 16 });
    const p = alloc(k, 1);
    expect(() => k.run(k.page_ref_dec_and_test(p + 1))).toThrow(/refcount-underflow: page_ref_dec_and_test: _refcount was 0/);
  });

  it('report page_ref_inc on a free page as use-after-free', () => {
    const k = createKernel({ pages: 16 });
    const p = alloc(k, 0);
    k.run(k.__free_pages(p, 0));
    k.run(k.page_ref_inc(p));
    expect(kinds(k)).toEqual(['use-after-free']);
  });
});
