import type { FenceKind, OpDeps } from '../op.js';
import type { Alternative } from './choice.js';

/** A read event. */
export const READ = 0;
/** A write event. */
export const WRITE = 1;
/** A fence event. */
export const FENCE_EVENT = 2;

export type EventKind = typeof READ | typeof WRITE | typeof FENCE_EVENT;

// Tags: the sets of linux-kernel.bell and lock.cat an event belongs to.
/** READ_ONCE, WRITE_ONCE, and the relaxed parts of atomics. */
export const ONCE = 1 << 0;
/** smp_load_acquire, the read of an _acquire atomic, a lock's read (LKR). */
export const ACQUIRE = 1 << 1;
/** smp_store_release, the write of a _release atomic, an unlock (UL). */
export const RELEASE = 1 << 2;
/** The read of an atomic that returns no value (atomic_inc): smp_rmb does not order it. */
export const NORETURN = 1 << 3;
/** Part of an atomic read-modify-write instruction (herd's RMW set), a failed cmpxchg's read included. */
export const RMW_SET = 1 << 4;
/** The initial value of a location (IW). */
export const INIT = 1 << 5;
/** A spin_lock's read (LKR) and write (LKW), and spin_unlock's write (UL). */
export const LKR = 1 << 6;
export const LKW = 1 << 7;
export const UL = 1 << 8;
// Fence flavours (the F[Barriers] of linux-kernel.bell).
export const MB = 1 << 9;
export const RMB = 1 << 10;
export const WMB = 1 << 11;
export const BEFORE_ATOMIC = 1 << 12;
export const AFTER_ATOMIC = 1 << 13;
export const AFTER_SPINLOCK = 1 << 14;
export const AFTER_UNLOCK_LOCK = 1 << 15;
/** A plain (unmarked) access: `*x = 1`, `r = *x` (linux-kernel.bell: Plain = M \ Marked). */
export const PLAIN = 1 << 16;
// RCU and SRCU (linux-kernel.bell: F[rcu-lock], F[rcu-unlock], F[sync-rcu], and SRCU[srcu-lock], ...).
export const RCU_LOCK = 1 << 17;
export const RCU_UNLOCK = 1 << 18;
export const SYNC_RCU = 1 << 19;
export const SRCU_LOCK = 1 << 20;
export const SRCU_UNLOCK = 1 << 21;
export const SYNC_SRCU = 1 << 22;

/** One event of an execution graph. */
export interface MemEvent {
  /** Position in `ExecutionGraph.events`. */
  readonly id: number;
  /** Thread, -1 for an initial write. */
  readonly tid: number;
  /** The step index within the thread of the op that made it (initial write: its location). */
  readonly index: number;
  /** Global step of the run (-1 for an initial write). */
  readonly step: number;
  /**
   * Program order among the events of one op: 0 for a fence before the access,
   * 1 for the access (a read-modify-write's read), 2 for a read-modify-write's
   * write, 3 for a fence after it.
   */
  readonly sub: number;
  readonly kind: EventKind;
  /** Location, -1 for a fence. */
  readonly loc: number;
  /** The value written, or read. */
  value: number;
  readonly tags: number;
  /** For a read: the write it reads from; -1 while it waits for a promised store. */
  rf: number;
  /** For a read of a store not yet performed: that store. */
  promise: Alternative | undefined;
  /** The other half of a successful read-modify-write, or -1. */
  rmw: number;
  /** What the op was (`READ_ONCE`, `xchg`), for witnesses. */
  readonly fn: string;
  /**
   * The dependencies of the event, as the step indexes (within its thread) of the
   * reads they come from: its address (`addr`), the value it writes (`data`), and
   * the branches taken before it in program order (`ctrl`). Absent: none.
   */
  readonly deps?: EventDeps | undefined;
  /** For an SRCU event: the srcu_struct (its location), which `& loc` compares. */
  readonly domain?: number | undefined;
}

/** The reads an event depends on, by their step index within the event's thread. */
export type EventDeps = OpDeps;

