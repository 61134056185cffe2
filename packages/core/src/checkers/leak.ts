import type { Checker } from './checker.js';

/**
 * Page leak: at teardown, every page the allocator handed out must have been
 * given back. A page still allocated in the shadow is a leak, reported once
 * per allocation with the pages it still holds. Pages bad_page() took out of
 * circulation are left out on purpose (the kernel leaks them deliberately).
 */
export const leak: Checker = {
  name: 'leak',
  atEnd(k) {
    for (const { alloc, pages } of k.shadow.live()) {
      const leaked = pages.filter((p) => !k.isQuarantined(p));
      if (leaked.length === 0) continue;
      k.warn('page-leak', `${leaked.length} page(s) of the order-${alloc.order} allocation at pfn:${alloc.pfn.toString(16)} were never freed: ${leaked.map((p) => `pfn:${p.toString(16)}`).join(', ')}`, leaked[0]!);
    }
  },
};
