import type { Chooser, Execution } from './execution.js';
import type { Op } from './op.js';
import type { Alternative } from './memory-model/choice.js';
import { lowest, maskList, preemptionsWith, type Node } from './dfs-path.js';
import { splitAmongShards } from './dfs-sharding.js';
import { sleepSetOf } from './sleep-sets.js';
import { RaceTracker } from './source-dpor.js';

/** Options of an exhaustive exploration. */
export interface DfsOptions {
  /** Dynamic partial-order reduction (default true). Off when a preemption bound is set. */
  readonly reduction?: boolean;
  /** At most this many preemptions per schedule. */
  readonly preemptionBound?: number;
  /** Shard the tree: this shard's index and the number of shards. */
  readonly shard?: { readonly index: number; readonly count: number };
  /**
   * Sharding: when the probe that every shard runs ends (default: once 8 branches
   * per shard are pending, or after 128 runs). Every shard must use the same values.
   */
  readonly probe?: { readonly pendingPerShard?: number; readonly maxRuns?: number };
}

/**
 * Exhaustive search over schedules: stateless DFS with dynamic partial-order
 * reduction and sleep sets. The path is dfs-path.ts, sleep sets sleep-sets.ts,
 * the split among shards dfs-sharding.ts; races are reversed by source-DPOR's
 * rule (Abdulla et al., POPL 2014) in source-dpor.ts. Each run replays the path to the deepest
 * state with an unexplored backtrack thread and branches there. Vector clocks
 * give the happens-before relation.
 */
export class DfsExplorer {
  private readonly stack: Node[] = [];
  private readonly reduction: boolean;
  private readonly bound: number;
  exhausted = false;
  private first = true;
  private last: DfsRun | undefined;
  /** Runs handed out so far. */
  private runs = 0;
  /** Sharding: the probe is over and the pending branches are split among the shards. */
  private split = false;

  constructor(private readonly nThreads: number, private readonly options: DfsOptions = {}) {
    this.bound = options.preemptionBound ?? Infinity;
    this.reduction = (options.reduction ?? true) && options.preemptionBound === undefined;
  }

  /**
   * Ends the probe once enough branches are pending (or it ran long enough): the
   * pending branches, listed from the root down, go to the shards in turn. Every
   * shard computes the same list, since the probe is the same in all. A branch a
   * shard finds later is its own: it lies under one of its branches, or above
   * them, where each shard that finds it explores it.
   */
  /** True when another run is needed. */
  hasNext(): boolean {
    if (this.first) return true;
    return !this.exhausted;
  }

  /** The chooser for the next run. */
  chooser(): Chooser & { owned(): boolean } {
    this.first = false;
    const shard = this.options.shard;
    // A probe run (every shard runs it) counts for one shard only; after the split every run is this shard's.
    const owned = shard === undefined || this.split || this.runs % shard.count === shard.index;
    this.runs++;
    this.last = new DfsRun(this, this.stack, this.nThreads, this.reduction, this.bound, owned);
    return this.last;
  }

  /** After a run: move to the next unexplored branch, or mark the search exhausted. */
  advance(): void {
    this.last?.finish();
    this.last = undefined;
    const stack = this.stack;
    const shard = this.options.shard;
    if (shard !== undefined && !this.split && shard.count > 1 && !this.exhausted) this.split = splitAmongShards(stack, this.nThreads, shard, this.options.probe, this.runs);
    while (stack.length > 0) {
      const d = stack.length - 1;
      const n = stack[d]!;
      if (n.alt + 1 < n.alts + (n.offered?.length ?? 0) && !n.foreignAlts) {
        n.alt++;
        return;
      }
      n.alts = -1;
      n.alt = 0;
      n.allowed = undefined;
      n.offered = undefined;
      n.refused = undefined;
      n.foreignAlts = false;
      const todo = n.backtrack & ~n.done & ~n.sleep & n.enabled;
      let t = -1;
      for (let i = 0; i < this.nThreads; i++) {
        if (((todo >>> i) & 1) === 0) continue;
        // Another shard's branch: passed over in the same order as if explored, so sleep sets match the whole search.
        if (preemptionsWith(stack, d, i) > this.bound || ((n.foreign >>> i) & 1) === 1) {
          n.done |= 1 << i;
          continue;
        }
        t = i;
        break;
      }
      if (t >= 0) {
        n.chosen = t;
        n.done |= 1 << t;
        n.preemptions = preemptionsWith(stack, d, t);
        return;
      }
      stack.pop();
    }
    this.exhausted = true;
  }
}

