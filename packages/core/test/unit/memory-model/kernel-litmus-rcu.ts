/**
 * Ports of the Linux kernel's litmus tests that need dependencies, pointers,
 * plain accesses, spin_is_locked() and RCU (tools/memory-model/litmus-tests/
 * and Documentation/litmus-tests/rcu/), and SRCU tests of
 * paulmckrcu/litmus manual/kernel/. `result` is herd7's verdict from the
 * test's `Result:` line. Threads written with values (`withDeps`) get their
 * address, data and control dependencies from the values they read.
 */
import { withDeps, type LitmusTest, type LitmusThread } from '../../../src/engine/litmus/litmus.js';
import {
  plain_load, plain_store, rcu_assign_pointer, rcu_dereference, rcu_read_lock, rcu_read_unlock, READ_ONCE, smp_load_acquire, smp_mb,
  smp_mb__after_spinlock, smp_store_release, spin_lock, spin_unlock, srcu_read_lock, srcu_read_unlock, synchronize_rcu, synchronize_srcu, WRITE_ONCE,
} from '../../../src/engine/litmus/ops.js';
import type { Op } from '../../../src/engine/op.js';
import { add, eq, from, when, xor, type Value } from '../../../src/engine/litmus/values.js';

const LT = 'tools/memory-model/litmus-tests/';
const RCU = 'Documentation/litmus-tests/rcu/';
const PM = 'paulmckrcu/litmus manual/kernel/';

const P = (f: LitmusThread): LitmusThread => f;
const V = withDeps;
/**
 * An op inside the body of an `if` on `v`: control-dependent on v's reads, as
 * herd7's C front end scopes ctrl (only the branch bodies; `when` reaches every later op).
 */
const inBranch = (o: Op, v: Value): Op => ({ ...o, deps: { ...o.deps, ctrl: [...(o.deps?.ctrl ?? []), ...from(v)] } });

