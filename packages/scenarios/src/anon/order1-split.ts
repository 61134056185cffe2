import {
  GFP_HIGHUSER_MOVABLE, __GFP_ZERO, layout,
  type Kernel, type Op, type RaceSpec, type VmArea,
} from '@pagecheck/core';
import { RMW_ADD } from '@pagecheck/core/engine';
import { variant, type Scenario } from '../types.js';
import { PAGE_SIZE, PTRS_PER_PTE, calc_anonymous_folio_order, calc_anonymous_folio_order_rfc, type FolioOrder, type VmFault } from './calc-order.js';

/** How a revision of the RFC picks the folio order for a fault. */
export type CalcOrder = (vmf: VmFault, order_out: number) => FolioOrder;

/** The order the fault asks for (the RFC lets the architecture prefer one; 4 is 64 KiB, arm64's contiguous-PTE size). */
export const PREFERRED_ORDER = 4;

type KG<R> = Generator<Op, R, number>;

/**
 * folio_add_new_anon_rmap_range() (RFC patch 4/6, not quoted in seed 004):
 * reconstructed as folio_add_new_anon_rmap() (mm/rmap.c, v6.2) with every page
 * of the folio mapped by its own PTE: __folio_set_swapbacked, each page's
 * _mapcount from -1 to 0, __page_set_anon_rmap.
 */
export function* folio_add_new_anon_rmap_range(k: Kernel, folio: number, nr: number, vma: VmArea, address: number): KG<void> {
  yield* k.__folio_set_swapbacked(folio);
  for (let i = 0; i < nr; i++) yield k.st32(folio + i, layout.MAPCOUNT, 0, 'atomic_set(&page->_mapcount, 0)');
  yield* k.__page_set_anon_rmap(folio, vma, address);
}

/**
 * do_anonymous_page() with the RFC's large folios (mm/memory.c, RFC patch
 * 5/6, the allocation half): the order from calc_anonymous_folio_order(), a
 * zeroed movable folio of that order (vma_alloc_folio(..., hugepage=false) →
 * __folio_alloc(), v6.2), one reference and one mapping per PTE. The page
 * table and its lock are not modelled.
 */
export function* do_anonymous_page(k: Kernel, vma: VmArea, vmf: VmFault, calc: CalcOrder): KG<{ folio: number; nr: number }> {
  const { order, addr } = calc(vmf, PREFERRED_ORDER);
  const folio = yield* k.__folio_alloc(GFP_HIGHUSER_MOVABLE | __GFP_ZERO, order);
  if (folio === null) throw new Error(`do_anonymous_page: no folio of order ${order}`);
  const nr = 1 << order;
  yield* k.__folio_mark_uptodate(folio);
  if (nr > 1) yield k.rmw(folio, layout.REFCOUNT, RMW_ADD, nr - 1, 0, 'folio_ref_add(folio, nr - 1)');
  if (nr > 1) yield* folio_add_new_anon_rmap_range(k, folio, nr, vma, addr);
  else yield* k.folio_add_new_anon_rmap(folio, vma, addr);
  return { folio, nr };
}

/** zap_pte_range() of one PTE mapping a page of `folio` (mm/memory.c, v6.2): page_remove_rmap, then the TLB batch's folio_put. */
export function* zap_pte(k: Kernel, page: number): KG<void> {
  const folio = yield* k.page_folio(page);
  yield* k.page_remove_rmap(page);
  yield* k.folio_put(folio);
}

/**
 * madvise_free_pte_range()'s large-folio branch (mm/madvise.c, v6.3-rc, as
 * quoted in seed 004): a large folio mapped once is split before MADV_FREE
 * goes on. The rest of MADV_FREE (clearing dirty bits, lazyfree) is not modelled.
 */
