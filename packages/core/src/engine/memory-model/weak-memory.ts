import { rmw as rmwResult, type Chooser, type Execution, type ThreadState, type WeakModel } from '../execution.js';
import { FENCE, LOAD, LOCK, RMW, RMW_ADD_UNLESS, RMW_CMPXCHG, STORE, UNLOCK, WAIT, type Op } from '../op.js';
import type { Alternative, Pick } from './choice.js';
import {
  ACQUIRE, FENCE_EVENT, LKR, LKW, MB, NORETURN, ONCE, READ, PLAIN, RCU_LOCK, RCU_UNLOCK, RELEASE, RMW_SET, SRCU_UNLOCK, SYNC_RCU, SYNC_SRCU, UL,
  WRITE, FENCE_TAGS, SRCU_FENCES, ExecutionGraph, type MemEvent,
} from './graph.js';
import { dataRaces } from './lkmm-cat.js';
import { promisedBreaks, revisitAllowed, rmwBreaks, rmwFails, tentativeBreaks, type AheadFence, type EventSpec } from './consistent.js';
import { checkLkmmFrom, checkLkmmFull, type LkmmAxiom } from './lkmm.js';
import { checkLostUpdates, pairStore } from './lost-updates.js';
import { inPrefix, porfAcyclic, porfPrefix, symbolicValue, valueSources } from './promises.js';
import { Views } from './views.js';
import { reportDataRace } from './race-report.js';

/** The tag of a plain or marked access: PLAIN for `plain`, else `marked`. */
const markedOr = (o: Op, marked: number): number => (o.order === 'plain' ? PLAIN : marked);

/**
 * The weak memory model of one run (the engine's `atomic.rs`): each location
 * keeps its store history in coherence order, each thread a view (per
 * location, the latest store in coherence order it has read or written, below
 * which it can no longer read or write), and every access becomes an event of
 * an execution graph that must stay consistent with the Linux-kernel memory
 * model (`checkLkmm`).
 *
 * The choices are the chooser's (`Chooser.pick`): which store a load reads
 * (any store its view allows, the latest first), where a store goes in its
 * location's coherence order (after any store its view allows, last first).
 * Alternative 0 is always what sequential consistency would do. A load may
 * also read a store that a later step performs (load buffering): when a store
 * lands, each earlier load of its location in another thread is offered it
 * (`Chooser.offer`); a run that takes the offer reads the promised value, and
 * is abandoned if that store does not come with that value. A run whose graph
 * breaks an axiom is abandoned at once (`exec.pruned`): it is not an execution.
 *
 * Under the weak model `memory.words` holds each location's latest value in
 * coherence order: what blocking ops wait on, and what teardown sees.
 * @remarks Since 0.1.0
 */
