/**
 * Ports of the Linux kernel's litmus tests (tools/memory-model/litmus-tests/
 * and Documentation/litmus-tests/atomic/) to pagecheck's litmus DSL. Each
 * keeps the test's name, locations, threads and `exists` clause; `result` is
 * herd7's verdict from the test's `Result:` line.
 */
import type { LitmusTest, LitmusThread } from '../../../src/engine/litmus/litmus.js';
import {
  atomic_add_unless, atomic_inc, atomic_inc_return, atomic_read, atomic_set, cmpxchg, READ_ONCE, smp_load_acquire, smp_mb, smp_mb__after_atomic,
  smp_mb__after_spinlock, smp_rmb, smp_store_release, smp_wmb, spin_lock, spin_unlock, WRITE_ONCE,
} from '../../../src/engine/litmus/ops.js';

const LT = 'tools/memory-model/litmus-tests/';
const AT = 'Documentation/litmus-tests/atomic/';

/** Shorthand: a thread from a generator function. */
const P = (f: LitmusThread): LitmusThread => f;

export const kernelLitmusTests: readonly LitmusTest[] = [
  {
    name: 'CoRR+poonceonce+Once', source: LT, result: 'Never', locations: ['x'],
    threads: [
      P(function* (l) { yield WRITE_ONCE(l.x!, 1); }),
      P(function* (l, r) { r.r0 = yield READ_ONCE(l.x!); r.r1 = yield READ_ONCE(l.x!); }),
    ],
    exists: '1:r0=1 /\\ 1:r1=0',
  },
  {
    name: 'CoRW+poonceonce+Once', source: LT, result: 'Never', locations: ['x'],
    threads: [
      P(function* (l, r) { r.r0 = yield READ_ONCE(l.x!); yield WRITE_ONCE(l.x!, 1); }),
      P(function* (l) { yield WRITE_ONCE(l.x!, 2); }),
    ],
    exists: 'x=2 /\\ 0:r0=2',
  },
  {
    name: 'CoWR+poonceonce+Once', source: LT, result: 'Never', locations: ['x'],
    threads: [
      P(function* (l, r) { yield WRITE_ONCE(l.x!, 1); r.r0 = yield READ_ONCE(l.x!); }),
      P(function* (l) { yield WRITE_ONCE(l.x!, 2); }),
    ],
    exists: 'x=1 /\\ 0:r0=2',
  },
  {
    name: 'CoWW+poonceonce', source: LT, result: 'Never', locations: ['x'],
    threads: [P(function* (l) { yield WRITE_ONCE(l.x!, 1); yield WRITE_ONCE(l.x!, 2); })],
    exists: 'x=1',
  },
  {
    name: 'IRIW+fencembonceonces+OnceOnce', source: LT, result: 'Never', locations: ['x', 'y'],
    threads: [
      P(function* (l) { yield WRITE_ONCE(l.x!, 1); }),
      P(function* (l, r) { r.r0 = yield READ_ONCE(l.x!); yield smp_mb(); r.r1 = yield READ_ONCE(l.y!); }),
      P(function* (l) { yield WRITE_ONCE(l.y!, 1); }),
      P(function* (l, r) { r.r0 = yield READ_ONCE(l.y!); yield smp_mb(); r.r1 = yield READ_ONCE(l.x!); }),
    ],
    exists: '1:r0=1 /\\ 1:r1=0 /\\ 3:r0=1 /\\ 3:r1=0',
  },
  {
    name: 'IRIW+poonceonces+OnceOnce', source: LT, result: 'Sometimes', locations: ['x', 'y'],
    threads: [
      P(function* (l) { yield WRITE_ONCE(l.x!, 1); }),
      P(function* (l, r) { r.r0 = yield READ_ONCE(l.x!); r.r1 = yield READ_ONCE(l.y!); }),
      P(function* (l) { yield WRITE_ONCE(l.y!, 1); }),
      P(function* (l, r) { r.r0 = yield READ_ONCE(l.y!); r.r1 = yield READ_ONCE(l.x!); }),
    ],
    exists: '1:r0=1 /\\ 1:r1=0 /\\ 3:r0=1 /\\ 3:r1=0',
  },
  {
    name: 'ISA2+pooncelock+pooncelock+pombonce', source: LT, result: 'Never', locations: ['mylock', 'x', 'y', 'z'],
    threads: [
      P(function* (l) { yield spin_lock(l.mylock!); yield WRITE_ONCE(l.x!, 1); yield WRITE_ONCE(l.y!, 1); yield spin_unlock(l.mylock!); }),
      P(function* (l, r) { yield spin_lock(l.mylock!); r.r0 = yield READ_ONCE(l.y!); yield WRITE_ONCE(l.z!, 1); yield spin_unlock(l.mylock!); }),
      P(function* (l, r) { r.r2 = yield READ_ONCE(l.z!); yield smp_mb(); r.r1 = yield READ_ONCE(l.x!); }),
    ],
    exists: '1:r0=1 /\\ 2:r2=1 /\\ 2:r1=0',
  },
  {
    name: 'ISA2+poonceonces', source: LT, result: 'Sometimes', locations: ['x', 'y', 'z'],
    threads: [
      P(function* (l) { yield WRITE_ONCE(l.x!, 1); yield WRITE_ONCE(l.y!, 1); }),
      P(function* (l, r) { r.r0 = yield READ_ONCE(l.y!); yield WRITE_ONCE(l.z!, 1); }),
      P(function* (l, r) { r.r0 = yield READ_ONCE(l.z!); r.r1 = yield READ_ONCE(l.x!); }),
    ],
    exists: '1:r0=1 /\\ 2:r0=1 /\\ 2:r1=0',
  },
  {
    name: 'ISA2+pooncerelease+poacquirerelease+poacquireonce', source: LT, result: 'Never', locations: ['x', 'y', 'z'],
    threads: [
      P(function* (l) { yield WRITE_ONCE(l.x!, 1); yield smp_store_release(l.y!, 1); }),
      P(function* (l, r) { r.r0 = yield smp_load_acquire(l.y!); yield smp_store_release(l.z!, 1); }),
      P(function* (l, r) { r.r0 = yield smp_load_acquire(l.z!); r.r1 = yield READ_ONCE(l.x!); }),
    ],
    exists: '1:r0=1 /\\ 2:r0=1 /\\ 2:r1=0',
  },
  {
    name: 'LB+poacquireonce+pooncerelease', source: LT, result: 'Never', locations: ['x', 'y'],
    threads: [
      P(function* (l, r) { r.r0 = yield READ_ONCE(l.x!); yield smp_store_release(l.y!, 1); }),
      P(function* (l, r) { r.r0 = yield smp_load_acquire(l.y!); yield WRITE_ONCE(l.x!, 1); }),
    ],
    exists: '0:r0=1 /\\ 1:r0=1',
  },
  {
    name: 'LB+poonceonces', source: LT, result: 'Sometimes', locations: ['x', 'y'],
    threads: [
      P(function* (l, r) { r.r0 = yield READ_ONCE(l.x!); yield WRITE_ONCE(l.y!, 1); }),
      P(function* (l, r) { r.r0 = yield READ_ONCE(l.y!); yield WRITE_ONCE(l.x!, 1); }),
    ],
    exists: '0:r0=1 /\\ 1:r0=1',
  },
  {
    name: 'LB+unlocklockonceonce+poacquireonce', source: LT, result: 'Never', locations: ['s', 't', 'x', 'y'],
    threads: [
      P(function* (l, r) {
        yield spin_lock(l.s!); r.r1 = yield READ_ONCE(l.x!); yield spin_unlock(l.s!);
        yield spin_lock(l.t!); yield WRITE_ONCE(l.y!, 1); yield spin_unlock(l.t!);
      }),
      P(function* (l, r) { r.r2 = yield smp_load_acquire(l.y!); yield WRITE_ONCE(l.x!, 1); }),
    ],
    exists: '0:r1=1 /\\ 1:r2=1',
  },
  {
    name: 'MP+fencewmbonceonce+fencermbonceonce', source: LT, result: 'Never', locations: ['buf', 'flag'],
    threads: [
      P(function* (l) { yield WRITE_ONCE(l.buf!, 1); yield smp_wmb(); yield WRITE_ONCE(l.flag!, 1); }),
      P(function* (l, r) { r.r0 = yield READ_ONCE(l.flag!); yield smp_rmb(); r.r1 = yield READ_ONCE(l.buf!); }),
    ],
    exists: '1:r0=1 /\\ 1:r1=0',
  },
  {
    name: 'MP+polocks', source: LT, result: 'Never', locations: ['mylock', 'buf', 'flag'],
    threads: [
      P(function* (l) { yield WRITE_ONCE(l.buf!, 1); yield spin_lock(l.mylock!); yield WRITE_ONCE(l.flag!, 1); yield spin_unlock(l.mylock!); }),
      P(function* (l, r) { yield spin_lock(l.mylock!); r.r0 = yield READ_ONCE(l.flag!); yield spin_unlock(l.mylock!); r.r1 = yield READ_ONCE(l.buf!); }),
    ],
    exists: '1:r0=1 /\\ 1:r1=0',
  },
  {
    name: 'MP+poonceonces', source: LT, result: 'Sometimes', locations: ['buf', 'flag'],
    threads: [
      P(function* (l) { yield WRITE_ONCE(l.buf!, 1); yield WRITE_ONCE(l.flag!, 1); }),
      P(function* (l, r) { r.r0 = yield READ_ONCE(l.flag!); r.r1 = yield READ_ONCE(l.buf!); }),
    ],
    exists: '1:r0=1 /\\ 1:r1=0',
  },
  {
    name: 'MP+pooncerelease+poacquireonce', source: LT, result: 'Never', locations: ['buf', 'flag'],
    threads: [
      P(function* (l) { yield WRITE_ONCE(l.buf!, 1); yield smp_store_release(l.flag!, 1); }),
      P(function* (l, r) { r.r0 = yield smp_load_acquire(l.flag!); r.r1 = yield READ_ONCE(l.buf!); }),
    ],
    exists: '1:r0=1 /\\ 1:r1=0',
  },
  {
    name: 'MP+porevlocks', source: LT, result: 'Never', locations: ['mylock', 'buf', 'flag'],
    threads: [
      P(function* (l, r) { r.r0 = yield READ_ONCE(l.flag!); yield spin_lock(l.mylock!); r.r1 = yield READ_ONCE(l.buf!); yield spin_unlock(l.mylock!); }),
      P(function* (l) { yield spin_lock(l.mylock!); yield WRITE_ONCE(l.buf!, 1); yield spin_unlock(l.mylock!); yield WRITE_ONCE(l.flag!, 1); }),
    ],
    exists: '0:r0=1 /\\ 0:r1=0',
  },
  {
    name: 'MP+unlocklockonceonce+fencermbonceonce', source: LT, result: 'Never', locations: ['s', 't', 'x', 'y'],
    threads: [
      P(function* (l) {
        yield spin_lock(l.s!); yield WRITE_ONCE(l.x!, 1); yield spin_unlock(l.s!);
        yield spin_lock(l.t!); yield WRITE_ONCE(l.y!, 1); yield spin_unlock(l.t!);
      }),
      P(function* (l, r) { r.r1 = yield READ_ONCE(l.y!); yield smp_rmb(); r.r2 = yield READ_ONCE(l.x!); }),
    ],
    exists: '1:r1=1 /\\ 1:r2=0',
  },
  {
    name: 'R+fencembonceonces', source: LT, result: 'Never', locations: ['x', 'y'],
    threads: [
      P(function* (l) { yield WRITE_ONCE(l.x!, 1); yield smp_mb(); yield WRITE_ONCE(l.y!, 1); }),
      P(function* (l, r) { yield WRITE_ONCE(l.y!, 2); yield smp_mb(); r.r0 = yield READ_ONCE(l.x!); }),
    ],
    exists: 'y=2 /\\ 1:r0=0',
  },
  {
    name: 'R+poonceonces', source: LT, result: 'Sometimes', locations: ['x', 'y'],
    threads: [
      P(function* (l) { yield WRITE_ONCE(l.x!, 1); yield WRITE_ONCE(l.y!, 1); }),
      P(function* (l, r) { yield WRITE_ONCE(l.y!, 2); r.r0 = yield READ_ONCE(l.x!); }),
    ],
    exists: 'y=2 /\\ 1:r0=0',
  },
  {
    name: 'S+fencewmbonceonce+poacquireonce', source: LT, result: 'Never', locations: ['x', 'y'],
    threads: [
      P(function* (l) { yield WRITE_ONCE(l.x!, 2); yield smp_wmb(); yield WRITE_ONCE(l.y!, 1); }),
      P(function* (l, r) { r.r0 = yield smp_load_acquire(l.y!); yield WRITE_ONCE(l.x!, 1); }),
    ],
    exists: 'x=2 /\\ 1:r0=1',
  },
  {
    name: 'S+poonceonces', source: LT, result: 'Sometimes', locations: ['x', 'y'],
    threads: [
      P(function* (l) { yield WRITE_ONCE(l.x!, 2); yield WRITE_ONCE(l.y!, 1); }),
      P(function* (l, r) { r.r0 = yield READ_ONCE(l.y!); yield WRITE_ONCE(l.x!, 1); }),
    ],
    exists: 'x=2 /\\ 1:r0=1',
  },
  {
    name: 'SB+fencembonceonces', source: LT, result: 'Never', locations: ['x', 'y'],
    threads: [
      P(function* (l, r) { yield WRITE_ONCE(l.x!, 1); yield smp_mb(); r.r0 = yield READ_ONCE(l.y!); }),
      P(function* (l, r) { yield WRITE_ONCE(l.y!, 1); yield smp_mb(); r.r0 = yield READ_ONCE(l.x!); }),
    ],
    exists: '0:r0=0 /\\ 1:r0=0',
  },
  {
    name: 'SB+poonceonces', source: LT, result: 'Sometimes', locations: ['x', 'y'],
    threads: [
      P(function* (l, r) { yield WRITE_ONCE(l.x!, 1); r.r0 = yield READ_ONCE(l.y!); }),
      P(function* (l, r) { yield WRITE_ONCE(l.y!, 1); r.r0 = yield READ_ONCE(l.x!); }),
    ],
    exists: '0:r0=0 /\\ 1:r0=0',
  },
  {
    name: 'SB+rfionceonce-poonceonces', source: LT, result: 'Sometimes', locations: ['x', 'y'],
    threads: [
      P(function* (l, r) { yield WRITE_ONCE(l.x!, 1); r.r1 = yield READ_ONCE(l.x!); r.r2 = yield READ_ONCE(l.y!); }),
      P(function* (l, r) { yield WRITE_ONCE(l.y!, 1); r.r3 = yield READ_ONCE(l.y!); r.r4 = yield READ_ONCE(l.x!); }),
    ],
    exists: '0:r2=0 /\\ 1:r4=0',
  },
  {
    name: 'WRC+poonceonces+Once', source: LT, result: 'Sometimes', locations: ['x', 'y'],
    threads: [
      P(function* (l) { yield WRITE_ONCE(l.x!, 1); }),
      P(function* (l, r) { r.r0 = yield READ_ONCE(l.x!); yield WRITE_ONCE(l.y!, 1); }),
      P(function* (l, r) { r.r0 = yield READ_ONCE(l.y!); r.r1 = yield READ_ONCE(l.x!); }),
    ],
    exists: '1:r0=1 /\\ 2:r0=1 /\\ 2:r1=0',
  },
  {
    name: 'WRC+pooncerelease+fencermbonceonce+Once', source: LT, result: 'Never', locations: ['x', 'y'],
    threads: [
      P(function* (l) { yield WRITE_ONCE(l.x!, 1); }),
      P(function* (l, r) { r.r0 = yield READ_ONCE(l.x!); yield smp_store_release(l.y!, 1); }),
      P(function* (l, r) { r.r0 = yield READ_ONCE(l.y!); yield smp_rmb(); r.r1 = yield READ_ONCE(l.x!); }),
    ],
    exists: '1:r0=1 /\\ 2:r0=1 /\\ 2:r1=0',
  },
  {
    name: 'Z6.0+pooncelock+pooncelock+pombonce', source: LT, result: 'Sometimes', locations: ['mylock', 'x', 'y', 'z'],
    threads: [
      P(function* (l) { yield spin_lock(l.mylock!); yield WRITE_ONCE(l.x!, 1); yield WRITE_ONCE(l.y!, 1); yield spin_unlock(l.mylock!); }),
      P(function* (l, r) { yield spin_lock(l.mylock!); r.r0 = yield READ_ONCE(l.y!); yield WRITE_ONCE(l.z!, 1); yield spin_unlock(l.mylock!); }),
      P(function* (l, r) { yield WRITE_ONCE(l.z!, 2); yield smp_mb(); r.r1 = yield READ_ONCE(l.x!); }),
    ],
    exists: '1:r0=1 /\\ z=2 /\\ 2:r1=0',
  },
  {
    name: 'Z6.0+pooncelock+poonceLock+pombonce', source: LT, result: 'Never', locations: ['mylock', 'x', 'y', 'z'],
    threads: [
      P(function* (l) { yield spin_lock(l.mylock!); yield WRITE_ONCE(l.x!, 1); yield WRITE_ONCE(l.y!, 1); yield spin_unlock(l.mylock!); }),
      P(function* (l, r) {
        yield spin_lock(l.mylock!); yield smp_mb__after_spinlock(); r.r0 = yield READ_ONCE(l.y!); yield WRITE_ONCE(l.z!, 1); yield spin_unlock(l.mylock!);
      }),
      P(function* (l, r) { yield WRITE_ONCE(l.z!, 2); yield smp_mb(); r.r1 = yield READ_ONCE(l.x!); }),
    ],
    exists: '1:r0=1 /\\ z=2 /\\ 2:r1=0',
  },
  {
    name: 'Z6.0+pooncerelease+poacquirerelease+fencembonceonce', source: LT, result: 'Sometimes', locations: ['x', 'y', 'z'],
    threads: [
      P(function* (l) { yield WRITE_ONCE(l.x!, 1); yield smp_store_release(l.y!, 1); }),
      P(function* (l, r) { r.r0 = yield smp_load_acquire(l.y!); yield smp_store_release(l.z!, 1); }),
      P(function* (l, r) { yield WRITE_ONCE(l.z!, 2); yield smp_mb(); r.r1 = yield READ_ONCE(l.x!); }),
    ],
    exists: '1:r0=1 /\\ z=2 /\\ 2:r1=0',
  },
  {
    name: 'Atomic-RMW+mb__after_atomic-is-stronger-than-acquire', source: AT, result: 'Never', locations: ['x', 'y'],
    threads: [
      P(function* (l, r) { r.r0 = yield READ_ONCE(l.x!); yield smp_rmb(); r.r1 = yield atomic_read(l.y!); }),
      P(function* (l) { yield atomic_inc(l.y!); yield smp_mb__after_atomic(); yield WRITE_ONCE(l.x!, 1); }),
    ],
    exists: '0:r0=1 /\\ 0:r1=0',
  },
  {
    name: 'Atomic-RMW-ops-are-atomic-WRT-atomic_set', source: AT, result: 'Never', locations: ['v'], init: { v: 1 },
    threads: [
      P(function* (l) { yield atomic_add_unless(l.v!, 1, 0); }),
      P(function* (l) { yield atomic_set(l.v!, 0); }),
    ],
    exists: 'v=2',
  },
  {
    name: 'cmpxchg-fail-ordered-1', source: AT, result: 'Never', locations: ['x', 'y', 'z'],
    threads: [
      P(function* (l, r) { yield WRITE_ONCE(l.x!, 1); r.r1 = yield cmpxchg(l.z!, 1, 0); yield smp_mb__after_atomic(); r.r0 = yield READ_ONCE(l.y!); }),
      P(function* (l, r) { yield WRITE_ONCE(l.y!, 1); r.r1 = yield cmpxchg(l.z!, 1, 0); yield smp_mb__after_atomic(); r.r0 = yield READ_ONCE(l.x!); }),
    ],
    exists: '0:r0=0 /\\ 1:r0=0',
  },
  {
    name: 'cmpxchg-fail-ordered-2', source: AT, result: 'Never', locations: ['x', 'y'],
    threads: [
      P(function* (l, r) { yield WRITE_ONCE(l.x!, 1); r.r1 = yield cmpxchg(l.y!, 0, 1); }),
      P(function* (l, r) { r.r1 = yield cmpxchg(l.y!, 0, 1); yield smp_mb__after_atomic(); r.r2 = yield READ_ONCE(l.x!); }),
    ],
    exists: '0:r1=0 /\\ 1:r1=1 /\\ 1:r2=0',
  },
  {
    name: 'cmpxchg-fail-unordered-1', source: AT, result: 'Sometimes', locations: ['x', 'y', 'z'],
    threads: [
      P(function* (l, r) { yield WRITE_ONCE(l.x!, 1); r.r1 = yield cmpxchg(l.z!, 1, 0); r.r0 = yield READ_ONCE(l.y!); }),
      P(function* (l, r) { yield WRITE_ONCE(l.y!, 1); r.r1 = yield cmpxchg(l.z!, 1, 0); r.r0 = yield READ_ONCE(l.x!); }),
    ],
    exists: '0:r0=0 /\\ 1:r0=0',
  },
  {
    name: 'cmpxchg-fail-unordered-2', source: AT, result: 'Sometimes', locations: ['x', 'y'],
    threads: [
      P(function* (l, r) { yield WRITE_ONCE(l.x!, 1); r.r1 = yield cmpxchg(l.y!, 0, 1); }),
      P(function* (l, r) { r.r1 = yield cmpxchg(l.y!, 0, 1); r.r2 = yield READ_ONCE(l.x!); }),
    ],
    exists: '0:r1=0 /\\ 1:r1=1 /\\ 1:r2=0',
  },
];

