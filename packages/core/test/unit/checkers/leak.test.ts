import { describe, expect, it } from 'vitest';
import { createKernel } from '../../../src/kernel/kernel.js';
import { alloc, kinds } from '../kernel-helpers.js';

describe('the leak checker', () => {
  it('reports a page-leak for every allocation never freed', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 2);
    const q = alloc(k, 0);
    k.finalChecks();
    expect(kinds(k)).toEqual(['page-leak', 'page-leak']);
    const byPfn = new Map(k.violations.map((v) => [v.pfn, v.message]));
    expect(byPfn.get(p)).toMatch(/4 page\(s\) of the order-2 allocation at pfn:[0-9a-f]+ were never freed/);
    expect(byPfn.get(q)).toMatch(/1 page\(s\) of the order-0 allocation/);
  });

  it('reports only the pages a partial free left behind', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 2);
    k.run(k.get_page(p));
    k.run(k.__free_pages(p, 2)); // frees the tails; page 0 keeps the extra reference
    k.finalChecks();
    expect(kinds(k)).toEqual(['page-leak']);
    expect(k.violations[0]!.message).toBe(`1 page(s) of the order-2 allocation at pfn:${p.toString(16)} were never freed: pfn:${p.toString(16)}`);
  });

  it('names every leaked page of the allocation, and leaves out the pages bad_page() took', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 2);
    k.quarantine(p);
    k.quarantine(p + 2);
    k.finalChecks();
    expect(k.violations).toEqual([expect.objectContaining({ kind: 'page-leak', pfn: p + 1, message: `2 page(s) of the order-2 allocation at pfn:${p.toString(16)} were never freed: pfn:${(p + 1).toString(16)}, pfn:${(p + 3).toString(16)}` })]);
  });

  it('is silent for an allocation bad_page() took out whole, and for one freed', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 1);
    k.quarantine(p);
    k.quarantine(p + 1);
    const q = alloc(k, 0);
    k.run(k.__free_pages(q, 0));
    k.finalChecks();
    expect(k.violations).toEqual([]);
  });
});