export function* madvise_free_pte_range(k: Kernel, folio: number): KG<void> {
  if (yield* k.folio_test_large(folio)) {
    if ((yield* k.folio_mapcount(folio)) !== 1) return;
    yield* k.folio_get(folio);
    if (!(yield* k.folio_trylock(folio))) {
      yield* k.folio_put(folio);
      return;
    }
    // pte_unmap_unlock(orig_pte, ptl);
    if ((yield* k.split_folio(folio)) !== 0) {
      yield* k.folio_unlock(folio);
      yield* k.folio_put(folio);
      return;
    }
    yield* k.folio_unlock(folio);
    yield* k.folio_put(folio);
  }
}

/** A fault layout: the VMA, the faulting page and which ptes of the VMA are already present. */
export interface FaultLayout {
  readonly name: string;
  /** VMA size in pages; it starts at VMA_START. */
  readonly pages: number;
  /** Index of the faulting page in the VMA. */
  readonly fault: number;
  /** Indexes of VMA pages already mapped. */
  readonly present: readonly number[];
}

/** 64 KiB aligned, so every order up to 4 is naturally aligned at the VMA start. */
export const VMA_START = 0x10000;

/** The first page is mapped: order 2 covers it, order 1 at the faulting page fits. */
export const ORDER1_LAYOUT: FaultLayout = { name: 'first page mapped', pages: 4, fault: 2, present: [0] };
/** Nothing mapped: order 2 fits the VMA. */
export const ORDER2_LAYOUT: FaultLayout = { name: 'empty VMA', pages: 4, fault: 2, present: [] };

/** The vm_fault of a layout. */
export function faultOf(layout: FaultLayout, vma: VmArea): VmFault {
  const ptes: boolean[] = new Array<boolean>(PTRS_PER_PTE).fill(false);
  const base = Math.floor(VMA_START / PAGE_SIZE) % PTRS_PER_PTE;
  for (const i of layout.present) ptes[base + i] = true;
  return { vma, address: VMA_START + layout.fault * PAGE_SIZE, ptes };
}

/** A VmArea that names itself in race diagrams. */
function vmArea(vm_start: number, vm_end: number, anon_vma: number): VmArea {
  return { vm_start, vm_end, anon_vma, toString: () => `vma[0x${vm_start.toString(16)}-0x${vm_end.toString(16)})` } as VmArea;
}

interface SplitState {
  readonly vma: VmArea;
  readonly other: VmArea;
}

/**
 * Ryan Roberts' reproducer, reduced: a process faults a large anonymous folio
 * (calc_anonymous_folio_order), munmaps all but its first page, then
 * madvise(MADV_FREE) splits it (split_folio). Meanwhile another process
 * faults an order-0 page, which the allocator may place right after the folio,
 * and unmaps it.
 */
export function order1SplitRace(name: string, calc: CalcOrder, layout: FaultLayout): RaceSpec<SplitState> {
  return {
    name,
    kernel: { pages: 16 },
    setup(k) {
      const anon_vma = k.symbols.add('anon_vma', 'object').addr;
      const other = k.symbols.add('other anon_vma', 'object').addr;
      k.pgdat_init_split_queue();
      return {
        vma: vmArea(VMA_START, VMA_START + layout.pages * PAGE_SIZE, anon_vma),
        other: vmArea(0x40000, 0x41000, other),
      };
    },
    threads: {
      *fault(k, s) {
        const { folio, nr } = yield* do_anonymous_page(k, s.vma, faultOf(layout, s.vma), calc);
        k.name(folio, 'F');
        // munmap() of all but the folio's first page: zap_pte_range
        for (let i = 1; i < nr; i++) yield* zap_pte(k, folio + i);
        // madvise(MADV_FREE) of the first page
        yield* madvise_free_pte_range(k, folio);
        // exit: the last pte goes
        yield* zap_pte(k, folio);
      },
      *neighbour(k, s) {
        const vmf: VmFault = { vma: s.other, address: s.other.vm_start, ptes: new Array<boolean>(PTRS_PER_PTE).fill(false) };
        const { folio } = yield* do_anonymous_page(k, s.other, vmf, () => ({ order: 0, addr: s.other.vm_start }));
        yield* zap_pte(k, folio);
      },
    },
  };
}

