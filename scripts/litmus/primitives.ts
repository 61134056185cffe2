/**
 * The C-litmus primitives the converter turns into the model's litmus ops
 * (packages/core/src/engine/litmus/ops.ts, same names, same argument order as
 * in the kernel). This table is the one place to edit when the model learns a
 * primitive: a test that calls a name missing here is skipped with that name.
 *
 * `args` gives each argument's kind: `loc` a location (a thread parameter,
 * `x` or `*x` as the primitive takes it), `int` an integer constant. `returns`
 * says what a register assigned from the call receives, from the value the op
 * yields (a load's value, an RMW's old value): `value` that value, `new` the
 * kernel's `_return` result (old + the `int` argument, or old + `delta`),
 * `added` atomic_add_unless's boolean (old != its last argument), `none` the
 * call has no value.
 */
export type ArgKind = 'loc' | 'int';
// A `loc` argument may be a location, a register holding a pointer (an
// address dependency) or an expression over them; an `int` argument may be a
// constant, a register (a data dependency when it came from a read), a
// location's name (a pointer value) or an expression over them.
export type Returns = 'value' | 'new' | 'added' | 'none';

export interface Primitive {
  /** What the op does to memory: a `store`, `rmw` or `lock` writes (what a control dependency would order). */
  readonly access: 'load' | 'store' | 'rmw' | 'fence' | 'lock';
  /** The engine op it runs as, when named differently (atomic_xchg_release is xchg_release on an atomic_t). */
  readonly op?: string;
  readonly args: readonly ArgKind[];
  readonly returns: Returns;
  /** For `new` without an `int` argument: what the op adds (atomic_inc_return: 1). */
  readonly delta?: number;
  /** The location argument is written `*x` (READ_ONCE/WRITE_ONCE take an lvalue). */
  readonly deref?: boolean;
}

const load = (deref = false): Primitive => ({ access: 'load', args: ['loc'], returns: 'value', deref });
const store = (deref = false): Primitive => ({ access: 'store', args: ['loc', 'int'], returns: 'none', deref });
const fence: Primitive = { access: 'fence', args: [], returns: 'none' };

