/**
 * The operations a thread yields to the engine. Each yield is one step: the
 * scheduler may run another thread before the operation takes effect. The
 * engine performs the operation on its word memory and hands the result back
 * as the value of the `yield`.
 *
 * The engine knows locations (word indexes), not what they mean: a label and an
 * opaque argument let a higher layer describe the step in a race diagram.
 */
export const LOAD = 0;
export const STORE = 1;
/** Atomic read-modify-write: `mem[loc] = f(mem[loc], a, b)`, returns the old value. */
export const RMW = 2;
/** Blocks until `(mem[loc] & a) === 0`, then sets those bits atomically (spinlock, bit lock). */
export const LOCK = 3;
/** Clears bits `a` of `mem[loc]` (release). */
export const UNLOCK = 4;
/** Blocks until `(mem[loc] & a) === b`; returns the word. */
export const WAIT = 5;
/** A memory barrier; a scheduling point with no location. */
export const FENCE = 6;
/** A bare scheduling point (cpu_relax, cond_resched). */
export const YIELD = 7;
/**
 * A choice of the engine with `a` outcomes (0 .. a - 1, at least 2), touching no
 * location: the value of the `yield` is the outcome. Every strategy decides it
 * (exhaustive search tries each outcome, replay takes the recorded one), and it
 * is kept in replay tokens. Outside the threads (setup, teardown) it is 0.
 * The layer above gives it a meaning (an injected allocation failure).
 * @remarks Since 0.1.0
 */
export const CHOICE = 8;

export type OpKind = typeof LOAD | typeof STORE | typeof RMW | typeof LOCK | typeof UNLOCK | typeof WAIT | typeof FENCE | typeof YIELD | typeof CHOICE;

/** Atomic read-modify-write flavours. */
export const RMW_ADD = 0;
export const RMW_OR = 1;
export const RMW_ANDNOT = 2;
export const RMW_XCHG = 3;
export const RMW_CMPXCHG = 4;
/** Adds `a` unless the word equals `b` (atomic_add_unless). */
export const RMW_ADD_UNLESS = 5;

export type RmwKind = 0 | 1 | 2 | 3 | 4 | 5;

/**
 * Fence flavours, for the weak memory model; no effect under sequential consistency.
 * `before-atomic`, `after-atomic`, `after-spinlock` and `after-unlock-lock` are
 * smp_mb__before_atomic() and friends.
 */
export type FenceKind = 'mb' | 'rmb' | 'wmb' | 'acquire' | 'release' | 'rcu' | 'before-atomic' | 'after-atomic' | 'after-spinlock' | 'after-unlock-lock'
  | RcuKind;

/**
 * RCU and SRCU primitives as fences for the weak memory model (LKMM's
 * F[rcu-lock], F[rcu-unlock], F[sync-rcu] and SRCU[srcu-lock], ...; an SRCU
 * op's `loc` is its srcu_struct). Under sequential consistency they do nothing:
 * grace periods there are the scheduler's (kernel/rcu.ts).
 */
export type RcuKind = 'rcu-lock' | 'rcu-unlock' | 'sync-rcu' | 'srcu-lock' | 'srcu-unlock' | 'sync-srcu';

/**
 * The reads an op depends on under the weak memory model, by the step index
 * (within the op's thread) of the op that read: its address (`addr`), the
 * value it writes (`data`), and the branches taken before it (`ctrl`);
 * linux-kernel.cat's addr, data and ctrl. No effect under sequential consistency.
 */
export interface OpDeps {
  readonly addr?: readonly number[] | undefined;
  readonly data?: readonly number[] | undefined;
  readonly ctrl?: readonly number[] | undefined;
}

/**
 * Ordering of an access under the weak memory model (LKMM); no effect under
 * sequential consistency. `once`: READ_ONCE/WRITE_ONCE, relaxed atomics (the
 * default for LOAD and STORE). `acquire`: smp_load_acquire, _acquire atomics.
 * `release`: smp_store_release, _release atomics. `mb`: fully ordered atomics
 * (xchg, cmpxchg, value-returning atomics: the default for RMW), smp_store_mb
 * on a STORE. `noreturn`: atomics that return nothing (atomic_inc). `plain`:
 * a plain C access (`*x = 1`, `r = *x`) on a LOAD or STORE, which LKMM checks
 * for data races.
 */
export type AccessOrder = 'once' | 'acquire' | 'release' | 'mb' | 'noreturn' | 'plain';

