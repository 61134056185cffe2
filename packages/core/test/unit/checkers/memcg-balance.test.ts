import { describe, expect, it } from 'vitest';
import { createKernel } from '../../../src/kernel/kernel.js';
import { GFP_KERNEL_ACCOUNT } from '../../../src/kernel/gfp.js';

describe('the memcg-balance checker', () => {
  it('accepts usage equal to the charged pages still allocated', () => {
    const k = createKernel({ pages: 16 });
    const p = k.run(k.alloc_pages(GFP_KERNEL_ACCOUNT, 1))!;
    k.finalChecks();
    expect(k.violations.map((v) => v.kind)).toEqual(['page-leak']);
    k.run(k.__free_pages(p, 1));
    expect(k.m.words[k.memcg!.usage]).toBe(0);
  });

  it('reports usage above the charged pages as memcg-leak', () => {
    const k = createKernel({ pages: 16 });
    k.m.words[k.memcg!.usage] = 3;
    k.finalChecks();
    expect(k.violations).toEqual([expect.objectContaining({ kind: 'memcg-leak', message: 'test_memcg memory.usage is 3 page(s) but only 0 charged page(s) are still allocated: 3 page(s) of charge leaked' })]);
  });

  it('reports usage below the charged pages as memcg-underflow', () => {
    const k = createKernel({ pages: 16 });
    const p = k.run(k.alloc_pages(GFP_KERNEL_ACCOUNT, 0))!;
    k.m.words[k.memcg!.usage] = 0;
    k.finalChecks();
    expect(k.violations.map((v) => v.kind)).toEqual(['page-leak', 'memcg-underflow']);
    expect(k.violations[1]!.message).toBe('test_memcg memory.usage is 0 page(s) but 1 charged page(s) are still allocated');
    expect(k.shadow.isAllocated(p)).toBe(true);
  });

  it('has nothing to check without memcg', () => {
    const k = createKernel({ pages: 16, memcg: false });
    k.finalChecks();
    expect(k.violations).toEqual([]);
  });

  it('counts the leaked charge over the pages still charged, and reports it once per run', () => {
    const k = createKernel({ pages: 16 });
    k.run(k.alloc_pages(GFP_KERNEL_ACCOUNT, 0));
    k.m.words[k.memcg!.usage] = 4;
    k.finalChecks();
    k.finalChecks();
    expect(k.violations.filter((v) => v.kind === 'memcg-leak').map((v) => v.message)).toEqual([
      'test_memcg memory.usage is 4 page(s) but only 1 charged page(s) are still allocated: 3 page(s) of charge leaked',
    ]);
  });

  it('reports an underflow once per run', () => {
    const k = createKernel({ pages: 16 });
    k.run(k.alloc_pages(GFP_KERNEL_ACCOUNT, 1));
    k.m.words[k.memcg!.usage] = 1;
    k.finalChecks();
    k.finalChecks();
    expect(k.violations.filter((v) => v.kind === 'memcg-underflow').map((v) => v.message)).toEqual(['test_memcg memory.usage is 1 page(s) but 2 charged page(s) are still allocated']);
  });
});
