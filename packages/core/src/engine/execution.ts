import { CHOICE, FENCE, LOAD, LOCK, RMW, rmw, rmwValue, STORE, UNLOCK, WAIT, waitReady, YIELD, type Op, type RmwKind } from './op.js';
import type { ThreadBody, ThreadGen, ThreadState, TraceStep } from './thread.js';

export type { ThreadBody, ThreadGen, ThreadState, TraceStep } from './thread.js';
export { rmw, waitReady } from './op.js';
import type { Memory } from './memory.js';
import { locationLabel, stepLabel, type Namer } from './step-label.js';
import type { Alternative } from './memory-model/choice.js';
import type { Decision } from './decision.js';
import type { Violation, ViolationKind, ViolationPayload } from './violation.js';
import { ScheduleLog } from './schedule-log.js';
import { safeString } from './safe-string.js';

/** What a run needs from the layer above: memory, threads, and the checks at the end. */
export interface World extends Namer {
  readonly memory: Memory;
  readonly threads: readonly ThreadBody[];
  /** Runs after every thread finished without a violation (teardown, leak checks). */
  finish?(exec: Execution): void;
  /** The running thread's call frames (outermost first), for recorded runs. */
  framesOf?(tid: number): readonly string[];
  /** A number for the running thread's outermost call, new at each call: tells two calls written alike apart. */
  callOf?(tid: number): number;
  /** Called after every thread step (per-step invariants). */
  afterStep?: ((exec: Execution) => void) | undefined;
}

/** A program the engine can run many times: each run builds a fresh world. */
export interface Program {
  readonly name: string;
  /** Builds the world for one run; sequential setup happens here. */
  init(exec: Execution): World;
}

/** Picks the next thread at each step. */
export interface Chooser {
  /** Ask even when only one thread is enabled. */
  readonly everyStep?: boolean;
  /** Returns one of `enabled` (thread ids, ascending), or -1 to abandon the run as redundant. */
  choose(exec: Execution, enabled: readonly number[]): number;
  /** Told after each step. */
  onStep?(exec: Execution, tid: number, o: Op, value: number): void;
  /**
   * Weak memory model: which alternative the step being performed takes (the store a
   * load reads, the place of a store in coherence order), as an index into
   * `alternatives` (0 is what sequential consistency does), or, for a load, a store
   * the chooser was offered that a later step performs. Absent: 0.
   * `allowed(i)` (when given) says whether taking alternative `i` keeps the run an
   * execution the model allows (0 always does); a chooser that asks it never starts
   * a run the check after the step would abandon. Each call costs an axiom check.
   */
  pick?(exec: Execution, alternatives: readonly Alternative[], allowed?: (i: number) => boolean): number | Alternative;
  /**
   * Weak memory model: the load performed at global step `step` could also read
   * `store`, performed after it. `allowed` (when given) says whether a run taking
   * it would get past the load; a chooser calls it once, for a store it keeps.
   */
  offer?(exec: Execution, step: number, store: Alternative, allowed?: () => boolean): void;
  /**
   * A CHOICE step (op.ts) is being performed: its outcome, from 0 to `count - 1`.
   * Absent, or a value out of range: 0.
   */
  decide?(exec: Execution, count: number): number;
}

/** A weak memory model for one run (memory-model/weak-memory.ts); absent: sequential consistency. */
export interface WeakModel {
  /** Performs a thread's op and returns its result, as `Execution.perform` does under sequential consistency. */
  perform(exec: Execution, t: ThreadState, o: Op, chooser: Chooser): number;
  /**
   * After the threads' last step, or a stop: abandons a run whose execution is not
   * one (`exec.pruned`), such as one that stopped while a load waited for a store.
   */
  end(exec: Execution): void;
  /**
   * A thread that should run next if it can (-1: none): one that must still
   * perform a store a load already read (load buffering). Running it first shows
   * soon whether the store comes; exploration stays complete whatever runs first.
   */
  preferred?(): number;
  /**
   * After a run abandoned because a promised store came with another value:
   * the steps, after the load that read the promise, at which the promising
   * thread read a value. Another thread's store performed before one of them
   * could give that thread the value it promised, so a complete exploration
   * tries the other threads there too (the run, cut short, shows none of the
   * races that would say so). Empty when the run was not abandoned for that.
   */
  retrySteps?(): readonly number[];
  /**
   * Before each scheduling decision: whether the run can no longer become an
   * execution whatever runs next (a store a load read can only come after an op,
   * already the pending one of the thread that must make the store, whose events
   * make the graph inconsistent). Such a run is abandoned (`pruned`) at once,
   * before it branches on anything.
   */
  doomed?(exec: Execution): boolean;
}

