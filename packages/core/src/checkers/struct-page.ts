import type { Checker } from './checker.js';

/**
 * Struct page corruption: code that reaches page[i] of a folio (a compound
 * page's tail, its deferred-list words) must stay inside the folio's own
 * allocation. A page[i] in a free page or in another allocation means the
 * code wrote into a struct page it does not own.
 */
export const structPage: Checker = {
  name: 'struct-page',
  onFolioPage(k, f, i, what) {
    const own = k.shadow.allocationOf(f);
    const target = f + i;
    const other = k.m.valid(target) ? k.shadow.allocationOf(target) : undefined;
    if (own === undefined || other !== own) {
      const whose = !k.m.valid(target) ? 'outside the memmap' : other === undefined ? 'a free page' : `another allocation (pfn:${other.pfn.toString(16)} order ${other.order})`;
      k.warn('struct-page-corruption', `${what} is in page[${i}] (pfn:${target.toString(16)}), ${whose}, not in the folio at pfn:${f.toString(16)}`, k.m.valid(target) ? target : f);
    }
  },
};
