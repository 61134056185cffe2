/**
 * The Linux-kernel primitives of litmus tests as engine ops, named as in the
 * kernel (include/asm-generic/barrier.h, include/linux/atomic/, and
 * tools/memory-model/linux-kernel.def for their LKMM meaning). A location is a
 * word index; a thread yields these and gets back the value read (for RMWs the
 * old value; the `_return` forms compute the new one).
 *
 * Locations and values may be `Val`s (values.ts): a location that came from a
 * read gives the op an address dependency on it, a stored value a data
 * dependency. A pointer is a location's word index (`init: { y: 'x' }`).
 * @remarks Since 0.1.0
 */
import {
  FENCE, LOAD, LOCK, op, RMW, RMW_ADD, RMW_ADD_UNLESS, RMW_CMPXCHG, RMW_XCHG, STORE, UNLOCK,
  type AccessOrder, type FenceKind, type Op,
} from '../op.js';
import { depsOf, num, type Value } from './values.js';

const show = (v: number): string => String(v);
const access = (kind: typeof LOAD | typeof STORE, x: Value, v: Value, order: AccessOrder, fn: string): Op =>
  op(kind, { loc: num(x), a: num(v), order, fn, arg: num(x), show: kind === LOAD ? show : undefined, deps: depsOf(x, v) });
const fence = (kind: FenceKind, fn: string): Op => op(FENCE, { fence: kind, fn });
const rmwOp = (x: Value, rmw: typeof RMW_ADD | typeof RMW_XCHG | typeof RMW_CMPXCHG | typeof RMW_ADD_UNLESS, a: Value, b: Value, order: AccessOrder, fn: string): Op =>
  op(RMW, { loc: num(x), rmw, a: num(a), b: num(b), order, fn, arg: num(x), show, deps: depsOf(x, a, b) });

// Marked accesses.
export const READ_ONCE = (x: Value): Op => access(LOAD, x, 0, 'once', 'READ_ONCE');
export const WRITE_ONCE = (x: Value, v: Value): Op => access(STORE, x, v, 'once', 'WRITE_ONCE');
export const smp_load_acquire = (x: Value): Op => access(LOAD, x, 0, 'acquire', 'smp_load_acquire');
export const smp_store_release = (x: Value, v: Value): Op => access(STORE, x, v, 'release', 'smp_store_release');
/** WRITE_ONCE then smp_mb(). */
export const smp_store_mb = (x: Value, v: Value): Op => access(STORE, x, v, 'mb', 'smp_store_mb');
export const atomic_read = (x: Value): Op => access(LOAD, x, 0, 'once', 'atomic_read');
export const atomic_set = (x: Value, v: Value): Op => access(STORE, x, v, 'once', 'atomic_set');
export const atomic_read_acquire = (x: Value): Op => access(LOAD, x, 0, 'acquire', 'atomic_read_acquire');
export const atomic_set_release = (x: Value, v: Value): Op => access(STORE, x, v, 'release', 'atomic_set_release');

// Plain accesses (C's `r = *x` and `*x = v`): LKMM orders them less and flags their data races.
export const plain_load = (x: Value): Op => access(LOAD, x, 0, 'plain', 'plain load');
export const plain_store = (x: Value, v: Value): Op => access(STORE, x, v, 'plain', 'plain store');

// RCU (include/linux/rcupdate.h; linux-kernel.def: rcu_assign_pointer is smp_store_release,
// rcu_dereference a READ_ONCE whose value addresses what follows).
export const rcu_read_lock = (): Op => fence('rcu-lock', 'rcu_read_lock');
export const rcu_read_unlock = (): Op => fence('rcu-unlock', 'rcu_read_unlock');
export const synchronize_rcu = (): Op => fence('sync-rcu', 'synchronize_rcu');
export const synchronize_rcu_expedited = (): Op => fence('sync-rcu', 'synchronize_rcu_expedited');
export const rcu_assign_pointer = (p: Value, v: Value): Op => access(STORE, p, v, 'release', 'rcu_assign_pointer');
export const rcu_dereference = (p: Value): Op => access(LOAD, p, 0, 'once', 'rcu_dereference');
export const rcu_access_pointer = (p: Value): Op => access(LOAD, p, 0, 'once', 'rcu_access_pointer');

// SRCU (include/linux/srcu.h): `ss` is the srcu_struct's location; srcu_read_lock() yields the
// cookie srcu_read_unlock() must be given (a Val in a `withValues` thread: the pair is matched by it).
export const srcu_read_lock = (ss: Value): Op => op(FENCE, { fence: 'srcu-lock', loc: num(ss), fn: 'srcu_read_lock', arg: num(ss) });
export const srcu_read_unlock = (ss: Value, idx: Value): Op =>
  op(FENCE, { fence: 'srcu-unlock', loc: num(ss), fn: 'srcu_read_unlock', arg: num(ss), deps: depsOf(undefined, idx) });
export const synchronize_srcu = (ss: Value): Op => op(FENCE, { fence: 'sync-srcu', loc: num(ss), fn: 'synchronize_srcu', arg: num(ss) });