/** Options of one run. */
export interface ExecutionOptions {
  /** Steps after which the run stops with `step-limit`. */
  readonly maxSteps?: number;
  /** Record every step (for diagrams and DPOR). */
  readonly record?: boolean;
  /** Makes the run's weak memory model (default: none, sequential consistency). */
  readonly weak?: (() => WeakModel) | undefined;
}

/** Thrown inside a run to abandon it (a violation stopped it). */
export class StopRun extends Error {
  constructor() {
    super('run stopped');
  }
}

/** Steps per run before `step-limit` when `maxSteps` is not given. */
export const DEFAULT_MAX_STEPS = 20_000;

/**
 * One run of a program under a chooser: the engine's `execution.rs`.
 * @remarks Since 0.1.0
 */
export class Execution {
  memory!: Memory;
  world!: World;
  readonly threads: ThreadState[] = [];
  /** The schedule, run-length encoded (a long run of one thread is one entry). */
  readonly log = new ScheduleLog();
  /** The thread chosen at each step (derived from `log` on demand). */
  get schedule(): readonly number[] {
    return this.log.schedule();
  }
  /** The enabled threads (a bitmask) when each step was chosen (derived from `log` on demand). */
  get enabledAt(): readonly number[] {
    return this.log.enabledAt();
  }
  /** The chooser ended the run early as redundant (sleep-set blocked). */
  pruned = false;
  /** CHOICE steps the threads performed. */
  choiceSteps = 0;
  /** The outcomes of the CHOICE steps other than 0, in the order taken. */
  readonly decisions: Decision[] = [];
  readonly trace: TraceStep[] | undefined;
  readonly violations: Violation[] = [];
  /** Running thread id; -1 in setup and teardown. */
  current = -1;
  /** Name of what runs outside the threads (`setup`, `teardown`). */
  phase: 'setup' | 'threads' | 'teardown' | 'done' = 'setup';
  /** Global step counter (thread steps only). */
  step = 0;
  stopped = false;
  private readonly maxSteps: number;
  /** The locks held now (a LOCK op's word and bit), and by which thread: a deadlock report names the holders. */
  private readonly locksHeld = new Map<number, number>();
  /** The run's weak memory model, if it has one. */
  readonly weak: WeakModel | undefined;

  constructor(readonly program: Program, options: ExecutionOptions = {}) {
    this.maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
    this.weak = options.weak?.();
    this.trace = options.record === true ? [] : undefined;
  }

  /** Name of the running thread, or the phase outside threads. */
  get currentName(): string {
    return this.current >= 0 ? this.threads[this.current]!.name : (this.sequentialName ?? this.phase);
  }

  /** The name given to runSequential while it runs (setup, teardown, or a standalone kernel's k.run). */
  private sequentialName: string | undefined;

  /** Records a violation, with the layer above's payload if any. Every violation stops the run: the first one is the one that matters. */
  report(kind: ViolationKind, message: string, extra: Partial<Violation> & ViolationPayload = {}): void {
    this.violations.push({ kind, message, thread: this.currentName, step: this.phase === 'setup' ? -1 : this.step, ...extra });
    this.stopped = true;
  }

  /** Gives the run its memory; a program's `init` calls this before its setup runs. */
  attach(memory: Memory): void {
    this.memory = memory;
  }

