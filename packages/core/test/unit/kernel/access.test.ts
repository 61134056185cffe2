import { describe, expect, it } from 'vitest';
import { createKernel, ViolationError } from '../../../src/kernel/kernel.js';
import { GFP_KERNEL } from '../../../src/kernel/gfp.js';
import { FLAGS, REFCOUNT } from '../../../src/machine/layout.js';
import { LOAD, STORE } from '../../../src/engine/op.js';

describe('checked word access', () => {
  it('builds the machine op for a struct page word', () => {
    const k = createKernel({ pages: 8 });
    const p = k.pfn(0);
    const ld = k.ld(p, REFCOUNT, 'page_ref_count');
    expect(ld).toMatchObject({ kind: LOAD, loc: k.m.loc(p, REFCOUNT), fn: 'page_ref_count' });
    expect(k.run(k.alloc_pages(GFP_KERNEL, 0))).toBe(p);
    expect(k.st(p, FLAGS, 1, 'flags = 1')).toMatchObject({ kind: STORE, a: 1 });
    expect(k.violations).toEqual([]);
  });

  it('reports a struct page pointer outside the memmap as wild-deref and stops', () => {
    const k = createKernel({ pages: 8 });
    expect(() => k.run((function* () { yield k.ld(1000, FLAGS, 'PageHead'); })())).toThrow(ViolationError);
    expect(k.violations[0]!.kind).toBe('wild-deref');
    expect(k.violations[0]!.message).toMatch(/^PageHead: struct page pointer pfn:3e8 is outside the memmap \[0x8, 0x10\)$/);
  });

  it('shows a store to a free page\'s struct page to the checkers (a use-after-free)', () => {
    const k = createKernel({ pages: 8 });
    const p = k.run(k.alloc_pages(GFP_KERNEL, 0))!;
    k.run(k.__free_pages(p, 0));
    k.st(p, FLAGS, 1, 'SetPageDirty');
    expect(k.violations.map((v) => v.kind)).toEqual(['use-after-free']);
  });
});
