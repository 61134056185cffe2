import { describe, expect, it } from 'vitest';
import { checkFreeLists, createKernel, type Kernel } from '../../../src/kernel/kernel.js';
import { GFP_HIGHUSER_MOVABLE } from '../../../src/kernel/gfp.js';
import { PG_head, PG_locked } from '../../../src/kernel/page-flags.js';
import { EBUSY, TRANSHUGE_PAGE_DTOR } from '../../../src/kernel/huge-memory.js';
import type { VmArea } from '../../../src/kernel/anon.js';
import { globalAddr, pfnToAddr } from '../../../src/machine/addresses.js';
import { FLAGS, LRU_NEXT, LRU_PREV, MAPCOUNT, MAPPING, REFCOUNT } from '../../../src/machine/layout.js';
import { freeBlocks, maximalBlocks } from './free-area.js';

const kinds = (k: Kernel): string[] => k.violations.map((v) => v.kind);

/** &folio->_deferred_list: words 2-3 of page[2]. */
const deferredList = (f: number): number => pfnToAddr(f + 2) + 16;

function setup(pages = 16): { k: Kernel; vma: VmArea } {
  const k = createKernel({ pages });
  const anon_vma = k.symbols.add('anon_vma', 'object').addr;
  return { k, vma: { vm_start: 0x10000, vm_end: 0x10000 + 16 * 4096, anon_vma } };
}

/** A folio of `order` faulted in with every page mapped once by a PTE, as the RFC's do_anonymous_page() does. */
function mapped(k: Kernel, vma: VmArea, order: number): number {
  const f = k.run(k.__folio_alloc(GFP_HIGHUSER_MOVABLE, order));
  if (f === null) throw new Error('__folio_alloc failed');
  const nr = 1 << order;
  for (let i = 1; i < nr; i++) k.run(k.folio_get(f));
  for (let i = 0; i < nr; i++) k.m.poke(f + i, MAPCOUNT, 0);
  k.run(k.__page_set_anon_rmap(f, vma, vma.vm_start));
  return f;
}

/** munmap of one page: page_remove_rmap, folio_put. */
function zap(k: Kernel, page: number): void {
  const f = k.run(k.page_folio(page));
  k.run(k.page_remove_rmap(page));
  k.run(k.folio_put(f));
}

describe('pgdat_init_split_queue', () => {
  it('makes an empty split queue once', () => {
    const { k } = setup();
    const q = k.pgdat_init_split_queue();
    expect(k.m.words[(q.split_queue - globalAddr(0)) / 8]).toBe(q.split_queue);
    expect(k.m.words[q.split_queue_len]).toBe(0);
    expect(k.run(k.list_empty(q.split_queue))).toBe(true);
    expect(k.get_deferred_split_queue(0)).toEqual(q);
  });
});

describe('prep_transhuge_page', () => {
  it('initialises _deferred_list in page[2] and sets the THP destructor', () => {
    const { k } = setup();
    const f = k.run(k.__folio_alloc(GFP_HIGHUSER_MOVABLE, 2))!;
    expect(k.peek(f + 2, LRU_PREV)).toBe(deferredList(f));
    expect(k.peek(f + 2, MAPPING)).toBe(deferredList(f));
    expect(k.peek(f + 1, LRU_PREV)).toBe(TRANSHUGE_PAGE_DTOR | (2 << 8));
    expect(k.run(k.folio_order(f))).toBe(2);
    expect(k.violations).toEqual([]);
  });

  it('is a BUG below order 2', () => {
    const { k } = setup();
    const f = k.run(k.alloc_pages(GFP_HIGHUSER_MOVABLE | 0x40000, 1))!;
    expect(() => k.run(k.prep_transhuge_page(f))).toThrow(/VM_BUG_ON_FOLIO\(folio_order\(folio\) < 2\)/);
  });
});

describe('deferred_split_huge_page', () => {
  it('queues an order-2 folio once, under split_queue_lock', () => {
    const { k, vma } = setup();
    const f = mapped(k, vma, 2);
    const q = k.get_deferred_split_queue(f);
    k.run(k.deferred_split_huge_page(f + 3));
    k.run(k.deferred_split_huge_page(f));
    expect(k.m.words[q.split_queue_len]).toBe(1);
    expect(k.m.words[(q.split_queue - globalAddr(0)) / 8]).toBe(deferredList(f));
    expect(k.peek(f + 2, LRU_PREV)).toBe(q.split_queue);
    expect(k.peek(f + 2, MAPPING)).toBe(q.split_queue);
    expect(k.violations).toEqual([]);
  });

  it('reports an order-1 folio\'s deferred list as the next page\'s struct page', () => {
    const { k, vma } = setup();
    const f = mapped(k, vma, 1);
    const next = k.run(k.alloc_pages(GFP_HIGHUSER_MOVABLE, 0))!;
    expect(next).toBe(f + 2);
    k.run(k.deferred_split_huge_page(f));
    expect(kinds(k)).toEqual(['struct-page-corruption']);
    expect(k.violations[0]!.message).toBe(`deferred_split_huge_page: folio->_deferred_list is in page[2] (pfn:${next.toString(16)}), another allocation (pfn:${next.toString(16)} order 0), not in the folio at pfn:${f.toString(16)}`);
  });
});