  /** Runs the program to the end under `chooser`. */
  run(chooser: Chooser): this {
    try {
      this.world = this.program.init(this);
    } catch (e) {
      if (e instanceof StopRun) return this;
      throw e;
    }
    this.memory = this.world.memory;
    if (this.stopped) return this;
    const bodies = this.world.threads;
    if (bodies.length > 1) this.memory.track();
    this.phase = 'threads';
    for (let i = 0; i < bodies.length; i++) {
      const b = bodies[i]!;
      const t: ThreadState = {
        id: i, name: b.name, daemon: b.daemon === true, gen: undefined as unknown as ThreadGen,
        pending: undefined, done: false, steps: 0, lastLoadLoc: -1, lastLoadStep: -1, lastLoadValue: 0,
      };
      this.threads.push(t);
    }
    for (const t of this.threads) {
      this.current = t.id;
      try {
        t.gen = bodies[t.id]!.start();
      } catch (e) {
        this.threadError(t, e);
        return this;
      }
      this.advance(t, 0);
      if (this.stopped) return this;
    }
    this.loop(chooser);
    this.weak?.end(this);
    this.current = -1;
    if (!this.stopped) {
      this.phase = 'teardown';
      try {
        this.world.finish?.(this);
      } catch (e) {
        if (!(e instanceof StopRun)) throw e;
      }
    }
    this.phase = 'done';
    return this;
  }

  private loop(chooser: Chooser): void {
    const threads = this.threads;
    const enabled: number[] = [];
    const words = this.memory.words;
    for (;;) {
      let n = 0;
      let live = 0;
      let mask = 0;
      for (let i = 0; i < threads.length; i++) {
        const t = threads[i]!;
        if (t.done) continue;
        if (!t.daemon) live++;
        const o = t.pending!;
        if (o.kind === LOCK) {
          if ((words[o.loc]! & o.a) !== 0) continue;
        } else if (o.kind === WAIT) {
          if (!waitReady(o, words[o.loc]!)) continue;
        }
        enabled[n++] = i;
        mask |= 1 << i;
      }
      // Most steps leave the enabled set's size as it was: resizing the array only then saves a trim per step.
      if (enabled.length !== n) enabled.length = n;
      if (this.weak?.doomed !== undefined && this.weak.doomed(this)) {
        this.pruned = true;
        this.stopped = true;
        return;
      }
      if (n === 0) {
        if (live > 0) this.deadlock();
        return;
      }
      // Daemons are scheduled like any thread; once only daemons are left they run while they can.
      const tid = enabled.length === 1 && chooser.everyStep !== true ? enabled[0]! : chooser.choose(this, enabled);
      if (tid < 0) {
        this.pruned = true;
        this.stopped = true;
        return;
      }
      this.log.push(tid, mask);
      this.execute(threads[tid]!, chooser);
      if (this.stopped) return;
      if (this.step >= this.maxSteps) {
        this.stepLimit();
        return;
      }
    }
  }

  private execute(t: ThreadState, chooser: Chooser): void {
    const o = t.pending!;
    this.current = t.id;
    const value = o.kind === CHOICE ? this.decide(t, o, chooser) : this.weak === undefined ? this.perform(t, o) : this.weak.perform(this, t, o, chooser);
    this.step++;
    t.steps++;
    if (o.kind === LOCK) this.locksHeld.set(lockKey(o), t.id);
    else if (o.kind === UNLOCK) this.locksHeld.delete(lockKey(o));
    if (this.trace !== undefined) this.trace.push({ tid: t.id, op: o, value: o.kind === STORE ? o.a : value, frames: this.world.framesOf?.(t.id) ?? [], call: this.world.callOf?.(t.id) ?? 0 });
    chooser.onStep?.(this, t.id, o, value);
    if (this.world.afterStep !== undefined) this.world.afterStep(this);
    if (this.stopped) return;
    this.advance(t, value);
  }

