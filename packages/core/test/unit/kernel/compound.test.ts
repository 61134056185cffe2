import { describe, expect, it } from 'vitest';
import { checkFreeLists, createKernel, ViolationError, type Kernel } from '../../../src/kernel/kernel.js';
import { GFP_KERNEL, __GFP_COMP } from '../../../src/kernel/gfp.js';
import { PG_dirty, PG_head } from '../../../src/kernel/page-flags.js';
import { PAGE_POISON } from '../../../src/kernel/page-alloc.js';
import { TAIL_MAPPING, pfnToAddr } from '../../../src/machine/addresses.js';
import { DATA, FLAGS, LRU_NEXT, LRU_PREV, LRU_PREV_HI, MAPPING, REFCOUNT } from '../../../src/machine/layout.js';
import { freeBlocks } from './free-area.js';

const COMP = GFP_KERNEL | __GFP_COMP;

const alloc = (k: Kernel, order: number, gfp = COMP): number => {
  const p = k.run(k.alloc_pages(gfp, order));
  if (p === null) throw new Error(`alloc_pages(order ${order}) failed`);
  return p;
};

const kinds = (k: Kernel): string[] => k.violations.map((v) => v.kind);

describe('prep_compound_page (alloc_pages with __GFP_COMP)', () => {
  it('sets PageHead on page 0 only', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 3);
    expect(k.run(k.PageHead(p))).toBe(true);
    for (let i = 1; i < 8; i++) expect(k.run(k.PageHead(p + i))).toBe(false);
    expect(k.peek(p, FLAGS)).toBe(1 << PG_head);
  });

  it('points every tail\'s compound_head at the head, with bit 0 set', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 3);
    for (let i = 1; i < 8; i++) {
      expect(k.peek(p + i, LRU_NEXT)).toBe(pfnToAddr(p) + 1);
      expect(k.run(k.PageTail(p + i))).toBe(true);
      expect(k.run(k.compound_head(p + i))).toBe(p);
    }
    expect(k.run(k.PageTail(p))).toBe(false);
    expect(k.run(k.compound_head(p))).toBe(p);
  });

  it('puts TAIL_MAPPING in the mapping of tails from page 2 on', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 3);
    for (let i = 2; i < 8; i++) expect(k.peek(p + i, MAPPING)).toBe(TAIL_MAPPING);
    expect(k.peek(p, MAPPING)).toBe(0);
  });

  it('keeps the order in page[1] and the compound mapcount at -1', () => {
    const k = createKernel({ pages: 64 });
    for (const order of [1, 2, 5]) {
      const p = alloc(k, order);
      expect(k.run(k.compound_order(p))).toBe(order);
      expect(k.run(k.compound_nr(p))).toBe(1 << order);
      expect((k.peek(p + 1, LRU_PREV) >>> 8) & 0xff).toBe(order);
      expect(k.peek(p + 1, LRU_PREV_HI)).toBe(-1);
      k.run(k.put_page(p));
    }
  });

  it('leaves the tails at _refcount 0 and the head at 1', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 2);
    expect(k.peek(p, REFCOUNT)).toBe(1);
    for (let i = 1; i < 4; i++) expect(k.peek(p + i, REFCOUNT)).toBe(0);
  });

  it('does not make an order-0 allocation compound', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 0);
    expect(k.run(k.PageCompound(p))).toBe(false);
    expect(k.run(k.compound_order(p))).toBe(0);
  });

  it('does not make a block compound without __GFP_COMP', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 2, GFP_KERNEL);
    for (let i = 0; i < 4; i++) expect(k.run(k.PageCompound(p + i))).toBe(false);
    expect(k.peek(p + 2, MAPPING)).toBe(0);
  });
});