describe('free_transhuge_page', () => {
  it('takes a queued folio off the deferred split queue under split_queue_lock before freeing it', () => {
    const { k, vma } = setup();
    const f = mapped(k, vma, 2);
    k.run(k.deferred_split_huge_page(f));
    const q = k.get_deferred_split_queue(f);
    expect(k.m.words[q.split_queue_len]).toBe(1);
    for (let i = 0; i < 4; i++) zap(k, f + i);
    expect(k.m.words[q.split_queue_len]).toBe(0);
    expect(k.run(k.list_empty(q.split_queue))).toBe(true);
    expect(kinds(k)).toEqual([]);
    expect(checkFreeLists(k)).toBeUndefined();
  });

  it('follows v6.2\'s order: lock, list_empty, split_queue_len--, list_del, unlock, free_compound_page', () => {
    const calls: string[] = [];
    const traced = (name: 'spin_lock' | 'spin_unlock' | 'list_empty' | 'list_del' | 'free_compound_page') => (original: (...a: never[]) => unknown) =>
      function* (...args: never[]) { calls.push(name); return yield* (original(...args) as Generator<never, unknown, number>); };
    const k2 = createKernel({ pages: 16, wrap: { spin_lock: traced('spin_lock'), spin_unlock: traced('spin_unlock'), list_empty: traced('list_empty'), list_del: traced('list_del'), free_compound_page: traced('free_compound_page') } as never });
    const anon_vma = k2.symbols.add('anon_vma', 'object').addr;
    const f2 = mapped(k2, { vm_start: 0x10000, vm_end: 0x10000 + 16 * 4096, anon_vma }, 2);
    k2.run(k2.deferred_split_huge_page(f2));
    calls.length = 0;
    k2.run(k2.free_transhuge_page(f2));
    expect(calls).toEqual(['spin_lock', 'list_empty', 'list_del', 'spin_unlock', 'free_compound_page']);
  });

  it('leaves a folio that is not queued alone, still under the lock', () => {
    const { k, vma } = setup();
    const f = mapped(k, vma, 2);
    for (let i = 0; i < 4; i++) zap(k, f + i);
    const q = k.get_deferred_split_queue(f);
    expect(k.m.words[q.split_queue_len]).toBe(0);
    expect(kinds(k)).toEqual([]);
    expect(checkFreeLists(k)).toBeUndefined();
  });
});

describe('split_folio', () => {
  it('takes the folio off the deferred list and leaves order-0 pages, the tails freed', () => {
    const { k, vma } = setup();
    const f = mapped(k, vma, 2);
    const q = k.get_deferred_split_queue(f);
    // munmap of pages 1..3 leaves page 0 mapped once; the folio is queued
    for (let i = 1; i < 4; i++) zap(k, f + i);
    k.run(k.deferred_split_huge_page(f));
    expect(k.m.words[q.split_queue_len]).toBe(1);
    k.run(k.folio_get(f));
    expect(k.run(k.folio_trylock(f))).toBe(true);
    expect(k.run(k.split_folio(f))).toBe(0);
    expect(k.m.words[q.split_queue_len]).toBe(0);
    expect(k.run(k.list_empty(q.split_queue))).toBe(true);
    expect(k.peek(f, FLAGS) & (1 << PG_head)).toBe(0);
    expect(k.peek(f, FLAGS) & (1 << PG_locked)).not.toBe(0);
    // the mapped head keeps its mapping reference and the caller's pin
    expect(k.peek(f, REFCOUNT)).toBe(2);
    expect(k.peek(f, MAPCOUNT)).toBe(0);
    for (let i = 1; i < 4; i++) {
      expect(k.peek(f + i, LRU_NEXT)).not.toBe(pfnToAddr(f) + 1);
      expect(k.shadow.isAllocated(f + i)).toBe(false);
    }
    k.run(k.folio_unlock(f));
    k.run(k.folio_put(f));
    zap(k, f);
    expect(k.violations).toEqual([]);
    expect(checkFreeLists(k)).toBeUndefined();
    expect(freeBlocks(k)).toEqual(maximalBlocks(k.m.startPfn, k.m.nrPages, k.MAX_ORDER));
  });

  it('refuses with -EBUSY while another reference pins the folio, and remaps it', () => {
    const { k, vma } = setup();
    const f = mapped(k, vma, 2);
    for (let i = 1; i < 4; i++) zap(k, f + i);
    k.run(k.folio_get(f));
    k.run(k.folio_get(f)); // a GUP pin
    k.run(k.folio_trylock(f));
    expect(k.run(k.split_folio(f))).toBe(-EBUSY);
    expect(k.run(k.folio_test_large(f))).toBe(true);
    expect(k.run(k.folio_mapcount(f))).toBe(1);
    expect(k.peek(f, REFCOUNT)).toBe(3);
    expect(k.violations).toEqual([]);
  });

  it('needs the folio lock', () => {
    const { k, vma } = setup();
    const f = mapped(k, vma, 2);
    expect(() => k.run(k.split_folio(f))).toThrow(/lock-violation: split_huge_page_to_list: VM_BUG_ON_FOLIO\(!folio_test_locked\(folio\)\)/);
  });

  it('on an order-1 folio, unlinks a list_head in the next page\'s struct page', () => {
    const { k, vma } = setup();
    const f = mapped(k, vma, 1);
    zap(k, f + 1);
    k.run(k.folio_get(f));
    k.run(k.folio_trylock(f));
    // page[2] is a free page whose mapping is NULL: list_del() stores through prev = NULL
    expect(() => k.run(k.split_folio(f))).toThrow(/wild-deref: list_del: list pointer 0x0 does not point at a list_head/);
    expect(kinds(k)).toEqual(['struct-page-corruption', 'wild-deref']);
    expect(k.violations[0]!.message).toContain('a free page');
  });
});