/** One run of the DFS: replays the stack's path, then extends it. */
class DfsRun implements Chooser {
  readonly everyStep = true;

  /** Weak memory model: the alternatives of a step are explored like its threads, one run each. */
  pick(exec: Execution, alternatives: readonly Alternative[], allowed?: (i: number) => boolean): number | Alternative {
    const node = this.stack[exec.step];
    if (node === undefined) return 0;
    // Only the alternatives the model allows are branched on; computed once per node (runs replay it).
    if (node.allowed === undefined) {
      const list: number[] = [];
      for (let i = 0; i < alternatives.length; i++) if (allowed === undefined || allowed(i)) list.push(i);
      node.allowed = list;
    }
    const listed = node.allowed.length;
    node.alts = listed;
    return node.alt < listed ? node.allowed[node.alt]! : (node.offered?.[node.alt - listed] ?? 0);
  }

  /** A CHOICE step: its outcomes are explored like a step's alternatives, one run each. */
  decide(exec: Execution, count: number): number {
    const node = this.stack[exec.step];
    if (node === undefined) return 0;
    if (node.allowed === undefined) node.allowed = Array.from({ length: count }, (_v, i) => i);
    node.alts = node.allowed.length;
    return node.allowed[node.alt] ?? 0;
  }

  offer(_exec: Execution, step: number, store: Alternative, allowed?: () => boolean): void {
    const node = this.stack[step];
    if (node === undefined) return;
    const same = (a: Alternative): boolean => a.tid === store.tid && a.index === store.index && a.value === store.value;
    if (node.offered?.some(same) === true || node.refused?.some(same) === true) return;
    if (allowed !== undefined && !allowed()) (node.refused ??= []).push(store);
    else (node.offered ??= []).push(store);
  }
  /** Per waiting thread: the op and the access count of its words when its races were last reversed. */
  private readonly waitSeen: ({ op: Op; accesses: number } | undefined)[] = [];

  /** Whether this run counts for this shard: a probe run counts for one shard only. */
  owned(): boolean {
    return this.mine;
  }
  private exec: Execution | undefined;
  /** The run ended because every enabled thread was asleep (or beyond the preemption bound). */
  private sleepBlocked = false;
  /** Source-DPOR's clocks and race reversal for this run. */
  private readonly tracker: RaceTracker;

  constructor(
    private readonly explorer: DfsExplorer,
    private readonly stack: Node[],
    private readonly n: number,
    private readonly reduction: boolean,
    private readonly bound: number,
    private readonly mine: boolean,
  ) {
    this.tracker = new RaceTracker(stack, n);
  }