// Fences.
export const smp_mb = (): Op => fence('mb', 'smp_mb');
export const smp_rmb = (): Op => fence('rmb', 'smp_rmb');
export const smp_wmb = (): Op => fence('wmb', 'smp_wmb');
export const smp_mb__before_atomic = (): Op => fence('before-atomic', 'smp_mb__before_atomic');
export const smp_mb__after_atomic = (): Op => fence('after-atomic', 'smp_mb__after_atomic');
export const smp_mb__after_spinlock = (): Op => fence('after-spinlock', 'smp_mb__after_spinlock');
export const smp_mb__after_unlock_lock = (): Op => fence('after-unlock-lock', 'smp_mb__after_unlock_lock');

// Exchange and compare-exchange: fully ordered unless suffixed; a failed cmpxchg orders nothing.
export const xchg = (x: Value, v: Value): Op => rmwOp(x, RMW_XCHG, v, 0, 'mb', 'xchg');
export const xchg_relaxed = (x: Value, v: Value): Op => rmwOp(x, RMW_XCHG, v, 0, 'once', 'xchg_relaxed');
export const xchg_acquire = (x: Value, v: Value): Op => rmwOp(x, RMW_XCHG, v, 0, 'acquire', 'xchg_acquire');
export const xchg_release = (x: Value, v: Value): Op => rmwOp(x, RMW_XCHG, v, 0, 'release', 'xchg_release');
export const cmpxchg = (x: Value, old: Value, v: Value): Op => rmwOp(x, RMW_CMPXCHG, old, v, 'mb', 'cmpxchg');
export const cmpxchg_relaxed = (x: Value, old: Value, v: Value): Op => rmwOp(x, RMW_CMPXCHG, old, v, 'once', 'cmpxchg_relaxed');
export const cmpxchg_acquire = (x: Value, old: Value, v: Value): Op => rmwOp(x, RMW_CMPXCHG, old, v, 'acquire', 'cmpxchg_acquire');
export const cmpxchg_release = (x: Value, old: Value, v: Value): Op => rmwOp(x, RMW_CMPXCHG, old, v, 'release', 'cmpxchg_release');

// Atomics: the non-value-returning ones are unordered; value-returning ones are fully ordered unless suffixed.
export const atomic_add = (i: Value, v: Value): Op => rmwOp(v, RMW_ADD, i, 0, 'noreturn', 'atomic_add');
export const atomic_inc = (v: Value): Op => rmwOp(v, RMW_ADD, 1, 0, 'noreturn', 'atomic_inc');
export const atomic_dec = (v: Value): Op => rmwOp(v, RMW_ADD, -1, 0, 'noreturn', 'atomic_dec');
/** Every RMW op yields the old value: for the `_return` forms the kernel's result is `old + i`. */
export const atomic_fetch_add = (i: Value, v: Value): Op => rmwOp(v, RMW_ADD, i, 0, 'mb', 'atomic_fetch_add');
export const atomic_fetch_add_relaxed = (i: Value, v: Value): Op => rmwOp(v, RMW_ADD, i, 0, 'once', 'atomic_fetch_add_relaxed');
export const atomic_fetch_add_acquire = (i: Value, v: Value): Op => rmwOp(v, RMW_ADD, i, 0, 'acquire', 'atomic_fetch_add_acquire');
export const atomic_fetch_add_release = (i: Value, v: Value): Op => rmwOp(v, RMW_ADD, i, 0, 'release', 'atomic_fetch_add_release');
export const atomic_add_return = (i: Value, v: Value): Op => rmwOp(v, RMW_ADD, i, 0, 'mb', 'atomic_add_return');
export const atomic_inc_return = (v: Value): Op => rmwOp(v, RMW_ADD, 1, 0, 'mb', 'atomic_inc_return');
export const atomic_add_return_relaxed = (i: Value, v: Value): Op => rmwOp(v, RMW_ADD, i, 0, 'once', 'atomic_add_return_relaxed');
export const atomic_add_return_acquire = (i: Value, v: Value): Op => rmwOp(v, RMW_ADD, i, 0, 'acquire', 'atomic_add_return_acquire');
export const atomic_add_return_release = (i: Value, v: Value): Op => rmwOp(v, RMW_ADD, i, 0, 'release', 'atomic_add_return_release');
export const atomic_xchg = (v: Value, i: Value): Op => rmwOp(v, RMW_XCHG, i, 0, 'mb', 'atomic_xchg');
export const atomic_cmpxchg = (v: Value, old: Value, i: Value): Op => rmwOp(v, RMW_CMPXCHG, old, i, 'mb', 'atomic_cmpxchg');
/** Adds `a` unless the counter is `u`; fully ordered when it adds, unordered when it does not. */
export const atomic_add_unless = (v: Value, a: Value, u: Value): Op => rmwOp(v, RMW_ADD_UNLESS, a, u, 'mb', 'atomic_add_unless');

// Spinlocks.
export const spin_lock = (l: Value): Op => op(LOCK, { loc: num(l), a: 1, fn: 'spin_lock', arg: num(l), deps: depsOf(l) });
export const spin_unlock = (l: Value): Op => op(UNLOCK, { loc: num(l), a: 1, fn: 'spin_unlock', arg: num(l), deps: depsOf(l) });