export const kernelDependencyLitmusTests: readonly LitmusTest[] = [
  {
    name: 'LB+fencembonceonce+ctrlonceonce', source: LT, result: 'Never', locations: ['x', 'y'],
    threads: [
      V(function* (l, r) { r.r0 = yield READ_ONCE(l.x!); if (when(r.r0)) yield WRITE_ONCE(l.y!, 1); }),
      P(function* (l, r) { r.r0 = yield READ_ONCE(l.y!); yield smp_mb(); yield WRITE_ONCE(l.x!, 1); }),
    ],
    exists: '0:r0=1 /\\ 1:r0=1',
  },
  {
    name: 'LB+ctrlonceonce+mbonceonce', source: LT, result: 'Never', locations: ['x', 'y'],
    threads: [
      V(function* (l, r) { r.r0 = yield READ_ONCE(l.x!); if (when(r.r0)) yield WRITE_ONCE(l.y!, 1); }),
      P(function* (l, r) { r.r0 = yield READ_ONCE(l.y!); yield smp_mb(); yield WRITE_ONCE(l.x!, 1); }),
    ],
    exists: '0:r0=1 /\\ 1:r0=1',
  },
  {
    // y=z initially: a pointer-valued location; P1 follows the pointer it read.
    name: 'MP+onceassign+derefonce', source: LT, result: 'Never', locations: ['x', 'y', 'z'], init: { y: 'z', z: 0 },
    threads: [
      P(function* (l) { yield WRITE_ONCE(l.x!, 1); yield rcu_assign_pointer(l.y!, l.x!); }),
      V(function* (l, r) {
        yield rcu_read_lock();
        const r0 = yield rcu_dereference(l.y!);
        r.r0 = r0;
        r.r1 = yield READ_ONCE(r0);
        yield rcu_read_unlock();
      }),
    ],
    exists: '1:r0=x /\\ 1:r1=0',
  },
  {
    // The same without the address dependency (the second read's location does not come from
    // the first's value): nothing orders P1's reads, so LKMM allows it (see MP+poonceonces).
    name: 'MP+onceassign+derefonce, without the dependency', result: 'Sometimes', locations: ['x', 'y', 'z'], init: { y: 'z', z: 0 },
    threads: [
      P(function* (l) { yield WRITE_ONCE(l.x!, 1); yield rcu_assign_pointer(l.y!, l.x!); }),
      P(function* (l, r) {
        yield rcu_read_lock();
        r.r0 = yield rcu_dereference(l.y!);
        r.r1 = yield READ_ONCE(l.x!);
        yield rcu_read_unlock();
      }),
    ],
    exists: '1:r0=x /\\ 1:r1=0',
  },
  {
    name: 'dep+plain', source: LT, result: 'Never', locations: ['x', 'y', 'z1', 'z2'],
    threads: [
      V(function* (l) {
        const a = yield READ_ONCE(l.x!);
        yield plain_store(l.z1!, a);
        yield plain_store(l.z2!, yield plain_load(l.z1!));
        if (when(eq(yield plain_load(l.z2!), 1))) yield WRITE_ONCE(l.y!, 1);
      }),
      V(function* (l) { const r = yield smp_load_acquire(l.y!); yield smp_store_release(l.x!, r); }),
    ],
    exists: 'x=1 /\\ y=1',
  },
  {
    // spin_is_locked() is a marked read of the lock word (locked: nonzero).
    name: 'MP+polockmbonce+poacquiresilsil', source: LT, result: 'Never', locations: ['lo', 'x'],
    threads: [
      P(function* (l) { yield spin_lock(l.lo!); yield smp_mb__after_spinlock(); yield WRITE_ONCE(l.x!, 1); yield spin_unlock(l.lo!); }),
      P(function* (l, r) { r.r1 = yield smp_load_acquire(l.x!); r.r2 = yield READ_ONCE(l.lo!); r.r3 = yield READ_ONCE(l.lo!); }),
    ],
    exists: '1:r1=1 /\\ 1:r2=0 /\\ 1:r3=1',
  },
  {
    name: 'MP+polockonce+poacquiresilsil', source: LT, result: 'Sometimes', locations: ['lo', 'x'],
    threads: [
      P(function* (l) { yield spin_lock(l.lo!); yield WRITE_ONCE(l.x!, 1); yield spin_unlock(l.lo!); }),
      P(function* (l, r) { r.r1 = yield smp_load_acquire(l.x!); r.r2 = yield READ_ONCE(l.lo!); r.r3 = yield READ_ONCE(l.lo!); }),
    ],
    exists: '1:r1=1 /\\ 1:r2=0 /\\ 1:r3=1',
  },
  {
    name: 'RCU+sync+free', source: RCU, result: 'Never', locations: ['x', 'y', 'z'], init: { x: 1, y: 'x', z: 1 },
    threads: [
      V(function* (l, r) {
        yield rcu_read_lock();
        const r0 = yield rcu_dereference(l.y!);
        r.r0 = r0;
        r.r1 = yield READ_ONCE(r0);
        yield rcu_read_unlock();
      }),
      P(function* (l) { yield rcu_assign_pointer(l.y!, l.z!); yield synchronize_rcu(); yield WRITE_ONCE(l.x!, 0); }),
    ],
    exists: '0:r0=x /\\ 0:r1=0',
  },
  {
    name: 'RCU+sync+read', source: RCU, result: 'Never', locations: ['x', 'y'],
    threads: [
      P(function* (l) { yield rcu_read_lock(); yield WRITE_ONCE(l.x!, 1); yield WRITE_ONCE(l.y!, 1); yield rcu_read_unlock(); }),
      P(function* (l, r) { r.r0 = yield READ_ONCE(l.x!); yield synchronize_rcu(); r.r1 = yield READ_ONCE(l.y!); }),
    ],
    exists: '1:r0=1 /\\ 1:r1=0',
  },
  {
    name: 'C-srcu-observed-4', source: PM, result: 'Sometimes', locations: ['x', 'y', 'z', 's'],
    threads: [
      V(function* (l) { const r1 = yield srcu_read_lock(l.s!); yield WRITE_ONCE(l.y!, 2); yield WRITE_ONCE(l.x!, 1); yield srcu_read_unlock(l.s!, r1); }),
      P(function* (l) { yield WRITE_ONCE(l.y!, 1); yield synchronize_srcu(l.s!); yield WRITE_ONCE(l.z!, 2); }),
      P(function* (l) { yield WRITE_ONCE(l.z!, 1); yield smp_store_release(l.x!, 2); }),
    ],
    exists: 'x=1 /\\ y=1 /\\ z=1',
  },
  {
    name: 'C-PaulEMcKenney-S+o-sync-o+o-c-o', source: PM, result: 'Never', locations: ['x', 'y'],
    threads: [
      P(function* (l) { yield WRITE_ONCE(l.x!, 1); yield synchronize_rcu(); yield WRITE_ONCE(l.y!, 1); }),
      V(function* (l, r) { r.r1 = yield READ_ONCE(l.y!); if (when(r.r1)) yield WRITE_ONCE(l.x!, 2); }),
    ],
    exists: '1:r1=1 /\\ x=1',
  },
];

