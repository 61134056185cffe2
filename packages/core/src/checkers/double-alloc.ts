import type { Checker } from './checker.js';

/**
 * A page handed out twice: the allocator gave out a block with a page that is
 * still part of a live allocation (`clash`, found by the shadow as it recorded
 * the allocation). The buddy allocator's state is corrupt.
 */
export const doubleAlloc: Checker = {
  name: 'double-alloc',
  onAlloc(k, _pfn, _order, clash) {
    if (clash >= 0) k.bug('buddy-corruption', `the allocator handed out pfn:${clash.toString(16)}, which is still allocated`, clash);
  },
};
