import { describe, expect, it } from 'vitest';
import { createKernel, Kernel } from '../../../src/kernel/kernel.js';
import { GFP_KERNEL } from '../../../src/kernel/gfp.js';
import { Execution } from '../../../src/engine/execution.js';
import { REFCOUNT } from '../../../src/machine/layout.js';

describe('Kernel.snapshot and reset', () => {
  it('put back the words, the shadow, page names, locks and symbols as they were', () => {
    const k = createKernel({ pages: 16 });
    const p = k.run(k.alloc_pages(GFP_KERNEL, 0))!;
    k.name(p, 'P0');
    const lock = k.spin_lock_init('my_lock');
    const snap = k.snapshot();
    // A run changes all of them.
    k.run(k.get_page(p));
    k.run(k.spin_lock(lock));
    k.name(p, 'renamed');
    k.object('later');
    const q = k.run(k.alloc_pages(GFP_KERNEL, 0))!;
    k.reset(new Execution({ name: 'next run', init: () => { throw new Error('not run'); } }), snap);
    expect(k.peek(p, REFCOUNT)).toBe(1);
    expect(k.shadow.isAllocated(q)).toBe(false);
    expect(k.describe(p)).toBe('P0');
    expect(k.lockOwner.size).toBe(0);
    expect(k.lockName(lock)).toBe('my_lock');
    expect(k.symbolAddr('later')).toBe(-1);
  });

  it('starts a new kernel from a snapshot, leaving the first one as it is', () => {
    const k = createKernel({ pages: 16 });
    const p = k.run(k.alloc_pages(GFP_KERNEL, 1))!;
    const k2 = new Kernel({ pages: 16 }, undefined, k.snapshot());
    k2.run(k2.__free_pages(p, 1));
    expect(k2.shadow.isAllocated(p)).toBe(false);
    expect(k.shadow.isAllocated(p)).toBe(true);
  });
});
