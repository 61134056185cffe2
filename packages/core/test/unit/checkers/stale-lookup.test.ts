import { describe, expect, it } from 'vitest';
import { createKernel, type Kernel } from '../../../src/kernel/kernel.js';
import { alloc } from '../kernel-helpers.js';

// The lookup's two points, as xas_load/xas_reload ('found') and find_get_page's return ('return') call them.
const found = (k: Kernel, pfn: number): void => k.checkLookup('found', pfn, 'xas_load');
const returns = (k: Kernel, pfn: number): void => k.checkLookup('return', pfn, 'find_get_page(m, 0)');
/** Frees the order-0 page p and allocates it again (the zone's lowest free page): a new allocation of the same page. */
const reuse = (k: Kernel, p: number): void => {
  k.run(k.__free_pages(p, 0));
  expect(alloc(k, 0)).toBe(p);
};

describe('the stale-lookup checker', () => {
  it('is silent when the lookup returns the allocation it found', () => {
    const k = createKernel({ pages: 16, pcp: false });
    const p = alloc(k, 0);
    found(k, p);
    returns(k, p);
    expect(k.violations).toEqual([]);
  });

  it('reports a page freed and allocated again between the lookup and the return, with both allocations', () => {
    const k = createKernel({ pages: 16, pcp: false });
    const p = alloc(k, 0);
    const before = k.shadow.allocationOf(p)!.id;
    found(k, p);
    reuse(k, p);
    const now = k.shadow.allocationOf(p)!.id;
    returns(k, p);
    expect(k.violations).toEqual([
      expect.objectContaining({
        kind: 'stale-lookup',
        pfn: p,
        message: `find_get_page(m, 0) returns pfn:${p.toString(16)}, which was allocation #${before} when the xarray showed it and is allocation #${now} now: freed and reused between the lookup and the pin, and nothing re-checked the slot`,
      }),
    ]);
  });

  it('names a page that was free when found, and one that is free at the return', () => {
    const k = createKernel({ pages: 16, pcp: false });
    const p = k.m.startPfn;
    found(k, p);
    alloc(k, 0);
    returns(k, p);
    expect(k.violations.map((v) => v.message)).toEqual([
      `find_get_page(m, 0) returns pfn:${p.toString(16)}, which was a free page when the xarray showed it and is allocation #${k.shadow.allocationOf(p)!.id} now: freed and reused between the lookup and the pin, and nothing re-checked the slot`,
    ]);
    const k2 = createKernel({ pages: 16, pcp: false });
    const q = alloc(k2, 0);
    const id = k2.shadow.allocationOf(q)!.id;
    found(k2, q);
    k2.run(k2.__free_pages(q, 0));
    returns(k2, q);
    expect(k2.violations.map((v) => v.message)).toEqual([
      `find_get_page(m, 0) returns pfn:${q.toString(16)}, which was allocation #${id} when the xarray showed it and is free now: freed and reused between the lookup and the pin, and nothing re-checked the slot`,
    ]);
  });

  it('forgets what a lookup found when the slot shows no page, or once it returned', () => {
    const k = createKernel({ pages: 16, pcp: false });
    const p = alloc(k, 0);
    found(k, p);
    found(k, -1);
    reuse(k, p);
    returns(k, p);
    found(k, p);
    returns(k, p);
    reuse(k, p);
    returns(k, p);
    expect(k.violations).toEqual([]);
  });

  it('is silent when the lookup returns another page than the one it found', () => {
    const k = createKernel({ pages: 16, pcp: false });
    const p = alloc(k, 0);
    const q = alloc(k, 0);
    found(k, p);
    reuse(k, p);
    returns(k, q);
    expect(k.violations).toEqual([]);
  });
});