/**
 * The execution graph of one run under the weak model: events, each thread's
 * events in program order, the reads-from edges, and each location's store
 * history in coherence order (its initial value first).
 * @remarks Since 0.1.0
 */
export class ExecutionGraph {
  readonly events: MemEvent[] = [];
  /** Location -> writes in coherence order. */
  readonly co = new Map<number, number[]>();
  /** Thread -> its events in program order. */
  readonly byThread = new Map<number, number[]>();
  /** How many events are grace periods (F[sync-rcu], SRCU[sync-srcu]). */
  gracePeriods = 0;
  /** How many events open a read-side critical section (F[rcu-lock], SRCU[srcu-lock]). */
  sectionLocks = 0;

  add(e: Omit<MemEvent, 'id'>): MemEvent {
    // Every field spelled out (not a spread): one object shape, and this runs for every event of every check.
    const ev: MemEvent = {
      id: this.events.length, tid: e.tid, index: e.index, step: e.step, sub: e.sub, kind: e.kind, loc: e.loc, value: e.value, tags: e.tags,
      rf: e.rf, promise: e.promise, rmw: e.rmw, fn: e.fn, deps: e.deps, domain: e.domain,
    };
    this.events.push(ev);
    if ((ev.tags & (SYNC_RCU | SYNC_SRCU)) !== 0) this.gracePeriods++;
    if ((ev.tags & (RCU_LOCK | SRCU_LOCK)) !== 0) this.sectionLocks++;
    if (ev.tid >= 0) {
      let list = this.byThread.get(ev.tid);
      if (list === undefined) this.byThread.set(ev.tid, (list = []));
      list.push(ev.id);
    }
    return ev;
  }

  /** Removes the newest event (a stand-in added for a check); it must be in no store history. */
  removeLast(): void {
    const ev = this.events.pop();
    if (ev === undefined) return;
    if (ev.tid >= 0) this.byThread.get(ev.tid)!.pop();
    if ((ev.tags & (SYNC_RCU | SYNC_SRCU)) !== 0) this.gracePeriods--;
    if ((ev.tags & (RCU_LOCK | SRCU_LOCK)) !== 0) this.sectionLocks--;
  }

  /** The store history of a location, creating its initial write (value `initial`) on first use. */
  history(loc: number, initial: number): number[] {
    let h = this.co.get(loc);
    if (h === undefined) {
      const iw = this.add({ tid: -1, index: loc, step: -1, sub: 1, kind: WRITE, loc, value: initial, tags: INIT | ONCE, rf: -1, promise: undefined, rmw: -1, fn: 'init' });
      h = [iw.id];
      this.co.set(loc, h);
    }
    return h;
  }

  /** The write thread `tid`'s `index`-th step made to `loc`, if it was performed. */
  findStore(loc: number, tid: number, index: number): MemEvent | undefined {
    const h = this.co.get(loc);
    if (h === undefined) return undefined;
    for (const id of h) {
      const e = this.events[id]!;
      if (e.tid === tid && e.index === index) return e;
    }
    return undefined;
  }

  /** A store as a choice alternative. */
  alternative(e: MemEvent): Alternative {
    return { tid: e.tid, index: e.index, value: e.value };
  }
}

/** The event tag of each fence kind (F[mb], F[rcu-lock], ...). */
export const FENCE_TAGS: Partial<Record<FenceKind, number>> = {
  mb: MB, rmb: RMB, wmb: WMB, 'before-atomic': BEFORE_ATOMIC, 'after-atomic': AFTER_ATOMIC,
  'after-spinlock': AFTER_SPINLOCK, 'after-unlock-lock': AFTER_UNLOCK_LOCK,
  'rcu-lock': RCU_LOCK, 'rcu-unlock': RCU_UNLOCK, 'sync-rcu': SYNC_RCU, 'srcu-lock': SRCU_LOCK, 'srcu-unlock': SRCU_UNLOCK, 'sync-srcu': SYNC_SRCU,
};
/** The fences whose op names an srcu_struct (its `loc`). */
export const SRCU_FENCES = SRCU_LOCK | SRCU_UNLOCK | SYNC_SRCU;
