import type { Kernel } from '../kernel/context.js';
import { isBuddyType } from '../kernel/page-flags-ops.js';
import { LRU_NEXT, MAPCOUNT, PRIVATE, REFCOUNT } from '../machine/layout.js';
import { addrToPfn } from '../machine/addresses.js';
import type { Checker } from './checker.js';

/**
 * Walks every free list (the kernel words) and checks it against the shadow:
 * each entry a PageBuddy head of the right order, aligned, in the zone, free in
 * the shadow, counted in nr_free, no page in two blocks, and every free page in a block.
 * @example
 * ```ts
 * const k = createKernel({ pages: 16 });
 * checkFreeLists(k); // undefined: every free list is consistent
 * ```
 * @remarks Since 0.1.0
 */
export function checkFreeLists(k: Kernel): { message: string; pfn: number } | undefined {
  const m = k.m;
  const n = m.nrPages;
  const covered = new Uint8Array(n);
  let total = 0;
  for (let order = 0; order < k.MAX_ORDER; order++) {
    const headAddr = k.zone.freeListAddr[order]!;
    let addr = m.words[k.zone.freeList[order]!]!;
    let count = 0;
    while (addr !== headAddr) {
      const pfn = addrToPfn(addr - 8);
      if (pfn < 0 || !m.valid(pfn)) return { message: `free_area[${order}] holds 0x${(addr >>> 0).toString(16)}, not a struct page`, pfn: -1 };
      if (!isBuddyType(m.peek(pfn, MAPCOUNT))) return { message: `pfn:${pfn.toString(16)} is on free_area[${order}] without PageBuddy`, pfn };
      if (m.peek(pfn, PRIVATE) !== order) return { message: `pfn:${pfn.toString(16)} is on free_area[${order}] with buddy order ${m.peek(pfn, PRIVATE)}`, pfn };
      if ((pfn & ((1 << order) - 1)) !== 0) return { message: `pfn:${pfn.toString(16)} on free_area[${order}] is not aligned`, pfn };
      if (pfn + (1 << order) > m.startPfn + n) return { message: `block pfn:${pfn.toString(16)} order ${order} runs past the zone`, pfn };
      for (let i = 0; i < 1 << order; i++) {
        const idx = pfn - m.startPfn + i;
        if (covered[idx] === 1) return { message: `pfn:${(pfn + i).toString(16)} is in two free blocks`, pfn: pfn + i };
        covered[idx] = 1;
        if (k.shadow.owner[idx] !== 0) return { message: `pfn:${(pfn + i).toString(16)} is on a free list but allocated`, pfn: pfn + i };
        if (m.peek(pfn + i, REFCOUNT) !== 0) return { message: `free pfn:${(pfn + i).toString(16)} has _refcount ${m.peek(pfn + i, REFCOUNT)}`, pfn: pfn + i };
      }
      count++;
      total += 1 << order;
      if (count > n) return { message: `free_area[${order}] loops`, pfn: -1 };
      addr = m.peek(pfn, LRU_NEXT);
    }
    const nr = m.words[k.zone.nrFree[order]!]!;
    if (nr !== count) return { message: `free_area[${order}].nr_free is ${nr} but the list holds ${count} block(s)`, pfn: -1 };
  }
  if (m.words[k.zone.nrFreePages] !== total) return { message: `NR_FREE_PAGES is ${m.words[k.zone.nrFreePages]} but the free lists hold ${total} page(s)`, pfn: -1 };
  // Pages on the per-cpu lists are free too (not PageBuddy, not in NR_FREE_PAGES).
  const pcpProblem = checkPcpLists(k, covered);
  if (pcpProblem !== undefined) return pcpProblem;
  for (let idx = 0; idx < n; idx++) {
    const pfn = m.startPfn + idx;
    if (covered[idx] === 0 && k.shadow.owner[idx] === 0 && !k.isQuarantined(pfn)) {
      return { message: `pfn:${pfn.toString(16)} is neither allocated nor on a free list: lost by the allocator`, pfn };
    }
  }
  return undefined;
}

/** Free lists: at teardown, the buddy free lists must agree with the shadow (see checkFreeLists). */
export const freeLists: Checker = {
  name: 'free-lists',
  atEnd(k) {
    const problem = checkFreeLists(k);
    if (problem !== undefined) k.warn('buddy-corruption', problem.message, problem.pfn);
  },
};

/**
 * Walks each CPU's pcp list for the free-list checker: every entry a struct
 * page that is free in the shadow, not PageBuddy, with _refcount 0, in no other
 * list, and the list's length equal to pcp->count. Marks the pages in `covered`.
 * @internal
 */
function checkPcpLists(k: Kernel, covered: Uint8Array): { message: string; pfn: number } | undefined {
  const m = k.m;
  for (const pcp of k.percpu.cpus) {
    let addr = m.words[pcp.list]!;
    let count = 0;
    while (addr !== pcp.listAddr) {
      const pfn = addrToPfn(addr - 8);
      if (pfn < 0 || !m.valid(pfn)) return { message: `cpu${pcp.cpu}'s pcp list holds 0x${(addr >>> 0).toString(16)}, not a struct page`, pfn: -1 };
      const idx = pfn - m.startPfn;
      if (covered[idx] === 1) return { message: `pfn:${pfn.toString(16)} is on cpu${pcp.cpu}'s pcp list and on another free list`, pfn };
      covered[idx] = 1;
      if (isBuddyType(m.peek(pfn, MAPCOUNT))) return { message: `pfn:${pfn.toString(16)} is on cpu${pcp.cpu}'s pcp list with PageBuddy set`, pfn };
      if (k.shadow.owner[idx] !== 0) return { message: `pfn:${pfn.toString(16)} is on cpu${pcp.cpu}'s pcp list but allocated`, pfn };
      if (m.peek(pfn, REFCOUNT) !== 0) return { message: `pfn:${pfn.toString(16)} on cpu${pcp.cpu}'s pcp list has _refcount ${m.peek(pfn, REFCOUNT)}`, pfn };
      count++;
      if (count > m.nrPages) return { message: `cpu${pcp.cpu}'s pcp list loops`, pfn: -1 };
      addr = m.peek(pfn, LRU_NEXT);
    }
    const nr = m.words[pcp.count]!;
    if (nr !== count) return { message: `cpu${pcp.cpu}'s pcp->count is ${nr} but its list holds ${count} page(s)`, pfn: -1 };
  }
  return undefined;
}