/**
 * Variants with no recorded `Result:`, their verdicts worked out by hand from
 * linux-kernel.cat: without the control dependency the S test above is allowed
 * (nothing orders P1's read before its write); RCU+sync+read with SRCU on one
 * srcu_struct is forbidden by the srcu-gp/srcu-rscsi term of rcu-fence (its
 * `& loc` holds), and allowed when the grace period is another srcu_struct's.
 */
export const derivedDependencyLitmusTests: readonly LitmusTest[] = [
  {
    name: 'S+o-sync-o+o-o (no control dependency)', result: 'Sometimes', locations: ['x', 'y'],
    threads: [
      P(function* (l) { yield WRITE_ONCE(l.x!, 1); yield synchronize_rcu(); yield WRITE_ONCE(l.y!, 1); }),
      P(function* (l, r) { r.r1 = yield READ_ONCE(l.y!); yield WRITE_ONCE(l.x!, 2); }),
    ],
    exists: '1:r1=1 /\\ x=1',
  },
  {
    name: 'SRCU+sync+read (one srcu_struct)', result: 'Never', locations: ['x', 'y', 's'],
    threads: [
      V(function* (l) { const i = yield srcu_read_lock(l.s!); yield WRITE_ONCE(l.x!, 1); yield WRITE_ONCE(l.y!, 1); yield srcu_read_unlock(l.s!, i); }),
      P(function* (l, r) { r.r0 = yield READ_ONCE(l.x!); yield synchronize_srcu(l.s!); r.r1 = yield READ_ONCE(l.y!); }),
    ],
    exists: '1:r0=1 /\\ 1:r1=0',
  },
  {
    name: 'SRCU+sync+read (two srcu_structs)', result: 'Sometimes', locations: ['x', 'y', 's1', 's2'],
    threads: [
      V(function* (l) { const i = yield srcu_read_lock(l.s1!); yield WRITE_ONCE(l.x!, 1); yield WRITE_ONCE(l.y!, 1); yield srcu_read_unlock(l.s1!, i); }),
      P(function* (l, r) { r.r0 = yield READ_ONCE(l.x!); yield synchronize_srcu(l.s2!); r.r1 = yield READ_ONCE(l.y!); }),
    ],
    exists: '1:r0=1 /\\ 1:r1=0',
  },
  {
    // RCU+sync+read without the read-side critical section: synchronize_rcu() is a strong fence
    // on its own side only, so P0's two writes may still be seen out of order.
    name: 'RCU+sync+read (no read-side critical section)', result: 'Sometimes', locations: ['x', 'y'],
    threads: [
      P(function* (l) { yield WRITE_ONCE(l.x!, 1); yield WRITE_ONCE(l.y!, 1); }),
      P(function* (l, r) { r.r0 = yield READ_ONCE(l.x!); yield synchronize_rcu(); r.r1 = yield READ_ONCE(l.y!); }),
    ],
    exists: '1:r0=1 /\\ 1:r1=0',
  },
];

/**
 * Data races (linux-kernel.cat's `flag ~empty (ww-race | wr-race | rw-race) as
 * data-race`), worked out from the cat file: a plain write racing a READ_ONCE
 * is flagged; with release/acquire between them, it is not.
 */