  /** A CHOICE step: the chooser's outcome, recorded when it is not 0. */
  private decide(t: ThreadState, o: Op, chooser: Chooser): number {
    const count = o.a;
    const v = chooser.decide?.(this, count) ?? 0;
    const value = Number.isInteger(v) && v >= 0 && v < count ? v : 0;
    this.choiceSteps++;
    if (value !== 0) this.decisions.push({ tid: t.id, index: t.steps, value });
    return value;
  }

  /** Performs an op under sequential consistency and returns its result. */
  perform(t: ThreadState, o: Op): number {
    const loc = o.loc;
    switch (o.kind) {
      case LOAD:
        return this.performLoad(t, loc, o.fn, o.arg, o.show);
      case STORE:
        return this.performStore(t, loc, o.a, o.paired, o.loc2, o.fn, o.arg);
      case RMW:
        return this.performRmw(t, loc, o.rmw, o.a, o.b, o.fn, o.arg, o.show);
      case LOCK:
        return this.performLock(t, loc, o.a, o.fn, o.arg);
      case UNLOCK:
        return this.performUnlock(t, loc, o.a, o.fn, o.arg);
      case WAIT:
        return this.memory.words[loc]!;
      case FENCE:
      case YIELD:
      case CHOICE:
        return 0;
      default:
        throw new Error(`unknown op kind ${safeString((o as Op).kind)}`);
    }
  }

  private wrote(t: ThreadState, loc: number): void {
    const m = this.memory;
    if (m.lastWriteStep !== undefined && t.id >= 0) {
      m.lastWriteStep[loc] = this.step;
      m.lastWriter![loc] = t.id;
    }
  }

  private checkLostUpdate(t: ThreadState, loc: number): void {
    const m = this.memory;
    if (m.lastWriteStep === undefined || t.lastLoadLoc !== loc) return;
    const ws = m.lastWriteStep[loc]!;
    const writer = m.lastWriter![loc]!;
    if (ws > t.lastLoadStep && writer !== t.id && m.words[loc] !== t.lastLoadValue) {
      const other = this.threads[writer]!.name;
      // Reported while the step runs, before it is counted: steps are numbered from 1, as in diagrams.
      this.report('lost-update', `non-atomic store overwrites the update ${other} made at step ${ws + 1} after ${t.name} loaded the word at step ${t.lastLoadStep + 1}`, { step: this.step + 1 });
    }
  }

  private advance(t: ThreadState, value: number): void {
    let r: IteratorResult<Op, unknown>;
    try {
      r = t.gen.next(value);
    } catch (e) {
      if (e instanceof StopRun) {
        this.stopped = true;
        return;
      }
      this.threadError(t, e);
      return;
    }
    if (r.done === true) {
      t.done = true;
      t.pending = undefined;
    } else {
      const o = r.value;
      if (o === null || typeof o !== 'object' || typeof (o as Op).kind !== 'number') {
        const e = new TypeError(`thread ${t.name} yielded ${safeString(o)}, not a pagecheck op: call kernel functions with yield*, not yield`);
        // Raised by the engine, not thrown by the thread: its frames are the engine's, none of them the user's.
        e.stack = `${e.name}: ${e.message}`;
        this.threadError(t, e);
        return;
      }
      t.pending = o;
    }
  }

  private threadError(t: ThreadState, e: unknown): void {
    t.done = true;
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : safeString(e);
    this.current = t.id;
    this.report('thread-error', `thread ${t.name} threw ${msg}`, { error: e });
  }

  private deadlock(): void {
    const live = this.threads.filter((t) => !t.done && !t.daemon);
    this.current = -1;
    const waits = live.map((t) => this.waitOf(t));
    this.violations.push({ kind: 'deadlock', message: `every live thread is blocked: ${waits.join('; ')}`, thread: live.map((t) => t.name).join(', '), step: this.step });
    this.stopped = true;
  }