  choose(exec: Execution, enabled: readonly number[]): number {
    this.exec = exec;
    const d = exec.step;
    let mask = 0;
    for (const t of enabled) mask |= 1 << t;
    if (this.reduction) this.blocked(exec, mask);
    let node = this.stack[d];
    if (node === undefined) {
      const pending = exec.threads.map((t) => t.pending);
      const parent = this.stack[d - 1];
      // Under load buffering, first the thread that must keep a promise (the run shows soon whether it can).
      const want = exec.weak?.preferred?.() ?? -1;
      let sleep = parent !== undefined && this.reduction ? sleepSetOf(parent, this.n) : 0;
      // Only that thread left, asleep: it wakes. A load read a store it has yet to make, a state the run that put
      // it to sleep did not have (ending here left revisits unkept, and branching.test.ts has an execution only they reach).
      if (want >= 0 && (mask & ~sleep) === 0 && ((mask >>> want) & 1) === 1) sleep &= ~(1 << want);
      node = { enabled: mask, backtrack: 0, done: 0, sleep, chosen: -1, pending, preemptions: 0, alts: -1, allowed: undefined, alt: 0, offered: undefined, refused: undefined, foreign: 0, foreignAlts: false };
      this.stack.push(node);
      // Choose: the previous thread if it can go on (no preemption), else the lowest; skip sleeping threads.
      const prev = d > 0 ? this.stack[d - 1]!.chosen : -1;
      const avail = mask & ~sleep;
      if (avail === 0) {
        this.stack.pop();
        this.sleepBlocked = true;
        return -1;
      }
      const t = want >= 0 && ((avail >>> want) & 1) === 1 ? want : ((avail >>> prev) & 1) === 1 && prev >= 0 ? prev : lowest(avail);
      node.chosen = t;
      node.done = 1 << t;
      node.backtrack |= this.reduction ? 1 << t : avail;
      node.preemptions = preemptionsWith(this.stack, d, t);
      if (node.preemptions > this.bound) {
        // Only non-preempting choices fit the bound: continue the previous thread if possible.
        const alt = ((avail >>> prev) & 1) === 1 ? prev : -1;
        if (alt < 0) {
          this.stack.pop();
          this.sleepBlocked = true;
          return -1;
        }
        node.chosen = alt;
        node.done = 1 << alt;
        node.preemptions = preemptionsWith(this.stack, d, alt);
      }
    } else if (node.enabled !== mask) {
      throw new Error(`the spec is not deterministic: replaying its schedule, step ${d} found threads ${maskList(mask)} enabled where an earlier run had ${maskList(node.enabled)}. Keep setup and threads free of Math.random, Date and shared state between runs.`);
    }
    return node.chosen;
  }

  /**
   * After the run. A run that stopped (a violation, a deadlock) left ops pending
   * that never ran: each races with the steps it would have followed, like an op
   * that ran. And a step that stopped the run ended every other thread's run too,
   * so it races with each of them: try them all before it. A run the memory model
   * abandoned (a promise broken, a graph LKMM forbids) stopped too: its pending ops
   * race as well, and skipping them loses executions (branching.test.ts has a
   * program where they are the only way to reach some).
   */
  finish(): void {
    const exec = this.exec;
    if (exec === undefined || !this.reduction || !exec.stopped) return;
    if (exec.pruned) {
      // A promise broken: another thread's store before one of the promising thread's reads may keep it.
      for (const s of exec.weak?.retrySteps?.() ?? []) {
        const node = this.stack[s];
        if (node !== undefined) node.backtrack |= node.enabled;
      }
      // Blocked by sleep sets: every enabled thread's step was explored elsewhere.
      if (this.sleepBlocked) return;
      // Abandoned by the memory model: the ops still pending race like those of a stopped run, below.
    }
    for (const t of exec.threads) {
      if (t.done || t.pending === undefined) continue;
      this.tracker.races(exec.step, t.id, t.pending, this.tracker.clockOf(t.id, t.pending));
    }
    const stoppedByStep = exec.violations.some((v) => v.kind !== 'deadlock') && exec.threads.some((t) => !t.done);
    const node = this.stack[exec.step - 1];
    if (stoppedByStep && node !== undefined) node.backtrack |= node.enabled;
  }

  /**
   * A thread that waits (a lock held, a condition false) races with the steps
   * before its wait as if its op ran now: a lock taken by another thread is
   * reversed at that thread's lock, where the waiter could still take it.
   */
  private blocked(exec: Execution, enabled: number): void {
    for (const t of exec.threads) {
      if (t.done || t.pending === undefined || ((enabled >>> t.id) & 1) === 1) continue;
      // Its races change only when its words are accessed again (its own clock stands still while it waits).
      const seen = this.waitSeen[t.id];
      const n = this.tracker.accessCount(t.pending);
      if (seen !== undefined && seen.op === t.pending && seen.accesses === n) continue;
      this.waitSeen[t.id] = { op: t.pending, accesses: n };
      this.tracker.races(exec.step, t.id, t.pending, this.tracker.clockOf(t.id, t.pending));
    }
  }

  onStep(exec: Execution, tid: number, o: Op): void {
    const i = exec.step - 1;
    if (!this.reduction) return;
    this.tracker.step(i, tid, o);
    void this.explorer;
  }
}