export const dataRaceLitmusTests: readonly LitmusTest[] = [
  {
    name: 'plain write vs READ_ONCE', result: 'Sometimes', dataRace: true, locations: ['x'],
    threads: [
      P(function* (l) { yield plain_store(l.x!, 1); }),
      P(function* (l, r) { r.r0 = yield READ_ONCE(l.x!); }),
    ],
    exists: '1:r0=1',
  },
  {
    name: 'MP with a plain payload, release/acquire', result: 'Never', dataRace: false, locations: ['x', 'y'],
    threads: [
      P(function* (l) { yield plain_store(l.x!, 1); yield smp_store_release(l.y!, 1); }),
      V(function* (l, r) { r.r0 = yield smp_load_acquire(l.y!); if (when(r.r0)) r.r1 = yield plain_load(l.x!); }),
    ],
    exists: '1:r0=1 /\\ 1:r1=0',
  },
  {
    name: 'MP with a plain payload, no ordering', result: 'Sometimes', dataRace: true, locations: ['x', 'y'],
    threads: [
      P(function* (l) { yield plain_store(l.x!, 1); yield WRITE_ONCE(l.y!, 1); }),
      V(function* (l, r) { r.r0 = yield READ_ONCE(l.y!); if (when(r.r0)) r.r1 = yield plain_load(l.x!); }),
    ],
    exists: '1:r0=1 /\\ 1:r1=0',
  },
  {
    // herd7 leaves out the executions a filter rejects before any flag is raised: the race needs r0=1.
    name: 'MP with a plain payload, no ordering, filtered to r0=0', result: 'Never', dataRace: false, locations: ['x', 'y'],
    threads: [
      P(function* (l) { yield plain_store(l.x!, 1); yield WRITE_ONCE(l.y!, 1); }),
      V(function* (l, r) { r.r0 = yield READ_ONCE(l.y!); if (when(r.r0)) r.r1 = yield plain_load(l.x!); }),
    ],
    filter: '1:r0=0',
    exists: '1:r0=1 /\\ 1:r1=0',
  },
  {
    // paulmckrcu/litmus manual/plain/C-non-race1-rwdep, verdict from herd7 7.58 with mainline's linux-kernel.cat
    // (its Result line, Never, is older). The load-buffering state needs P0's load to read P1's store, which
    // stores what P1 read from P0's WRITE_ONCE(y) after the branch: the exploration has to run P0's branch
    // before P1's load (a promise kept only by another interleaving). Nothing orders P0's READ_ONCE(x)
    // before its WRITE_ONCE(y): the dependent `*r4 = 3` is plain, and hb links marked accesses only.
    name: 'C-non-race1-rwdep', result: 'Sometimes', dataRace: true, locations: ['x', 'y'],
    threads: [
      V(function* (l, r) {
        r.r1 = yield READ_ONCE(l.x!);
        if (Number(r.r1) === 1) yield inBranch(plain_store(add(l.y!, xor(r.r1!, r.r1!)), 3), r.r1!);
        yield WRITE_ONCE(l.y!, 1);
      }),
      V(function* (l, r) { r.r3 = yield READ_ONCE(l.y!); yield WRITE_ONCE(l.x!, r.r3!); }),
      P(function* (l, r) { r.r5 = yield READ_ONCE(l.y!); }),
    ],
    exists: '0:r1=1 /\\ 1:r3=1',
  },
  {
    // paulmckrcu/litmus manual/plain/C-OOTA (herd7 7.58: Sometimes, 0:r1=S8; 1:r1=S8). Each plain load reads
    // the other thread's plain store of what it read: the values are circular, herd7 leaves them symbolic,
    // and with plain accesses only nothing forbids the cycle (hb links marked accesses).
    name: 'C-OOTA (out of thin air through plain accesses)', result: 'Sometimes', dataRace: true, locations: ['x', 'y'],
    threads: [
      V(function* (l, r) { r.r1 = yield plain_load(l.x!); yield plain_store(l.y!, r.r1!); }),
      V(function* (l, r) { r.r1 = yield plain_load(l.y!); yield plain_store(l.x!, r.r1!); }),
    ],
    exists: '~0:r1=0 \\/ ~1:r1=0',
  },
  {
    // The same with marked accesses: the cycle of rfe and data dependencies is a cycle of hb (LB+datas).
    name: 'C-OOTA with READ_ONCE and WRITE_ONCE', result: 'Never', dataRace: false, locations: ['x', 'y'],
    threads: [
      V(function* (l, r) { r.r1 = yield READ_ONCE(l.x!); yield WRITE_ONCE(l.y!, r.r1!); }),
      V(function* (l, r) { r.r1 = yield READ_ONCE(l.y!); yield WRITE_ONCE(l.x!, r.r1!); }),
    ],
    exists: '~0:r1=0 \\/ ~1:r1=0',
  },
  {
    // paulmckrcu/litmus manual/plain/strong-vis: a store a strong fence separates from a marked access
    // is visible to what executes after that access (ww-vis and wr-vis's strong-fence ; xbstar term).
    name: 'strong-vis', result: 'Never', dataRace: false, locations: ['x', 'y', 'z'],
    threads: [
      P(function* (l) { yield plain_store(l.x!, 1); yield smp_mb(); yield WRITE_ONCE(l.y!, 1); }),
      V(function* (l, r) { r.r1 = yield READ_ONCE(l.y!); yield WRITE_ONCE(l.z!, r.r1); }),
      V(function* (l, r) { r.r2 = yield smp_load_acquire(l.z!); if (when(r.r2)) r.r3 = yield plain_load(l.x!); }),
    ],
    exists: '2:r2=1 /\\ 2:r3=0',
  },
];