export class WeakMemory implements WeakModel {
  /**
   * Tests only: after every access, also check the whole graph the way the cat
   * file states it (`checkLkmmFull`) and throw when the incremental check (dirty
   * events, cyclic core) disagrees with it.
   */
  static verify = false;
  readonly graph = new ExecutionGraph();
  /** The alternatives taken where there was a choice, in the order taken. */
  readonly picks: Pick[] = [];
  /** Why the run was abandoned, if it was. */
  inconsistent: LkmmAxiom | 'promise' | 'redundant' | undefined;
  /** A promise broken: the thread whose store came with another value, and the step of the first load that read the promise. */
  private unkept: { tid: number; from: number } | undefined;
  /** `tid:index` of a promised store -> the reads waiting for it. */
  private readonly promised = new Map<string, number[]>();
  /**
   * Counts the ops after which the stand-in check ran (not `standInsUnmoved`):
   * a lookahead (`doomed`) made since then, for the same pending op, would find
   * the same.
   */
  private moves = 0;
  /** Promising thread -> the pending op and `moves` of its last lookahead. */
  private readonly lookedAhead = new Map<number, { op: Op; moves: number }>();
  /** Each thread's view: the stores it has read or written, per location. */
  private readonly views = new Views(this.graph);
  /** Reads of plain loads: the ones a later store may revisit. */
  private readonly loads: MemEvent[] = [];
  /**
   * Set when an event with an outgoing edge was added since the last check (a read
   * of a store that is not its location's latest, a store placed before another in
   * coherence order, a store a promise waited for). Only such an event can close a
   * cycle or add a derived edge between older events: an event without one (the
   * newest in its thread's program order, read by nobody, last in coherence order,
   * reading the latest store) lies on no path, so the graph stays consistent when it
   * was. Checks run only when this is set.
   */
  private dirty = false;
  /**
   * The first event the current op added or gave an edge: the graph before it was
   * consistent, so the check after the op looks only at cycles through it or later
   * events (a kept promise gives its older read rf and fr edges: it counts as new).
   */
  private fresh = 0;
  /** Axiom checks run (for profiling and tests). */
  checks = 0;
  /**
   * After the run: the pairs of events (graph ids) of linux-kernel.cat's
   * `data-race` flag, empty when none (or the run has no plain access).
   */
  races: [number, number][] = [];
  /**
   * A grace period (F[sync-rcu], SRCU[sync-srcu]) is in the graph: only then can an
   * unlock's edge back to its lock close a cycle (every rb cycle holds one).
   */
  private graceSeen = false;
  /** The dependencies of the op being performed (its events carry them). */
  private deps: Op['deps'] = undefined;
  /** Thread -> the read of its latest LOAD (what a paired STORE pairs with). */
  private readonly lastLoad = new Map<number, MemEvent>();
  /** Location -> its non-atomic read-modify-writes (a LOAD, then the same thread's paired STORE). */
  private readonly pairs = new Map<number, { r: MemEvent; w: MemEvent }[]>();
  /** Locations written by the current op: their pairs are checked for lost updates once the graph is known consistent. */
  private readonly touched: number[] = [];

