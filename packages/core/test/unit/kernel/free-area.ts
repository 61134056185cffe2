import type { Kernel } from '../../../src/kernel/kernel.js';
import { addrToPfn } from '../../../src/machine/addresses.js';
import { LRU_NEXT } from '../../../src/machine/layout.js';

/** A free block as the free lists hold it. */
export interface FreeBlock {
  readonly pfn: number;
  readonly order: number;
}

/** Walks free_area[order].free_list for every order (read directly, not as steps). */
export function freeBlocks(k: Kernel): FreeBlock[] {
  const out: FreeBlock[] = [];
  for (let order = 0; order < k.MAX_ORDER; order++) {
    const head = k.zone.freeListAddr[order]!;
    let addr = k.m.words[k.zone.freeList[order]!]!;
    for (let n = 0; addr !== head; n++) {
      if (n > k.m.nrPages) throw new Error(`free_area[${order}] loops`);
      const pfn = addrToPfn(addr - 8);
      out.push({ pfn, order });
      addr = k.m.peek(pfn, LRU_NEXT);
    }
  }
  return out.sort((a, b) => a.pfn - b.pfn);
}

/** free_area[order].nr_free. */
export function nrFree(k: Kernel, order: number): number {
  return k.m.words[k.zone.nrFree[order]!]!;
}

/** nr_free of every order, lowest first. */
export function nrFreeByOrder(k: Kernel): number[] {
  return k.zone.nrFree.map((loc) => k.m.words[loc]!);
}

/**
 * The fewest naturally aligned blocks (each below maxOrder) that cover
 * [start, start + n): what a fully free, fully merged zone holds.
 */
export function maximalBlocks(start: number, n: number, maxOrder: number): FreeBlock[] {
  const out: FreeBlock[] = [];
  let pfn = start;
  while (pfn < start + n) {
    let order = maxOrder - 1;
    while (order > 0 && ((pfn & ((1 << order) - 1)) !== 0 || pfn + (1 << order) > start + n)) order--;
    out.push({ pfn, order });
    pfn += 1 << order;
  }
  return out;
}