const cases = (id: string, calc: CalcOrder): RaceSpec<never>[] => [
  order1SplitRace(`${id}: ${ORDER1_LAYOUT.name}`, calc, ORDER1_LAYOUT),
  order1SplitRace(`${id}: ${ORDER2_LAYOUT.name}`, calc, ORDER2_LAYOUT),
] as RaceSpec<never>[];

/** Seed 004: an order-1 anonymous folio's deferred split list is in its neighbour's struct page. */
export const anonOrder1Split: Scenario = {
  id: 'anon-order1-split',
  title: 'split_folio() of an order-1 anonymous folio uses the next page\'s struct page as its deferred list',
  sources: {
    threads: [
      '[RFC PATCH 0/6] variable-order, large folios for anonymous memory (Ryan Roberts, Yin Fengwei, 2023-03-17 .. 2023-03-22)',
    ],
    commits: [
      '19eaf44954df mm: thp: support allocation of anonymous multi-size THP (THP_ORDERS_ALL_ANON excludes orders 0 and 1)',
      '8897277acfef mm: support order-1 folios in the page cache (file folios never use the deferred list)',
    ],
  },
  story: [
    'Ryan Roberts\' RFC let do_anonymous_page() allocate anonymous folios of any order that fits the VMA, one PMD and the none ptes around the fault, as calc_anonymous_folio_order() computes.',
    'Under DEBUG_VM and KASAN he saw oopses at invalid addresses ("NULL + small offset") and suspected the struct pages next to his folios; they went away when madvise_free_pte_range() stopped splitting large folios.',
    'Yin Fengwei pointed at the cause: a folio\'s deferred split list, _deferred_list, lives in its third struct page, so split_huge_page_to_list() on an order-1 folio reads and unlinks a list_head in the next page\'s struct page, which the allocator never initialised for this folio (prep_transhuge_page() runs only for order > 1).',
    'Ryan changed calc_anonymous_folio_order() to fall back to order 0 without THP and never to return order 1; anonymous large folios stayed at order 2 or more when they were merged.',
  ].join(' '),
  variants: {
    'rfc-allows-order1': variant({
      id: 'rfc-allows-order1',
      title: 'RFC before the fix: calc_anonymous_folio_order() may return order 1',
      description: 'With the first page of a 4-page VMA mapped, the fault gets an order-1 folio; MADV_FREE\'s split_folio() then treats words 2-3 of the next page\'s struct page as the folio\'s deferred list.',
      cases: cases('rfc-allows-order1', calc_anonymous_folio_order_rfc),
      expected: ['struct-page-corruption', 'wild-deref'],
      expectedFrom: [
        'Ryan Roberts\' report (2023-03-17) names both: oopses at invalid kernel addresses ("NULL + small offset") and struct pages adjacent to the folio being corrupted. In the model, __folio_alloc() runs prep_transhuge_page() only for order > 1, so nothing initialised the order-1 folio\'s _deferred_list: words 2-3 of the next struct page hold that page\'s lru.prev and mapping.',
        'split_huge_page_to_list() finds that "list" non-empty and list_del() follows those words (NULL, or LIST_POISON2 = 0x122): the wild dereference; writing through them is the corruption. DESIGN.md\'s table named only the corruption.',
      ].join(' '),
    }),
    'never-order1': variant({
      id: 'never-order1',
      title: 'Ryan Roberts\' fix (2023-03-22): never order 1, order 0 without THP',
      description: 'The same faults get an order-0 folio and an order-2 folio, whose deferred list is inside the folio.',
      cases: cases('never-order1', calc_anonymous_folio_order),
      expected: [],
    }),
  },
};