  /** Performs a thread's op on the graph and returns its result (the value read, or an RMW's old value). */
  perform(exec: Execution, t: ThreadState, o: Op, chooser: Chooser): number {
    const entry = this.graph.events.length;
    this.fresh = entry;
    this.deps = o.deps;
    let value = 0;
    // An access that is also an RCU primitive (the kernel model's rcu_read_lock() is a store to its
    // nesting word): F[rcu-unlock] and F[sync-rcu] come before the access, F[rcu-lock] after it.
    const rcuTag = o.kind !== FENCE && o.fence !== undefined ? (FENCE_TAGS[o.fence] ?? 0) & (RCU_LOCK | RCU_UNLOCK | SYNC_RCU) : 0;
    if (rcuTag === RCU_UNLOCK || rcuTag === SYNC_RCU) {
      this.fence(exec, t, rcuTag, 0, o.fn);
      if (rcuTag === RCU_UNLOCK && this.graceSeen) this.dirty = true;
      if (rcuTag === SYNC_RCU) this.graceSeen = true;
    }
    switch (o.kind) {
      case LOAD:
        value = this.load(exec, t, o, chooser);
        break;
      case STORE: {
        const order = o.order ?? 'once';
        const w = this.store(exec, t, o.loc, o.a, order === 'release' ? RELEASE : markedOr(o, ONCE), chooser, o.fn);
        if (o.paired && exec.memory.lastWriteStep !== undefined && t.id >= 0 && pairStore(this.pairs, this.lastLoad.get(t.id), w)) this.touched.push(o.loc);
        if (o.loc2 >= 0) this.store(exec, t, o.loc2, 0, ONCE, undefined, o.fn);
        if (order === 'mb') this.fence(exec, t, MB, 3, 'smp_mb');
        value = o.a;
        break;
      }
      case RMW:
        value = this.rmw(exec, t, o, chooser);
        break;
      case LOCK: {
        const words = exec.memory.words;
        const h = this.graph.history(o.loc, words[o.loc]!);
        const src = this.graph.events[h[h.length - 1]!]!;
        const r = this.read(exec, t, o, LKR | ACQUIRE, src.id, src.value);
        const w = this.store(exec, t, o.loc, src.value | o.a, LKW, undefined, o.fn, 2);
        r.rmw = w.id;
        w.rmw = r.id;
        value = 0;
        break;
      }
      case UNLOCK:
        this.store(exec, t, o.loc, exec.memory.words[o.loc]! & ~o.a, UL | RELEASE, undefined, o.fn);
        break;
      case WAIT: {
        const h = this.graph.history(o.loc, exec.memory.words[o.loc]!);
        const src = this.graph.events[h[h.length - 1]!]!;
        value = this.read(exec, t, o, ONCE, src.id, src.value).value;
        break;
      }
      case FENCE: {
        const tag = o.fence === undefined ? undefined : FENCE_TAGS[o.fence];
        if (tag !== undefined) this.fence(exec, t, tag, 1, o.fn, (tag & SRCU_FENCES) !== 0 ? o.loc : undefined);
        // An unlock's rcu-rscsi edge goes back to its lock: it can close a cycle (through a grace period).
        if (tag !== undefined && (tag & (RCU_UNLOCK | SRCU_UNLOCK)) !== 0 && this.graceSeen) this.dirty = true;
        if (tag !== undefined && (tag & (SYNC_RCU | SYNC_SRCU)) !== 0) this.graceSeen = true;
        break;
      }
      default:
        break;
    }
    if (rcuTag === RCU_LOCK) this.fence(exec, t, RCU_LOCK, 3, o.fn);
    const dirtyOp = this.dirty;
    if (this.inconsistent === undefined && (this.dirty || WeakMemory.verify)) {
      const broken = this.dirty ? checkLkmmFrom(this.graph, this.fresh) : undefined;
      if (WeakMemory.verify && (o.kind !== FENCE || this.dirty)) {
        const full = checkLkmmFull(this.graph);
        if (full !== broken) throw new Error(`weak memory: incremental check says ${String(broken)}, the full check ${String(full)} (dirty: ${this.dirty})`);
      }
      if (this.dirty) this.checks++;
      this.dirty = false;
      if (broken !== undefined) this.inconsistent = broken;
    }
    // While loads wait, after every op that added an event or an edge (each stand-in moves after its thread's new events).
    if (this.inconsistent === undefined && (this.graph.events.length > entry || this.fresh < entry)) {
      const waiting = this.waitingReads();
      const same = this.standInsUnmoved(entry, t.id, dirtyOp, waiting);
      if (!same) this.moves++;
      const broken = same && !WeakMemory.verify ? undefined : this.checkPromises(waiting);
      if (same && broken !== undefined) throw new Error(`weak memory: the stand-in check after ${o.fn} was skipped, but it breaks ${broken}`);
      if (broken !== undefined) this.inconsistent = broken;
    }
    if (this.inconsistent !== undefined) abandon(exec);
    else if (this.touched.length > 0 && !exec.stopped) checkLostUpdates(exec, this.graph, this.pairs, this.touched);
    this.touched.length = 0;
    return value;
  }

  /**
   * The steps at which the thread that broke a promise (its store came with
   * another value) read, after the load that read the promise (`retrySteps`).
   */
  retrySteps(): readonly number[] {
    const u = this.unkept;
    if (u === undefined) return [];
    const steps = new Set<number>();
    for (const e of this.graph.events) if (e.kind === READ && e.tid === u.tid && e.step > u.from) steps.add(e.step);
    return [...steps];
  }

  /**
   * Before each scheduling decision while loads wait: the stand-in check with
   * the fences the promising threads' pending ops will add before their stores
   * (`aheadFence`: a fence, a fully ordered RMW's F[mb], an RCU primitive). A
   * thread's pending op is fixed (its generator yielded it) and comes before the
   * store it promised, so a cycle there dooms every continuation: the run is
   * abandoned before it branches below this point. Checked again only when a
   * pending op changed or an op could have moved a stand-in's cycle (`moves`).
   */
  doomed(exec: Execution): boolean {
    if (this.inconsistent !== undefined) return false;
    const waiting = this.waitingReads();
    let ahead: AheadFence[] | undefined;
    let changed = false;
    for (const r of waiting) {
      const tid = r.promise!.tid;
      if (ahead?.some((f) => f.tid === tid) === true) continue;
      const b = exec.threads[tid];
      if (b === undefined || b.done || b.pending === undefined || b.steps >= r.promise!.index) continue;
      const f = aheadFence(b.pending);
      if (f === undefined) continue;
      (ahead ??= []).push({ tid, index: b.steps, tags: f.tags, domain: f.domain });
      const last = this.lookedAhead.get(tid);
      if (last === undefined || last.op !== b.pending || last.moves !== this.moves) changed = true;
      this.lookedAhead.set(tid, { op: b.pending, moves: this.moves });
    }
    if (ahead === undefined || !changed) return false;
    this.checks++;
    const broken = promisedBreaks(this.graph, waiting, this.graph.events.length, ahead);
    if (broken === undefined) return false;
    this.inconsistent = broken;
    return true;
  }