  /** What a blocked thread waits for, by the world's names, and who holds it: `A waits for spin_lock(&zone->lock), held by B`. */
  private waitOf(t: ThreadState): string {
    const o = t.pending!;
    const what = stepLabel(this.world, o, 0);
    if (o.kind !== LOCK) return `${t.name} waits in ${what} on ${locationLabel(this.world, o.loc)}`;
    const held = this.locksHeld.get(lockKey(o));
    const by = held === undefined ? 'taken before the threads started' : held === t.id ? `already held by ${t.name} itself` : `held by ${this.threads[held]?.name ?? held}`;
    return `${t.name} waits for ${what}, ${by}`;
  }

  private stepLimit(): void {
    const live = this.threads.filter((t) => !t.done && !t.daemon).sort((a, b) => b.steps - a.steps);
    const names = live.map((t) => `${t.name} (${t.steps} steps)`).join(', ');
    this.current = live[0]?.id ?? -1;
    this.report('step-limit', `run exceeded ${this.maxSteps} steps; still running: ${names}`);
  }

  /**
   * The pseudo-thread of the sequential run in progress (setup, teardown, `k.run`), undefined while
   * threads are scheduled: while it is set, no other thread can run between two steps, and the
   * layer above may perform steps at once (`stepSequential`) instead of yielding them.
   * @internal
   */
  seq: ThreadState | undefined;

  /**
   * Drives a generator to completion with no scheduling (setup, teardown).
   * A blocking op that cannot proceed is reported as a deadlock.
   */
  runSequential<R>(gen: Generator<Op, R, number>, name: string): R {
    const t: ThreadState = {
      id: -1, name, daemon: false, gen: gen as ThreadGen, pending: undefined, done: false,
      steps: 0, lastLoadLoc: -1, lastLoadStep: -1, lastLoadValue: 0,
    };
    const outer = this.sequentialName;
    const outerSeq = this.seq;
    this.sequentialName = name;
    this.seq = t;
    try {
      return this.driveSync(gen);
    } finally {
      this.sequentialName = outer;
      this.seq = outerSeq;
    }
  }

  /**
   * Inside a sequential run: drives a generator to completion, each op it yields performed by
   * `stepSequential`. Kernel code run at once (sync twins) drives the generators it meets with it.
   * @internal
   */
  driveSync<R>(gen: Generator<Op, R, number>): R {
    let value = 0;
    for (;;) {
      const r = gen.next(value);
      if (r.done === true) return r.value;
      value = this.stepSequential(r.value);
    }
  }

  /**
   * Inside a sequential run: performs one op at once and returns its result, as the sequential
   * driver does for each op a generator yields (the same checks, the same `perform`). A blocking op
   * that cannot proceed is reported as a deadlock, since nothing else runs that could release it.
   * @internal
   */
  stepSequential(o: Op): number {
    const t = this.seq;
    if (t === undefined) throw new Error('a step was performed at once outside a sequential run (setup, teardown, k.run): only code that no other thread can interleave with may run without yielding');
    if (o === null || typeof o !== 'object' || typeof (o as Op).kind !== 'number') {
      throw new TypeError(`${t.name} yielded ${safeString(o)}, not a pagecheck op: call kernel functions with yield*, not yield`);
    }
    if (o.kind === LOCK || o.kind === WAIT) {
      const words = this.memory.words;
      if ((o.kind === LOCK && (words[o.loc]! & o.a) !== 0) || (o.kind === WAIT && !waitReady(o, words[o.loc]!))) {
        this.violations.push({ kind: 'deadlock', message: `${t.name} blocks on ${stepLabel(this.world ?? {}, o, 0)} that nothing can release`, thread: t.name, step: this.step });
        this.stopped = true;
        throw new StopRun();
      }
    }
    const value = this.perform(t, o);
    if (this.stopped) throw new StopRun();
    return value;
  }

  // The sync twins' own steps: `stepSequential` of the op the fields describe (a LOAD, STORE, RMW,
  // LOCK or UNLOCK made by the kernel's accessors), with no op object made for the step. Each
  // `perform*` is what `perform` runs for that kind of op; the label fields (fn, arg, show) are passed
  // so a subclass that observes the steps sees every field of the op.

