import { describe, expect, it } from 'vitest';
import { describeLocation } from '../../../src/kernel/describe-location.js';
import { Kernel } from '../../../src/kernel/kernel.js';
import { DATA, FLAGS, REFCOUNT } from '../../../src/machine/layout.js';

describe('describeLocation', () => {
  const k = new Kernel({ pages: 8 });
  const p = k.m.startPfn + 1;
  k.name(p, 'P0');

  it('names a struct page word by page and field', () => {
    expect(describeLocation(k, k.m.loc(p, REFCOUNT))).toEqual({ name: 'P0->_refcount', pfn: p, page: 'P0', field: '_refcount' });
    expect(describeLocation(k, k.m.loc(p + 1, FLAGS))).toEqual({ name: `pfn:${(p + 1).toString(16)}->flags`, pfn: p + 1, page: `pfn:${(p + 1).toString(16)}`, field: 'flags' });
  });

  it('names a page\'s contents', () => {
    expect(describeLocation(k, k.m.loc(p, DATA))).toEqual({ name: 'P0 contents', pfn: p, page: 'P0', field: 'data' });
  });

  it('names global words: locks and counters', () => {
    expect(describeLocation(k, k.zone.lock)).toEqual({ name: 'zone->lock' });
    expect(describeLocation(k, k.zone.nrFreePages)).toEqual({ name: 'NR_FREE_PAGES' });
    expect(describeLocation(k, k.zone.nrFree[1]!)).toEqual({ name: 'free_area[1].nr_free' });
  });
});