  /** The reads still waiting for a promised store (none in a run that took no promise). */
  private waitingReads(): MemEvent[] {
    if (this.promised.size === 0) return [];
    return this.loads.filter((r) => r.rf < 0 && r.promise !== undefined);
  }

  /** The thread of the first promised store not performed yet, or -1. */
  preferred(): number {
    for (const r of this.loads) if (r.rf < 0 && r.promise !== undefined) return r.promise.tid;
    return -1;
  }

  /**
   * After the last step, or when the run stopped (a violation, a deadlock): every
   * promised store must have come. A run that stopped with a load still waiting is
   * not known to be an execution, so it is abandoned, violation and all. A run that
   * took promises but whose graph has no cycle of program order and reads-from
   * (`porfAcyclic`) is another run's execution, reached there in order: abandoned too.
   */
  end(exec: Execution): void {
    if (this.inconsistent === undefined && this.graph.events.some((e) => e.kind === READ && e.rf < 0)) this.inconsistent = 'promise';
    if (this.inconsistent === undefined && this.promised.size > 0 && porfAcyclic(this.graph)) this.inconsistent = 'redundant';
    if (this.inconsistent !== undefined) {
      abandon(exec);
      return;
    }
    this.races = dataRaces(this.graph);
    if (this.races.length > 0 && exec.violations.length === 0) reportDataRace(exec, this.graph, this.races[0]!);
  }

  /**
   * Whether the stand-in check after an op would find nothing new, so it is not
   * made (the graph with stand-ins passed it after the previous op). It is only a
   * way to abandon doomed runs early: a run whose check is skipped is still
   * checked when the promised store comes, and at its end. It finds nothing new
   * when the op added no event with an edge out (`dirty`: the graph's own check
   * found nothing, and no new event lies on a cycle), and either its thread
   * promised no store a load waits for (no stand-in follows its events), or every
   * event it added is a READ_ONCE or WRITE_ONCE with no dependency, of a location
   * other than its stand-ins', in a graph with no grace period or no read-side
   * critical section: then the one edge out of a new event is program order to
   * its thread's stand-in, and program order alone orders nothing in
   * linux-kernel.cat but `po-loc` (another location) and `rcu-link` (no RCU
   * cycle). Fences, acquires, releases, locks, RMWs and dependencies are checked.
   */
  private standInsUnmoved(entry: number, tid: number, dirtyOp: boolean, waiting: readonly MemEvent[]): boolean {
    if (dirtyOp || this.fresh < entry) return false;
    const g = this.graph;
    // The reads waiting for this thread's stores: its stand-ins.
    const mine = waiting.filter((r) => r.promise!.tid === tid);
    if (mine.length === 0) return true;
    if (g.gracePeriods > 0 && g.sectionLocks > 0) return false;
    for (let i = entry; i < g.events.length; i++) {
      const e = g.events[i]!;
      // A location's initial write, made at its first access: read at most by this op's event.
      if (e.tid < 0) continue;
      if (e.kind === FENCE_EVENT || e.tags !== ONCE || e.deps !== undefined) return false;
      if (mine.some((r) => r.loc === e.loc)) return false;
    }
    return true;
  }

  /**
   * While loads wait for promised stores, the graph is checked after every op
   * that can give a stand-in a new cycle (`standInsUnmoved` says which cannot)
   * with a stand-in for each (`promisedBreaks`): a cycle there dooms the run,
   * which is abandoned at once instead of exploring everything it could do
   * before the store comes. The check after the previous op passed, so only
   * cycles through this op's events, the reads it gave an edge, and the
   * stand-ins (which moved after their threads' new events) are looked for.
   */
  private checkPromises(waiting: readonly MemEvent[]): LkmmAxiom | undefined {
    if (waiting.length === 0) return undefined;
    this.checks++;
    return promisedBreaks(this.graph, waiting, this.fresh);
  }

