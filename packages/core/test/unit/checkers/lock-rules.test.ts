import { describe, expect, it } from 'vitest';
import { createKernel, ViolationError } from '../../../src/kernel/kernel.js';
import { GFP_KERNEL } from '../../../src/kernel/gfp.js';

describe('the lock-rules checker', () => {
  it('lets the holder release its spinlock', () => {
    const k = createKernel({ pages: 8 });
    const lock = k.spin_lock_init('test_lock');
    k.run(k.spin_lock(lock));
    k.run(k.spin_unlock(lock));
    expect(k.violations).toEqual([]);
  });

  it('reports a spin_unlock of a lock nobody holds', () => {
    const k = createKernel({ pages: 8 });
    const lock = k.spin_lock_init('test_lock');
    expect(() => k.run(k.spin_unlock(lock))).toThrow(ViolationError);
    expect(k.violations[0]).toMatchObject({ kind: 'lock-violation', message: 'spin_unlock(&test_lock) by main, which does not hold it (it is not held)' });
    expect(k.violations[0]!.pfn).toBeUndefined();
  });

  it('reports a bit_spin_unlock by a thread that does not hold the bit lock, naming the page', () => {
    const k = createKernel({ pages: 8 });
    const p = k.run(k.alloc_pages(GFP_KERNEL, 0))!;
    expect(() => k.run(k.bit_spin_unlock(3, p))).toThrow(ViolationError);
    expect(k.violations[0]).toMatchObject({ kind: 'lock-violation', message: `bit_spin_unlock(3, pfn:${p.toString(16)}) by main, which does not hold it`, pfn: p });
  });

  it('reports a spin_unlock by a thread other than the holder, without saying the lock is free', () => {
    const k = createKernel({ pages: 8 });
    const lock = k.spin_lock_init('test_lock');
    k.lockOwner.set(lock, 7);
    expect(() => k.run(k.spin_unlock(lock))).toThrow(ViolationError);
    expect(k.violations[0]).toMatchObject({ kind: 'lock-violation', message: 'spin_unlock(&test_lock) by main, which does not hold it' });
  });
});
