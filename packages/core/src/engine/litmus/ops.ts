/**
 * The Linux-kernel primitives of litmus tests as engine ops, named as in the
 * kernel (include/asm-generic/barrier.h, include/linux/atomic/, and
 * tools/memory-model/linux-kernel.def for their LKMM meaning). A location is a
 * word index; a thread yields these and gets back the value read (for RMWs the
 * old value; the `_return` forms compute the new one).
 * @remarks Since 0.1.0
 */
import {
  FENCE, LOAD, LOCK, op, RMW, RMW_ADD, RMW_ADD_UNLESS, RMW_CMPXCHG, RMW_XCHG, STORE, UNLOCK,
  type AccessOrder, type FenceKind, type Op,
} from '../op.js';

const show = (v: number): string => String(v);
const access = (kind: typeof LOAD | typeof STORE, loc: number, a: number, order: AccessOrder, fn: string): Op =>
  op(kind, { loc, a, order, fn, arg: loc, locArg: true, show: kind === LOAD ? show : undefined });
const fence = (kind: FenceKind, fn: string): Op => op(FENCE, { fence: kind, fn });
const rmwOp = (loc: number, rmw: typeof RMW_ADD | typeof RMW_XCHG | typeof RMW_CMPXCHG | typeof RMW_ADD_UNLESS, a: number, b: number, order: AccessOrder, fn: string): Op =>
  op(RMW, { loc, rmw, a, b, order, fn, arg: loc, locArg: true, show });

// Marked accesses.
export const READ_ONCE = (x: number): Op => access(LOAD, x, 0, 'once', 'READ_ONCE');
export const WRITE_ONCE = (x: number, v: number): Op => access(STORE, x, v, 'once', 'WRITE_ONCE');
export const smp_load_acquire = (x: number): Op => access(LOAD, x, 0, 'acquire', 'smp_load_acquire');
export const smp_store_release = (x: number, v: number): Op => access(STORE, x, v, 'release', 'smp_store_release');
/** WRITE_ONCE then smp_mb(). */
export const smp_store_mb = (x: number, v: number): Op => access(STORE, x, v, 'mb', 'smp_store_mb');
export const atomic_read = (x: number): Op => access(LOAD, x, 0, 'once', 'atomic_read');
export const atomic_set = (x: number, v: number): Op => access(STORE, x, v, 'once', 'atomic_set');
export const atomic_read_acquire = (x: number): Op => access(LOAD, x, 0, 'acquire', 'atomic_read_acquire');
export const atomic_set_release = (x: number, v: number): Op => access(STORE, x, v, 'release', 'atomic_set_release');

// Fences.
export const smp_mb = (): Op => fence('mb', 'smp_mb');
export const smp_rmb = (): Op => fence('rmb', 'smp_rmb');
export const smp_wmb = (): Op => fence('wmb', 'smp_wmb');
export const smp_mb__before_atomic = (): Op => fence('before-atomic', 'smp_mb__before_atomic');
export const smp_mb__after_atomic = (): Op => fence('after-atomic', 'smp_mb__after_atomic');
export const smp_mb__after_spinlock = (): Op => fence('after-spinlock', 'smp_mb__after_spinlock');
export const smp_mb__after_unlock_lock = (): Op => fence('after-unlock-lock', 'smp_mb__after_unlock_lock');

// Exchange and compare-exchange: fully ordered unless suffixed; a failed cmpxchg orders nothing.
export const xchg = (x: number, v: number): Op => rmwOp(x, RMW_XCHG, v, 0, 'mb', 'xchg');
export const xchg_relaxed = (x: number, v: number): Op => rmwOp(x, RMW_XCHG, v, 0, 'once', 'xchg_relaxed');
export const xchg_acquire = (x: number, v: number): Op => rmwOp(x, RMW_XCHG, v, 0, 'acquire', 'xchg_acquire');
export const xchg_release = (x: number, v: number): Op => rmwOp(x, RMW_XCHG, v, 0, 'release', 'xchg_release');
export const cmpxchg = (x: number, old: number, v: number): Op => rmwOp(x, RMW_CMPXCHG, old, v, 'mb', 'cmpxchg');
export const cmpxchg_relaxed = (x: number, old: number, v: number): Op => rmwOp(x, RMW_CMPXCHG, old, v, 'once', 'cmpxchg_relaxed');
export const cmpxchg_acquire = (x: number, old: number, v: number): Op => rmwOp(x, RMW_CMPXCHG, old, v, 'acquire', 'cmpxchg_acquire');
export const cmpxchg_release = (x: number, old: number, v: number): Op => rmwOp(x, RMW_CMPXCHG, old, v, 'release', 'cmpxchg_release');

// Atomics: the non-value-returning ones are unordered; value-returning ones are fully ordered unless suffixed.
export const atomic_add = (i: number, v: number): Op => rmwOp(v, RMW_ADD, i, 0, 'noreturn', 'atomic_add');
export const atomic_inc = (v: number): Op => rmwOp(v, RMW_ADD, 1, 0, 'noreturn', 'atomic_inc');
export const atomic_dec = (v: number): Op => rmwOp(v, RMW_ADD, -1, 0, 'noreturn', 'atomic_dec');
/** Every RMW op yields the old value: for the `_return` forms the kernel's result is `old + i`. */
export const atomic_fetch_add = (i: number, v: number): Op => rmwOp(v, RMW_ADD, i, 0, 'mb', 'atomic_fetch_add');
export const atomic_fetch_add_relaxed = (i: number, v: number): Op => rmwOp(v, RMW_ADD, i, 0, 'once', 'atomic_fetch_add_relaxed');
export const atomic_fetch_add_acquire = (i: number, v: number): Op => rmwOp(v, RMW_ADD, i, 0, 'acquire', 'atomic_fetch_add_acquire');
export const atomic_fetch_add_release = (i: number, v: number): Op => rmwOp(v, RMW_ADD, i, 0, 'release', 'atomic_fetch_add_release');
export const atomic_add_return = (i: number, v: number): Op => rmwOp(v, RMW_ADD, i, 0, 'mb', 'atomic_add_return');
export const atomic_inc_return = (v: number): Op => rmwOp(v, RMW_ADD, 1, 0, 'mb', 'atomic_inc_return');
export const atomic_add_return_relaxed = (i: number, v: number): Op => rmwOp(v, RMW_ADD, i, 0, 'once', 'atomic_add_return_relaxed');
export const atomic_add_return_acquire = (i: number, v: number): Op => rmwOp(v, RMW_ADD, i, 0, 'acquire', 'atomic_add_return_acquire');
export const atomic_add_return_release = (i: number, v: number): Op => rmwOp(v, RMW_ADD, i, 0, 'release', 'atomic_add_return_release');
export const atomic_xchg = (v: number, i: number): Op => rmwOp(v, RMW_XCHG, i, 0, 'mb', 'atomic_xchg');
export const atomic_cmpxchg = (v: number, old: number, i: number): Op => rmwOp(v, RMW_CMPXCHG, old, i, 'mb', 'atomic_cmpxchg');
/** Adds `a` unless the counter is `u`; fully ordered when it adds, unordered when it does not. */
export const atomic_add_unless = (v: number, a: number, u: number): Op => rmwOp(v, RMW_ADD_UNLESS, a, u, 'mb', 'atomic_add_unless');

// Spinlocks.
export const spin_lock = (l: number): Op => op(LOCK, { loc: l, a: 1, fn: 'spin_lock', arg: l });
export const spin_unlock = (l: number): Op => op(UNLOCK, { loc: l, a: 1, fn: 'spin_unlock', arg: l });
