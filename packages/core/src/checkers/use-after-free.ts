import { describePfn } from '../kernel/context.js';
import type { Checker } from './checker.js';

/**
 * Use-after-free: a free page touched from outside the allocator. Three ways:
 * a store to its struct page (the allocator's own stores while it takes or
 * gives back the page do not count), a reference taken or dropped on it, or an
 * access to its contents (KASAN's report). Pages bad_page() took out of
 * circulation are not free pages in this sense.
 */
export const useAfterFree: Checker = {
  name: 'use-after-free',
  onWrite(k, pfn, fn) {
    if (!k.shadow.isAllocated(pfn) && !k.inAllocator() && k.shadow.everAllocated[pfn - k.m.startPfn] === 1 && !k.isQuarantined(pfn)) {
      k.warn('use-after-free', `${fn} writes the struct page of pfn:${pfn.toString(16)}, which is free`, pfn);
    }
  },
  onRef(k, pfn, fn) {
    if (!k.m.valid(pfn)) k.validPage(pfn, fn);
    if (!k.shadow.isAllocated(pfn) && !k.isQuarantined(pfn)) {
      k.warn('use-after-free', `${fn} on pfn:${pfn.toString(16)}, which is free`, pfn);
    }
  },
  onData(k, pfn, order, what) {
    for (let i = 0; i < 1 << order; i++) {
      const p = pfn + i;
      if (!k.m.valid(p)) k.bug('wild-deref', `${what}: pfn ${describePfn(p)} is outside the memmap`, -1);
      if (!k.shadow.isAllocated(p)) {
        k.warn('use-after-free', `BUG: KASAN: use-after-free in ${what}: page pfn:${p.toString(16)} is free`, p);
      }
    }
  },
};