  private load(exec: Execution, t: ThreadState, o: Op, chooser: Chooser): number {
    const g = this.graph;
    const h = g.history(o.loc, exec.memory.words[o.loc]!);
    const ids: number[] = [];
    const floor = this.views.floor(t.id, o.loc);
    const tags = o.order === 'acquire' ? ACQUIRE : markedOr(o, ONCE);
    const base: EventSpec = { tid: t.id, index: t.steps, step: exec.step, sub: 1, kind: READ, loc: o.loc, value: 0, tags, rf: -1, promise: undefined, rmw: -1, fn: o.fn, deps: o.deps };
    for (let p = h.length - 1; p >= floor; p--) ids.push(h[p]!);
    const alts = ids.map((id) => g.alternative(g.events[id]!));
    // The latest store needs no check: a read of it closes no cycle.
    const allowed = (i: number): boolean => i === 0 || tentativeBreaks(g, [{ spec: { ...base, rf: ids[i]!, value: g.events[ids[i]!]!.value } }]) === undefined;
    const c = chooser.pick === undefined ? 0 : chooser.pick(exec, alts, allowed);
    let chosen: number | Alternative = c;
    if (typeof c !== 'number') {
      const i = alts.findIndex((a) => a.tid === c.tid && a.index === c.index);
      if (i >= 0) chosen = i;
    }
    if (typeof chosen === 'number') {
      const id = ids[chosen];
      if (id === undefined) {
        this.inconsistent = 'coherence';
        return 0;
      }
      if (alts.length > 1) this.picks.push({ tid: t.id, index: t.steps, alt: alts[chosen]! });
      const r = this.read(exec, t, o, tags, id, g.events[id]!.value);
      this.loads.push(r);
      this.lastLoad.set(t.id, r);
      return r.value;
    }
    // A store not performed yet: a promise this run must keep.
    const p = chosen;
    const performed = g.findStore(o.loc, p.tid, p.index) !== undefined;
    const other = exec.threads[p.tid];
    if (performed || p.tid === t.id || other === undefined || other.steps > p.index) {
      this.inconsistent = 'coherence';
      return 0;
    }
    this.picks.push({ tid: t.id, index: t.steps, alt: p });
    const r = this.read(exec, t, o, tags, -1, p.value);
    r.promise = p;
    const key = `${p.tid}:${p.index}`;
    const waiting = this.promised.get(key);
    if (waiting === undefined) this.promised.set(key, [r.id]);
    else waiting.push(r.id);
    this.loads.push(r);
    this.lastLoad.set(t.id, r);
    return r.value;
  }

  private rmw(exec: Execution, t: ThreadState, o: Op, chooser: Chooser): number {
    const g = this.graph;
    const order = o.order ?? 'mb';
    const h = g.history(o.loc, exec.memory.words[o.loc]!);
    const ids: number[] = [];
    const floor = this.views.floor(t.id, o.loc);
    for (let p = h.length - 1; p >= floor; p--) {
      // Atomicity: a store already followed by another RMW's write is taken, except for an
      // op that fails on its value (a cmpxchg, an add_unless): that one only reads it.
      const next = h[p + 1];
      if (next !== undefined && g.events[next]!.rmw >= 0 && g.events[g.events[next]!.rmw]!.rf === h[p] && !rmwFails(o, g.events[h[p]!]!.value)) continue;
      ids.push(h[p]!);
    }
    const alts = ids.map((id) => g.alternative(g.events[id]!));
    const base: EventSpec = { tid: t.id, index: t.steps, step: exec.step, sub: 1, kind: READ, loc: o.loc, value: 0, tags: 0, rf: -1, promise: undefined, rmw: -1, fn: o.fn, deps: o.deps };
    const allowed = (i: number): boolean => i === 0 || rmwBreaks(g, base, o, h, h.indexOf(ids[i]!)) === undefined;
    const c = chooser.pick === undefined ? 0 : chooser.pick(exec, alts, allowed);
    const i = typeof c === 'number' ? c : alts.findIndex((a) => a.tid === c.tid && a.index === c.index);
    const src = ids[i];
    if (src === undefined) {
      this.inconsistent = 'atomic';
      return 0;
    }
    if (alts.length > 1) this.picks.push({ tid: t.id, index: t.steps, alt: alts[i]! });
    const old = g.events[src]!.value;
    const fails = rmwFails(o, old);
    // A failed cmpxchg is a relaxed read; a fully ordered RMW has an smp_mb() on each side.
    const mb = order === 'mb' && !fails;
    if (mb) this.fence(exec, t, MB, 0, 'smp_mb');
    const rtag = RMW_SET | (fails ? ONCE : order === 'acquire' ? ACQUIRE : order === 'noreturn' ? NORETURN : ONCE);
    const r = this.read(exec, t, o, rtag, src, old);
    if (!fails) {
      const w = this.write(exec, t, o.loc, rmwResult(o, old), RMW_SET | (order === 'release' ? RELEASE : ONCE), h.indexOf(src) + 1, o.fn, 2);
      r.rmw = w.id;
      w.rmw = r.id;
      // Like a store's: earlier loads of other threads may read the RMW's write.
      this.offer(exec, chooser, w);
    }
    if (mb) this.fence(exec, t, MB, 3, 'smp_mb');
    return old;
  }

