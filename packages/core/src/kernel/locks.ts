import type { Kernel, KGen, MethodsOf } from './context.js';
import { RMW_OR } from '../engine/op.js';
import { FLAGS } from '../machine/layout.js';
import { PG_compound_lock, PG_locked } from './page-flags.js';

/**
 * Spinlocks and bit locks (include/linux/spinlock.h, include/linux/bit_spinlock.h,
 * include/linux/pagemap.h, v6.2). A spinlock_t is a global word; a bit lock is
 * a bit of a word (page->flags). Taking a held lock blocks the thread; every
 * thread blocked is a deadlock. Releasing a lock the thread does not hold is a
 * lock-violation (checkers/lock-rules.ts).
 */
export const locks = {
  /** DEFINE_SPINLOCK / spin_lock_init: a new spinlock_t; call it in setup. */
  spin_lock_init(this: Kernel, name: string): number {
    const loc = this.m.allocGlobal(name);
    this.lockNames.set(loc, name);
    return loc;
  },
  /** spin_lock(). */
  *spin_lock(this: Kernel, lock: number): KGen<void> {
    yield this.m.glock(lock, `spin_lock(&${this.lockName(lock)})`);
    this.lockOwner.set(lock, this.exec.current);
  },
  /** spin_trylock(): true if taken. */
  *spin_trylock(this: Kernel, lock: number): KGen<boolean> {
    const old: number = yield this.m.grmw(lock, RMW_OR, 1, 0, `spin_trylock(&${this.lockName(lock)})`, (v) => String(v === 0));
    if (old !== 0) return false;
    this.lockOwner.set(lock, this.exec.current);
    return true;
  },
  /** spin_unlock(). */
  *spin_unlock(this: Kernel, lock: number): KGen<void> {
    this.checkUnlock(lock, `spin_unlock(&${this.lockName(lock)})`, -1);
    this.lockOwner.delete(lock);
    yield this.m.gunlock(lock, `spin_unlock(&${this.lockName(lock)})`);
  },

  /**
   * cpu_relax() (arch/x86/include/asm/vdso/processor.h, v6.2): `rep; nop`, the
   * pause of a busy-wait loop. A step that touches no word: the scheduler may
   * run another thread there, as it may at the spin's reads. A spin the other
   * threads never end is reported as a `step-limit`.
   * @example
   * ```ts
   * *waiter(k, s) {
   *   // spin until the other thread sets the flag
   *   while ((yield k.readShared(s.flag)) === 0) yield* k.cpu_relax();
   * }
   * ```
   * @remarks Since 0.1.0
   */
  *cpu_relax(this: Kernel): KGen<void> {
    yield this.m.yieldOp('cpu_relax');
  },

  /** bit_spin_lock(bitnum, &page->flags). */
  *bit_spin_lock(this: Kernel, bitnum: number, page: number): KGen<void> {
    yield* takeBitLock(this, page, bitnum, 'bit_spin_lock');
  },
  /** bit_spin_trylock(bitnum, &page->flags). */
  *bit_spin_trylock(this: Kernel, bitnum: number, page: number): KGen<boolean> {
    const taken = !(yield* this.test_and_set_page_bit(page, bitnum, 'bit_spin_trylock', took(bitnum)));
    if (taken) this.lockOwner.set(bitKey(this, page, bitnum), this.exec.current);
    return taken;
  },
  /** bit_spin_unlock(bitnum, &page->flags). */
  *bit_spin_unlock(this: Kernel, bitnum: number, page: number): KGen<void> {
    yield* releaseBitLock(this, page, bitnum, 'bit_spin_unlock', `bit_spin_unlock(${bitnum}, pfn:${page.toString(16)})`);
  },

  /** compound_lock() (include/linux/mm.h, v3.12): bit_spin_lock(PG_compound_lock, &page->flags). */
  *compound_lock(this: Kernel, page: number): KGen<void> {
    yield* takeBitLock(this, page, PG_compound_lock, 'compound_lock');
    // The lock bit is a store to page->flags: on a free page, a use-after-free.
    this.checkLive(page, 'compound_lock');
  },
  /** compound_unlock() (include/linux/mm.h, v3.12). */
  *compound_unlock(this: Kernel, page: number): KGen<void> {
    yield* releaseBitLock(this, page, PG_compound_lock, 'compound_unlock', `compound_unlock(pfn:${page.toString(16)})`);
    this.checkLive(page, 'compound_unlock');
  },

  /** trylock_page() / folio_trylock() (include/linux/pagemap.h, v6.2): !test_and_set_bit_lock(PG_locked). */
  *trylock_page(this: Kernel, page: number): KGen<boolean> {
    return !(yield* this.test_and_set_page_bit(page, PG_locked, 'trylock_page', took(PG_locked)));
  },
  *folio_trylock(this: Kernel, folio: number): KGen<boolean> {
    return !(yield* this.test_and_set_page_bit(folio, PG_locked, 'folio_trylock', took(PG_locked)));
  },
  /** lock_page() / folio_lock(): sleeps until PG_locked is clear, then sets it. */
  *lock_page(this: Kernel, page: number): KGen<void> {
    yield this.m.lock(this.validPage(page, 'lock_page'), FLAGS, 1 << PG_locked, 'lock_page');
  },
  *folio_lock(this: Kernel, folio: number): KGen<void> {
    yield this.m.lock(this.validPage(folio, 'folio_lock'), FLAGS, 1 << PG_locked, 'folio_lock');
  },
  /** unlock_page() / folio_unlock(): VM_BUG_ON_FOLIO(!folio_test_locked(folio)); clear_bit_unlock(PG_locked). */
  *unlock_page(this: Kernel, page: number): KGen<void> {
    if (!(yield* this.PageLocked(page))) this.bug('lock-violation', `unlock_page(pfn:${page.toString(16)}): the page is not locked (VM_BUG_ON_PAGE(!PageLocked(page)))`, page);
    yield this.m.unlock(page, FLAGS, 1 << PG_locked, 'unlock_page');
  },
  *folio_unlock(this: Kernel, folio: number): KGen<void> {
    if (!(yield* this.PageLocked(folio))) this.bug('lock-violation', `folio_unlock(pfn:${folio.toString(16)}): the folio is not locked (VM_BUG_ON_FOLIO(!folio_test_locked(folio)))`, folio);
    yield this.m.unlock(folio, FLAGS, 1 << PG_locked, 'folio_unlock');
  },
};

/** A trylock's diagram value: true when it took the lock (the bit was clear). */
const took = (bit: number) => (old: number): string => String((old & (1 << bit)) === 0);

/** Spins on a bit of page->flags, then records the holder. */
function* takeBitLock(k: Kernel, page: number, bit: number, fn: string): KGen<void> {
  yield k.m.lock(k.validPage(page, fn), FLAGS, 1 << bit, fn);
  k.lockOwner.set(bitKey(k, page, bit), k.exec.current);
}

/** Releases a bit lock the running thread must hold; `call` names the call in the lock-violation. */
function* releaseBitLock(k: Kernel, page: number, bit: number, fn: string, call: string): KGen<void> {
  const key = bitKey(k, page, bit);
  k.checkUnlock(key, call, page);
  k.lockOwner.delete(key);
  yield k.m.unlock(page, FLAGS, 1 << bit, fn);
}

function bitKey(k: Kernel, page: number, bit: number): number {
  return -(k.m.loc(page, FLAGS) * 32 + bit) - 1;
}

declare module './context.js' {
  interface KernelFunctions extends MethodsOf<typeof locks> {}
}