export interface Op {
  /** What the step does. */
  readonly kind: OpKind;
  /** The word it touches, -1 for none. */
  readonly loc: number;
  /** RMW flavour, LOCK/UNLOCK/WAIT mask, or the stored value. */
  readonly a: number;
  /** Second operand (cmpxchg new value, WAIT expected value, add-unless limit). */
  readonly b: number;
  /** RMW flavour. */
  readonly rmw: RmwKind;
  /**
   * For a STORE: the store completes a non-atomic read-modify-write whose load was
   * this thread's previous access to `loc` (`x |= bit`, `flags &= ~x`).
   */
  readonly paired: boolean;
  /** A second word written by the same store (the upper half of a 64-bit word), or -1. */
  readonly loc2: number;
  /** The kernel-level operation this step belongs to, for diagrams. */
  readonly fn: string;
  /** An opaque argument a describer can name (an object of the layer above). */
  readonly arg: number;
  /**
   * The location is what a diagram shows as the argument, by the world's name
   * for it, with the value a STORE writes (litmus ops: `READ_ONCE(x)`, `WRITE_ONCE(x, 1)`).
   */
  readonly locArg?: boolean | undefined;
  /** Renders the step's result for a diagram (`== false`). */
  readonly show: ((value: number) => string) | undefined;
  /**
   * Fence flavour. On a LOAD, STORE or RMW, only `rcu-lock`, `rcu-unlock` or
   * `sync-rcu`: the access is also that RCU primitive under the weak model
   * (F[rcu-unlock] and F[sync-rcu] before it, F[rcu-lock] after it).
   */
  readonly fence: FenceKind | undefined;
  /** For WAIT: the condition on the word, instead of `(word & a) === b`. */
  readonly pred?: ((word: number) => boolean) | undefined;
  /** Ordering under the weak memory model (default: `once` for LOAD/STORE, `mb` for RMW). */
  readonly order?: AccessOrder | undefined;
  /** Dependencies on earlier reads of the thread, for the weak memory model. */
  readonly deps?: OpDeps | undefined;
}

const base = { loc: -1, a: 0, b: 0, rmw: 0 as RmwKind, paired: false, loc2: -1, fn: '', arg: -1, show: undefined, fence: undefined, pred: undefined };

/** Builds an op; fields not given take neutral defaults. */
export function op(kind: OpKind, fields: Partial<Op>): Op {
  return { ...base, ...fields, kind };
}

/** True when the op writes its location. */
export function isWrite(o: Op): boolean {
  return o.kind === STORE || o.kind === RMW || o.kind === LOCK || o.kind === UNLOCK;
}

/** True when the op can block (its thread is enabled only when a condition on memory holds). */
export function isBlocking(o: Op): boolean {
  return o.kind === LOCK || o.kind === WAIT;
}

/**
 * True when the order of two steps of different threads can matter: they touch a
 * common word (a store's second word included) and at least one of them writes it.
 */
export function dependent(a: Op, b: Op): boolean {
  if (a.loc < 0 || b.loc < 0) return a.loc2 >= 0 && b.loc2 >= 0 && a.loc2 === b.loc2;
  const sameLoc = a.loc === b.loc || (a.loc2 >= 0 && (a.loc2 === b.loc || a.loc2 === b.loc2)) || (b.loc2 >= 0 && b.loc2 === a.loc);
  return sameLoc && (isWrite(a) || isWrite(b));
}

/** A WAIT can proceed: its predicate holds, or `(word & a) === b`. */
export function waitReady(o: Op, word: number): boolean {
  return o.pred !== undefined ? o.pred(word) : (word & o.a) === o.b;
}

/** The word an RMW op leaves when it finds `old`. */
export function rmw(o: Op, old: number): number {
  return rmwValue(o.rmw, o.a, o.b, old);
}

/** The value an RMW of flavour `kind` with operands `a` and `b` writes over `old` (rmw() of an op with those fields). */
export function rmwValue(kind: RmwKind, a: number, b: number, old: number): number {
  switch (kind) {
    case RMW_ADD:
      return (old + a) | 0;
    case RMW_OR:
      return old | a;
    case RMW_ANDNOT:
      return old & ~a;
    case RMW_XCHG:
      return a;
    case RMW_CMPXCHG:
      return old === a ? b : old;
    case RMW_ADD_UNLESS:
      return old === b ? old : (old + a) | 0;
    default:
      return old;
  }
}