const LK = 'Documentation/litmus-tests/locking/';

/** Double-checked locking (control flow in the threads, locks). */
const dcl = (acquire: boolean): LitmusThread => P(function* (l, r) {
  r.r0 = yield acquire ? smp_load_acquire(l.flag!) : READ_ONCE(l.flag!);
  if (r.r0 === 0) {
    yield spin_lock(l.lck!);
    r.r1 = yield READ_ONCE(l.flag!);
    if (r.r1 === 0) {
      yield WRITE_ONCE(l.data!, 1);
      yield acquire ? smp_store_release(l.flag!, 1) : WRITE_ONCE(l.flag!, 1);
    }
    yield spin_unlock(l.lck!);
  }
  r.r2 = yield READ_ONCE(l.data!);
});

export const kernelLockingLitmusTests: readonly LitmusTest[] = [
  { name: 'DCL-broken', source: LK, result: 'Sometimes', locations: ['lck', 'flag', 'data'], threads: [dcl(false), dcl(false)], exists: '0:r2=0 \\/ 1:r2=0' },
  { name: 'DCL-fixed', source: LK, result: 'Never', locations: ['lck', 'flag', 'data'], threads: [dcl(true), dcl(true)], exists: '0:r2=0 \\/ 1:r2=0' },
  {
    name: 'RM-fixed', source: LK, result: 'Never', locations: ['lck', 'x', 'y'],
    threads: [
      P(function* (l, r) { yield spin_lock(l.lck!); r.r2 = (yield atomic_inc_return(l.y!)) + 1; yield WRITE_ONCE(l.x!, 1); yield spin_unlock(l.lck!); }),
      P(function* (l, r) {
        r.r0 = yield READ_ONCE(l.x!); r.r1 = yield READ_ONCE(l.x!);
        yield spin_lock(l.lck!); r.r2 = (yield atomic_inc_return(l.y!)) + 1; yield spin_unlock(l.lck!);
      }),
    ],
    filter: '1:r0=0 /\\ 1:r1=1',
    exists: '1:r2=1',
  },
  {
    // Its Result line says DEADLOCK (the filter's state needs P0's store between P1's two reads, inside P1's
    // critical section); herd7 7.58 with mainline's tools/memory-model answers "Never 0 0": no execution
    // passes the filter.
    name: 'RM-broken', source: LK, result: 'Never', locations: ['lck', 'x', 'y'],
    threads: [
      P(function* (l, r) { yield spin_lock(l.lck!); r.r2 = (yield atomic_inc_return(l.y!)) + 1; yield WRITE_ONCE(l.x!, 1); yield spin_unlock(l.lck!); }),
      P(function* (l, r) {
        yield spin_lock(l.lck!);
        r.r0 = yield READ_ONCE(l.x!); r.r1 = yield READ_ONCE(l.x!); r.r2 = (yield atomic_inc_return(l.y!)) + 1;
        yield spin_unlock(l.lck!);
      }),
    ],
    filter: '1:r0=0 /\\ 1:r1=1',
    exists: '1:r2=1',
  },
];

