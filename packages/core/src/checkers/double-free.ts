import type { Checker } from './checker.js';

/**
 * Double free: at the start of a free, every page of the block must be
 * allocated. The pages count as free from there on, so a second free that
 * starts while the first is still in free_pages_prepare() is a double free
 * too. A free of a page that was never allocated is reported the same way.
 */
export const doubleFree: Checker = {
  name: 'double-free',
  onFree(k, pfn, order) {
    const bad = k.shadow.checkFree(pfn, order);
    if (bad === undefined) return;
    const msg = bad.ever
      ? `pfn:${bad.pfn.toString(16)} freed again (free order ${order} of pfn:${pfn.toString(16)}); it is already free`
      : `free order ${order} of pfn:${pfn.toString(16)} frees pfn:${bad.pfn.toString(16)}, which was never allocated`;
    k.bug('double-free', msg, bad.pfn);
  },
};
