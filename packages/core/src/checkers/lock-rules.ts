import type { Checker } from './checker.js';

/**
 * Lock rules: a thread releases only a lock it holds (spinlocks by location,
 * bit locks of page->flags by a negative key; the kernel records the holder
 * when a lock is taken). A release by another thread, or of a lock nobody
 * holds, is a lock-violation. Deadlocks (every live thread blocked on a lock)
 * are found by the engine, which sees threads block.
 */
export const lockRules: Checker = {
  name: 'lock-rules',
  onUnlock(k, lock, call, pfn) {
    const owner = k.lockOwner.get(lock);
    if (owner === k.exec.current) return;
    const spin = lock >= 0;
    k.bug('lock-violation', `${call} by ${k.threadName()}, which does not hold it${spin && owner === undefined ? ' (it is not held)' : ''}`, pfn);
  },
};