/**
 * 2+2W: no kernel test has this shape, so these carry no `Result:` line. The
 * verdicts are worked out by hand from linux-kernel.cat: without fences nothing
 * orders the writes; smp_wmb() on both sides still allows the cycle (prop takes
 * one coherence link, and two are needed); smp_mb() forbids it (pb).
 */
export const derivedLitmusTests: readonly LitmusTest[] = [
  {
    // Load buffering on one location: each thread reads x, then writes it; each reading the
    // other's write puts each write before the other in coherence order (CoRW twice).
    name: 'CoRW2+poonceonces', result: 'Never', locations: ['x'],
    threads: [
      P(function* (l, r) { r.r0 = yield READ_ONCE(l.x!); yield WRITE_ONCE(l.x!, 2); }),
      P(function* (l, r) { r.r0 = yield READ_ONCE(l.x!); yield WRITE_ONCE(l.x!, 1); }),
    ],
    exists: '0:r0=1 /\\ 1:r0=2',
  },
  {
    name: '2+2W+poonceonces', result: 'Sometimes', locations: ['x', 'y'],
    threads: [
      P(function* (l) { yield WRITE_ONCE(l.x!, 1); yield WRITE_ONCE(l.y!, 2); }),
      P(function* (l) { yield WRITE_ONCE(l.y!, 1); yield WRITE_ONCE(l.x!, 2); }),
    ],
    exists: 'x=1 /\\ y=1',
  },
  {
    name: '2+2W+fencewmbonceonces', source: 'paulmckrcu/litmus manual/kernel/C-2+2W+o-wmb-o+o-wmb-o.litmus', result: 'Sometimes', locations: ['x0', 'x1'],
    threads: [
      P(function* (l) { yield WRITE_ONCE(l.x0!, 1); yield smp_wmb(); yield WRITE_ONCE(l.x1!, 2); }),
      P(function* (l) { yield WRITE_ONCE(l.x1!, 1); yield smp_wmb(); yield WRITE_ONCE(l.x0!, 2); }),
    ],
    exists: 'x0=1 /\\ x1=1',
  },
  {
    name: '2+2W+fencembonceonces', result: 'Never', locations: ['x', 'y'],
    threads: [
      P(function* (l) { yield WRITE_ONCE(l.x!, 1); yield smp_mb(); yield WRITE_ONCE(l.y!, 2); }),
      P(function* (l) { yield WRITE_ONCE(l.y!, 1); yield smp_mb(); yield WRITE_ONCE(l.x!, 2); }),
    ],
    exists: 'x=1 /\\ y=1',
  },
];