export const PRIMITIVES: Readonly<Record<string, Primitive>> = {
  // Marked accesses.
  READ_ONCE: load(true),
  WRITE_ONCE: store(true),
  smp_load_acquire: load(),
  smp_store_release: store(),
  smp_store_mb: store(true),
  atomic_read: load(),
  atomic_set: store(),
  atomic_read_acquire: load(),
  atomic_set_release: store(),
  // Fences.
  smp_mb: fence,
  smp_rmb: fence,
  smp_wmb: fence,
  smp_mb__before_atomic: fence,
  smp_mb__after_atomic: fence,
  smp_mb__after_spinlock: fence,
  smp_mb__after_unlock_lock: fence,
  // Exchange and compare-exchange: the old value.
  xchg: { access: 'rmw', args: ['loc', 'int'], returns: 'value' },
  xchg_relaxed: { access: 'rmw', args: ['loc', 'int'], returns: 'value' },
  xchg_acquire: { access: 'rmw', args: ['loc', 'int'], returns: 'value' },
  xchg_release: { access: 'rmw', args: ['loc', 'int'], returns: 'value' },
  cmpxchg: { access: 'rmw', args: ['loc', 'int', 'int'], returns: 'value' },
  cmpxchg_relaxed: { access: 'rmw', args: ['loc', 'int', 'int'], returns: 'value' },
  cmpxchg_acquire: { access: 'rmw', args: ['loc', 'int', 'int'], returns: 'value' },
  cmpxchg_release: { access: 'rmw', args: ['loc', 'int', 'int'], returns: 'value' },
  atomic_xchg: { access: 'rmw', args: ['loc', 'int'], returns: 'value' },
  atomic_cmpxchg: { access: 'rmw', args: ['loc', 'int', 'int'], returns: 'value' },
  // Atomics.
  atomic_add: { access: 'rmw', args: ['int', 'loc'], returns: 'none' },
  atomic_inc: { access: 'rmw', args: ['loc'], returns: 'none' },
  atomic_dec: { access: 'rmw', args: ['loc'], returns: 'none' },
  atomic_fetch_add: { access: 'rmw', args: ['int', 'loc'], returns: 'value' },
  atomic_fetch_add_relaxed: { access: 'rmw', args: ['int', 'loc'], returns: 'value' },
  atomic_fetch_add_acquire: { access: 'rmw', args: ['int', 'loc'], returns: 'value' },
  atomic_fetch_add_release: { access: 'rmw', args: ['int', 'loc'], returns: 'value' },
  atomic_add_return: { access: 'rmw', args: ['int', 'loc'], returns: 'new' },
  atomic_inc_return: { access: 'rmw', args: ['loc'], returns: 'new', delta: 1 },
  atomic_add_return_relaxed: { access: 'rmw', args: ['int', 'loc'], returns: 'new' },
  atomic_add_return_acquire: { access: 'rmw', args: ['int', 'loc'], returns: 'new' },
  atomic_add_return_release: { access: 'rmw', args: ['int', 'loc'], returns: 'new' },
  atomic_add_unless: { access: 'rmw', args: ['loc', 'int', 'int'], returns: 'added' },
  atomic_xchg_relaxed: { access: 'rmw', args: ['loc', 'int'], returns: 'value', op: 'xchg_relaxed' },
  atomic_xchg_acquire: { access: 'rmw', args: ['loc', 'int'], returns: 'value', op: 'xchg_acquire' },
  atomic_xchg_release: { access: 'rmw', args: ['loc', 'int'], returns: 'value', op: 'xchg_release' },
  atomic_cmpxchg_relaxed: { access: 'rmw', args: ['loc', 'int', 'int'], returns: 'value', op: 'cmpxchg_relaxed' },
  atomic_cmpxchg_acquire: { access: 'rmw', args: ['loc', 'int', 'int'], returns: 'value', op: 'cmpxchg_acquire' },
  atomic_cmpxchg_release: { access: 'rmw', args: ['loc', 'int', 'int'], returns: 'value', op: 'cmpxchg_release' },
  // Plain C accesses (`r = *x`, `*x = v`): the converter writes them as these calls.
  plain_load: { access: 'load', args: ['loc'], returns: 'value' },
  plain_store: { access: 'store', args: ['loc', 'int'], returns: 'none' },
  // RCU (linux-kernel.def: rcu_assign_pointer is a release store, rcu_dereference a READ_ONCE).
  rcu_read_lock: fence,
  rcu_read_unlock: fence,
  synchronize_rcu: fence,
  synchronize_rcu_expedited: fence,
  rcu_assign_pointer: store(true),
  rcu_dereference: load(true),
  rcu_access_pointer: load(true),
  // SRCU: the srcu_struct is a location; srcu_read_lock's cookie goes to srcu_read_unlock.
  srcu_read_lock: { access: 'load', args: ['loc'], returns: 'value' },
  srcu_read_unlock: { access: 'fence', args: ['loc', 'int'], returns: 'none' },
  synchronize_srcu: { access: 'fence', args: ['loc'], returns: 'none' },
  // Spinlocks.
  spin_lock: { access: 'lock', args: ['loc'], returns: 'none' },
  spin_unlock: { access: 'lock', args: ['loc'], returns: 'none' },
};

/** What a register assigned from `name(...)` holds, given the op's yielded value and the call's integer arguments. */
export function resultOf(p: Primitive, yielded: number, ints: readonly number[]): number {
  switch (p.returns) {
    case 'value':
      return yielded;
    case 'new':
      return yielded + (ints[0] ?? p.delta ?? 0);
    case 'added':
      return yielded !== ints[ints.length - 1] ? 1 : 0;
    case 'none':
      return 0;
  }
}