  /** A store: placed in coherence order where the chooser says (after any store the thread's view allows). */
  private store(exec: Execution, t: ThreadState, loc: number, value: number, tags: number, chooser: Chooser | undefined, fn: string, sub = 1): MemEvent {
    const g = this.graph;
    const h = g.history(loc, exec.memory.words[loc]!);
    let at = h.length;
    if (chooser !== undefined) {
      const after: number[] = [];
      const floor = this.views.floor(t.id, loc);
      const base: EventSpec = { tid: t.id, index: t.steps, step: exec.step, sub, kind: WRITE, loc, value, tags, rf: -1, promise: undefined, rmw: -1, fn, deps: this.deps };
      // A store that keeps a promise adds rf edges too: its places are all listed as allowed, each checked after it is taken.
      const keeps = this.promised.has(`${t.id}:${t.steps}`);
      for (let p = h.length - 1; p >= floor; p--) {
        const next = h[p + 1];
        // Not between an RMW's source and its write.
        if (next !== undefined && g.events[next]!.rmw >= 0 && g.events[g.events[next]!.rmw]!.rf === h[p]) continue;
        after.push(p);
      }
      const alts = after.map((p) => g.alternative(g.events[h[p]!]!));
      // Last in coherence order needs no check (it closes no cycle).
      const allowed = (i: number): boolean => i === 0 || tentativeBreaks(g, [{ spec: base, at: after[i]! + 1 }]) === undefined;
      const c = chooser.pick === undefined ? 0 : chooser.pick(exec, alts, keeps ? undefined : allowed);
      const i = typeof c === 'number' ? c : alts.findIndex((a) => a.tid === c.tid && a.index === c.index);
      const p = after[i];
      if (p === undefined) {
        this.inconsistent = 'coherence';
      } else {
        if (alts.length > 1) this.picks.push({ tid: t.id, index: t.steps, alt: alts[i]! });
        at = p + 1;
      }
    }
    const w = this.write(exec, t, loc, value, tags, at, fn, sub);
    if (chooser !== undefined) this.offer(exec, chooser, w);
    return w;
  }

  /** Adds a write at coherence position `at`, keeps a promise waiting for it. */
  private write(exec: Execution, t: ThreadState, loc: number, value: number, tags: number, at: number, fn: string, sub = 1): MemEvent {
    const g = this.graph;
    const h = g.history(loc, exec.memory.words[loc]!);
    if (this.pairs.has(loc)) this.touched.push(loc);
    const w = g.add({ tid: t.id, index: t.steps, step: exec.step, sub, kind: WRITE, loc, value, tags, rf: -1, promise: undefined, rmw: -1, fn, deps: this.deps });
    h.splice(at, 0, w.id);
    if (at === h.length - 1) exec.memory.words[loc] = value;
    else this.dirty = true;
    this.views.see(t.id, loc, w.id);
    const key = `${t.id}:${t.steps}`;
    const waiting = this.promised.get(key);
    if (waiting !== undefined) {
      for (const id of waiting) {
        const r = g.events[id]!;
        if (r.loc !== loc) continue;
        if (r.promise!.value !== value) {
          this.inconsistent = 'promise';
          if (this.unkept === undefined || r.step < this.unkept.from) this.unkept = { tid: t.id, from: r.step };
        }
        r.rf = w.id;
        if (r.id < this.fresh) this.fresh = r.id;
        this.dirty = true;
        this.views.see(r.tid, loc, w.id);
      }
    }
    return w;
  }