  /** @internal */
  seqLoad(loc: number, fn: string, arg: number, show: Show | undefined): number {
    const v = this.performLoad(this.seq ?? this.notSequential(), loc, fn, arg, show);
    if (this.stopped) throw new StopRun();
    return v;
  }

  /** @internal */
  seqStore(loc: number, value: number, paired: boolean, loc2: number, fn: string, arg: number): number {
    const v = this.performStore(this.seq ?? this.notSequential(), loc, value, paired, loc2, fn, arg);
    if (this.stopped) throw new StopRun();
    return v;
  }

  /** @internal */
  seqRmw(loc: number, kind: RmwKind, a: number, b: number, fn: string, arg: number, show: Show | undefined): number {
    const v = this.performRmw(this.seq ?? this.notSequential(), loc, kind, a, b, fn, arg, show);
    if (this.stopped) throw new StopRun();
    return v;
  }

  /** @internal */
  seqLock(loc: number, bits: number, fn: string, arg: number): number {
    const t = this.seq ?? this.notSequential();
    // Nothing else runs that could release it: a deadlock, as stepSequential reports it.
    if ((this.memory.words[loc]! & bits) !== 0) this.stepSequential({ kind: LOCK, loc, a: bits, b: 0, rmw: 0, paired: false, loc2: -1, fn, arg, show: undefined, fence: undefined, pred: undefined });
    const v = this.performLock(t, loc, bits, fn, arg);
    if (this.stopped) throw new StopRun();
    return v;
  }

  /** @internal */
  seqUnlock(loc: number, bits: number, fn: string, arg: number): number {
    const v = this.performUnlock(this.seq ?? this.notSequential(), loc, bits, fn, arg);
    if (this.stopped) throw new StopRun();
    return v;
  }

  /** `perform` of a LOAD. @internal */
  performLoad(t: ThreadState, loc: number, _fn: string, _arg: number, _show: Show | undefined): number {
    const v = this.memory.words[loc]!;
    t.lastLoadLoc = loc;
    t.lastLoadStep = this.step;
    t.lastLoadValue = v;
    return v;
  }

  /** `perform` of a STORE. @internal */
  performStore(t: ThreadState, loc: number, value: number, paired: boolean, loc2: number, _fn: string, _arg: number): number {
    const w = this.memory.words;
    if (paired) this.checkLostUpdate(t, loc);
    w[loc] = value;
    if (loc2 >= 0) w[loc2] = 0;
    this.wrote(t, loc);
    if (loc2 >= 0) this.wrote(t, loc2);
    return value;
  }

  /** `perform` of an RMW. @internal */
  performRmw(t: ThreadState, loc: number, kind: RmwKind, a: number, b: number, _fn: string, _arg: number, _show: Show | undefined): number {
    const w = this.memory.words;
    const old = w[loc]!;
    w[loc] = rmwValue(kind, a, b, old);
    this.wrote(t, loc);
    return old;
  }

  /** `perform` of a LOCK. @internal */
  performLock(t: ThreadState, loc: number, bits: number, _fn: string, _arg: number): number {
    const w = this.memory.words;
    w[loc] = w[loc]! | bits;
    this.wrote(t, loc);
    return 0;
  }

  /** `perform` of an UNLOCK. @internal */
  performUnlock(t: ThreadState, loc: number, bits: number, _fn: string, _arg: number): number {
    const w = this.memory.words;
    w[loc] = w[loc]! & ~bits;
    this.wrote(t, loc);
    return 0;
  }

  private notSequential(): never {
    throw new Error('a step was performed at once outside a sequential run (setup, teardown, k.run): only code that no other thread can interleave with may run without yielding');
  }
}

/** Renders a step's result for a diagram (an op's `show`). */
type Show = (value: number) => string;

/** A lock's key: its word and the highest bit of its mask (a spinlock is bit 0, a bit lock its bit of page->flags). */
function lockKey(o: Op): number {
  return o.loc * 32 + (31 - Math.clz32(o.a));
}