describe('put_page on a compound page', () => {
  it('frees the whole block on the last reference', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 3);
    k.run(k.put_page(p));
    expect(k.nrFreePages).toBe(64);
    for (let i = 0; i < 8; i++) expect(k.shadow.isAllocated(p + i)).toBe(false);
    expect(freeBlocks(k)).toEqual([{ pfn: k.m.startPfn, order: 6 }]);
    k.finalChecks();
    expect(k.violations).toEqual([]);
  });

  it('frees the whole block when the last reference is dropped through a tail', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 2);
    k.run(k.get_page(p + 3));
    k.run(k.put_page(p + 1));
    expect(k.nrFreePages).toBe(60);
    k.run(k.put_page(p + 2));
    expect(k.nrFreePages).toBe(64);
    expect(checkFreeLists(k)).toBeUndefined();
  });

  it('clears the head flag, the tail pointers and the tail mappings', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 3);
    k.run(k.put_page(p));
    expect(k.peek(p, FLAGS)).toBe(0);
    for (let i = 1; i < 8; i++) {
      expect(k.peek(p + i, LRU_NEXT) & 1).toBe(0);
      expect(k.peek(p + i, MAPPING)).toBe(0);
    }
  });

  it('lets the block be allocated again as an order-0 page without a bad page report', () => {
    const k = createKernel({ pages: 16 });
    const p = alloc(k, 4);
    k.run(k.put_page(p));
    for (let i = 0; i < 16; i++) alloc(k, 0, GFP_KERNEL);
    expect(k.violations).toEqual([]);
  });
});

describe('__free_pages on a compound page', () => {
  it('frees the whole block', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 4);
    k.run(k.__free_pages(p, 4));
    expect(k.nrFreePages).toBe(64);
    k.finalChecks();
    expect(k.violations).toEqual([]);
  });

  it('stops the run with bad-page-state when freed with the wrong order', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 2);
    expect(() => k.run(k.__free_pages(p, 1))).toThrow(/compound order 2, freed as order 1/);
    expect(kinds(k)).toEqual(['bad-page-state']);
  });

  it('stops the run with bad-page-state when a tail page is freed', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 2);
    expect(() => k.run(k.free_the_page(p + 1, 0))).toThrow(/VM_BUG_ON_PAGE\(PageTail\(page\)\)/);
  });
});

describe('free_tail_pages_check', () => {
  const cases: [string, number, (k: Kernel, p: number) => void][] = [
    ['nonzero compound_mapcount', 1, (k, p) => k.m.poke(p + 1, LRU_PREV_HI, 0)],
    ['corrupted mapping in tail page', 3, (k, p) => k.m.poke(p + 3, MAPPING, 0)],
    ['PageTail not set', 2, (k, p) => k.m.poke(p + 2, LRU_NEXT, 0)],
    ['compound_head not consistent', 3, (k, p) => k.m.poke(p + 3, LRU_NEXT, pfnToAddr(p + 1) + 1)],
  ];

  for (const [reason, tail, corrupt] of cases) {
    it(`reports "${reason}" and leaves the block out of the allocator`, () => {
      const k = createKernel({ pages: 64 });
      const p = alloc(k, 2);
      corrupt(k, p);
      k.run(k.put_page(p));
      expect(kinds(k)).toEqual(['bad-page-state']);
      expect(k.violations[0]!.pfn).toBe(p + tail);
      expect(k.violations[0]!.message).toMatch(new RegExp(`in free_tail_pages_check: page dumped because: ${reason}$`));
      expect(k.nrFreePages).toBe(60);
      k.finalChecks();
      expect(kinds(k)).toEqual(['bad-page-state']);
    });
  }

  it('ignores the mapping of the second tail (the deferred list)', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 2);
    k.m.poke(p + 2, MAPPING, 0x1234);
    k.run(k.put_page(p));
    expect(k.violations).toEqual([]);
    expect(k.nrFreePages).toBe(64);
  });
});

describe('free_pages_prepare on a block', () => {
  it('is a VM_BUG when a compound page is freed with another order than its own', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 2);
    expect(() => k.run(k.__free_pages_ok(p, 1))).toThrow(ViolationError);
    expect(k.violations.map((v) => [v.kind, v.message, v.pfn])).toEqual([
      ['bad-page-state', 'free_pages_prepare: VM_BUG_ON_PAGE(compound && compound_order(page) != order): compound order 2, freed as order 1', p],
    ]);
  });

  it('poisons the contents of every page of the block, and clears the PAGE_FLAGS_CHECK_AT_PREP flags of each tail', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 2, GFP_KERNEL);
    for (let i = 0; i < 4; i++) k.m.poke(p + i, FLAGS, 1 << PG_dirty);
    k.run(k.__free_pages(p, 2));
    expect(k.violations).toEqual([]);
    for (let i = 0; i < 4; i++) {
      expect(k.peek(p + i, DATA)).toBe(PAGE_POISON);
      expect(k.peek(p + i, FLAGS)).toBe(0);
    }
  });
});