  /**
   * Tells the chooser which earlier loads of other threads could have read `w`.
   * When `w`'s value comes from `r` itself (a chain of data dependencies and
   * reads-from back to it), the load reading `w` makes the values circular:
   * herd7 leaves such a value symbolic, any value but the constants of the
   * test, and the offer carries `symbolicValue(r)` for it (out of thin air).
   */
  private offer(exec: Execution, chooser: Chooser, w: MemEvent): void {
    if (chooser.offer === undefined) return;
    const alt = this.graph.alternative(w);
    // Both computed once per store, when a load may be offered it.
    let prefix: Map<number, number> | undefined;
    let sources: Set<number> | undefined;
    for (const r of this.loads) {
      if (r.loc !== w.loc || r.tid === w.tid || r.rf === w.id) continue;
      // A load outside the store's porf-prefix reads it as an earlier store in another run (`porfPrefix`).
      prefix ??= porfPrefix(this.graph, w);
      if (!inPrefix(prefix, r)) continue;
      sources ??= valueSources(this.graph, w, (e) => this.pairs.get(e.loc)?.find((x) => x.w === e)?.r);
      const offered = sources.has(r.id) ? { ...alt, value: symbolicValue(r) } : alt;
      // Offered only if the run that takes it would get past the load (checked once per load and store).
      chooser.offer(exec, r.step, offered, () => revisitAllowed(this.graph, r, w, offered.value));
    }
  }

  private read(exec: Execution, t: ThreadState, o: Op, tags: number, rf: number, value: number): MemEvent {
    const r = this.graph.add({ tid: t.id, index: t.steps, step: exec.step, sub: 1, kind: READ, loc: o.loc, value, tags, rf, promise: undefined, rmw: -1, fn: o.fn, deps: this.deps });
    if (rf >= 0) {
      this.views.see(t.id, o.loc, rf);
      const h = this.graph.co.get(o.loc)!;
      if (h[h.length - 1] !== rf) this.dirty = true;
    }
    return r;
  }

  private fence(exec: Execution, t: ThreadState, tag: number, sub: number, fn: string, domain?: number): void {
    this.graph.add({ tid: t.id, index: t.steps, step: exec.step, sub, kind: FENCE_EVENT, loc: -1, value: 0, tags: tag, rf: -1, promise: undefined, rmw: -1, fn, deps: this.deps, domain });
  }
}

/**
 * The fence a pending op adds before its access or after it (either way before
 * any later store of its thread): a FENCE op's, an RCU primitive's, a fully
 * ordered RMW's F[mb] (one that cannot fail: a cmpxchg or add_unless may fail
 * and then has none), smp_store_mb()'s. Undefined for other ops.
 */
function aheadFence(o: Op): { tags: number; domain: number | undefined } | undefined {
  if (o.kind === FENCE) {
    const tag = o.fence === undefined ? undefined : FENCE_TAGS[o.fence];
    return tag === undefined ? undefined : { tags: tag, domain: (tag & SRCU_FENCES) !== 0 ? o.loc : undefined };
  }
  if (o.fence !== undefined) {
    const tag = (FENCE_TAGS[o.fence] ?? 0) & (RCU_LOCK | RCU_UNLOCK | SYNC_RCU);
    if (tag !== 0) return { tags: tag, domain: undefined };
  }
  if (o.kind === RMW && (o.order ?? 'mb') === 'mb' && o.rmw !== RMW_CMPXCHG && o.rmw !== RMW_ADD_UNLESS) return { tags: MB, domain: undefined };
  if (o.kind === STORE && o.order === 'mb') return { tags: MB, domain: undefined };
  return undefined;
}

function abandon(exec: Execution): void {
  exec.pruned = true;
  exec.stopped = true;
}
