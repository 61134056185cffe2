import type { Chooser, Execution } from './execution.js';
import { dependent, isWrite, LOAD, WAIT, type Op } from './op.js';
import type { Alternative } from './memory-model/choice.js';

/** A state on the current path. */
interface Node {
  /** Enabled threads (bitmask). */
  enabled: number;
  /** Threads still to explore from here. */
  backtrack: number;
  /** Threads explored from here. */
  done: number;
  /** Threads whose next step is known redundant here. */
  sleep: number;
  /** Thread taken on the current path. */
  chosen: number;
  /** Each thread's next op here. */
  pending: (Op | undefined)[];
  /** Preemptions on the path up to and including this node's choice. */
  preemptions: number;
  /** Weak memory model: alternatives the chosen thread's step listed (-1: it asked for none). */
  alts: number;
  /** The indexes of the listed alternatives the memory model allows (computed at the first visit). */
  allowed: number[] | undefined;
  /** The alternative taken on the current path: an index into `allowed`, then into `offered`. */
  alt: number;
  /** Stores performed after this step that its load was offered (load buffering). */
  offered: Alternative[] | undefined;
  /** Stores offered to this step's load that a run could not take (`Chooser.offer`'s `allowed` said no). */
  refused: Alternative[] | undefined;
  /** Sharding: threads whose branch from here another shard explores (assigned at the split). */
  foreign: number;
  /** Sharding: the remaining alternatives of this step belong to another shard. */
  foreignAlts: boolean;
}

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
 * Sharding: every shard runs the same first runs of the search (the probe), then
 * splits the branches still to explore at that point among the shards. The probe
 * ends once at least SPLIT_ITEMS_PER_SHARD branches per shard are pending, or
 * after PROBE_MAX_RUNS runs.
 */
const SPLIT_ITEMS_PER_SHARD = 8;
const PROBE_MAX_RUNS = 128;

function isRead(o: Op): boolean {
  return o.kind === LOAD || o.kind === WAIT;
}

/**
 * Exhaustive search over schedules: stateless DFS with dynamic partial-order
 * reduction and sleep sets. Races are reversed by source-DPOR's rule (Abdulla
 * et al., POPL 2014), see `races`. Each run replays the path to the deepest
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
  private maybeSplit(shard: { readonly index: number; readonly count: number }): void {
    if (this.exhausted) return;
    const pending = pendingOf(this.stack, this.nThreads);
    const perShard = this.options.probe?.pendingPerShard ?? SPLIT_ITEMS_PER_SHARD;
    const maxRuns = this.options.probe?.maxRuns ?? PROBE_MAX_RUNS;
    if (pending.length < perShard * shard.count && this.runs < maxRuns) return;
    this.split = true;
    pending.forEach((p, i) => {
      if (i % shard.count === shard.index) return;
      if (p.thread < 0) p.node.foreignAlts = true;
      else p.node.foreign |= 1 << p.thread;
    });
  }

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
    if (shard !== undefined && !this.split && shard.count > 1) this.maybeSplit(shard);
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

/** A branch still to explore at a node of the stack: a thread, or the remaining alternatives of the step taken. */
interface Pending {
  readonly node: Node;
  readonly thread: number;
}

function pendingOf(stack: readonly Node[], nThreads: number): Pending[] {
  const out: Pending[] = [];
  for (const n of stack) {
    if (n.alt + 1 < n.alts + (n.offered?.length ?? 0)) out.push({ node: n, thread: -1 });
    const todo = n.backtrack & ~n.done & ~n.sleep & n.enabled;
    for (let t = 0; t < nThreads; t++) if (((todo >>> t) & 1) === 1) out.push({ node: n, thread: t });
  }
  return out;
}

function preemptionsWith(stack: Node[], d: number, t: number): number {
  const before = d > 0 ? stack[d - 1]!.preemptions : 0;
  if (d === 0) return 0;
  const prev = stack[d - 1]!.chosen;
  return before + (prev !== t && ((stack[d]!.enabled >>> prev) & 1) === 1 ? 1 : 0);
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

  offer(_exec: Execution, step: number, store: Alternative, allowed?: () => boolean): void {
    const node = this.stack[step];
    if (node === undefined) return;
    const same = (a: Alternative): boolean => a.tid === store.tid && a.index === store.index && a.value === store.value;
    if (node.offered?.some(same) === true || node.refused?.some(same) === true) return;
    if (allowed !== undefined && !allowed()) (node.refused ??= []).push(store);
    else (node.offered ??= []).push(store);
  }
  private readonly threadClock: Int32Array[];
  private readonly stepClock: Int32Array[] = [];
  private readonly stepOp: Op[] = [];
  private readonly stepTid: number[] = [];
  /** Per word (indexed by location): the clock of its last write, the join of its reads since, its accesses (step indexes). */
  private readonly lastWrite: (Int32Array | undefined)[] = [];
  private readonly reads: (Int32Array | undefined)[] = [];
  private readonly accesses: (number[] | undefined)[] = [];
  /** Per thread, its first step in the sequence a race reversal builds (-1: none). */
  private readonly firstScratch: Int32Array;
  /** Per waiting thread: the op and the access count of its words when its races were last reversed. */
  private readonly waitSeen: ({ op: Op; accesses: number } | undefined)[] = [];

  /** Whether this run counts for this shard: a probe run counts for one shard only. */
  owned(): boolean {
    return this.mine;
  }
  private exec: Execution | undefined;

  constructor(
    private readonly explorer: DfsExplorer,
    private readonly stack: Node[],
    private readonly n: number,
    private readonly reduction: boolean,
    private readonly bound: number,
    private readonly mine: boolean,
  ) {
    this.firstScratch = new Int32Array(n);
    this.threadClock = [];
    for (let i = 0; i < n; i++) this.threadClock.push(new Int32Array(n));
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
      let sleep = 0;
      if (parent !== undefined && this.reduction) {
        const taken = parent.pending[parent.chosen]!;
        const candidates = (parent.sleep | parent.done) & ~(1 << parent.chosen);
        for (let q = 0; q < this.n; q++) {
          if (((candidates >>> q) & 1) === 0) continue;
          const qo = parent.pending[q];
          if (qo !== undefined && !dependent(qo, taken)) sleep |= 1 << q;
        }
      }
      node = { enabled: mask, backtrack: 0, done: 0, sleep, chosen: -1, pending, preemptions: 0, alts: -1, allowed: undefined, alt: 0, offered: undefined, refused: undefined, foreign: 0, foreignAlts: false };
      this.stack.push(node);
      // Choose: the previous thread if it can go on (no preemption), else the lowest; skip sleeping threads.
      const prev = d > 0 ? this.stack[d - 1]!.chosen : -1;
      const avail = mask & ~sleep;
      if (avail === 0) {
        this.stack.pop();
        return -1;
      }
      // Under load buffering, first the thread that must keep a promise (the run shows soon whether it can).
      const want = exec.weak?.preferred?.() ?? -1;
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
   * so it races with each of them: try them all before it.
   */
  finish(): void {
    const exec = this.exec;
    if (exec === undefined || !this.reduction || exec.pruned || !exec.stopped) return;
    for (const t of exec.threads) {
      if (t.done || t.pending === undefined) continue;
      this.races(exec.step, t.id, t.pending, this.clockOf(t.id, t.pending));
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
      const n = this.accessCount(t.pending);
      if (seen !== undefined && seen.op === t.pending && seen.accesses === n) continue;
      this.waitSeen[t.id] = { op: t.pending, accesses: n };
      this.races(exec.step, t.id, t.pending, this.clockOf(t.id, t.pending));
    }
  }

  /** Accesses so far to the words of `o`. */
  private accessCount(o: Op): number {
    let n = 0;
    for (let k = 0; k < 2; k++) {
      const loc = k === 0 ? o.loc : o.loc2;
      if (loc >= 0) n += this.accesses[loc]?.length ?? 0;
    }
    return n;
  }

  /** The vector clock `o` by thread `tid` gets when it runs next: its thread's, joined with the accesses it depends on. */
  private clockOf(tid: number, o: Op): Int32Array {
    const c = Int32Array.from(this.threadClock[tid]!);
    const write = !isRead(o);
    for (let k = 0; k < 2; k++) {
      const loc = k === 0 ? o.loc : o.loc2;
      if (loc < 0) continue;
      const w = this.lastWrite[loc];
      if (w !== undefined) join(c, w);
      if (write) {
        const r = this.reads[loc];
        if (r !== undefined) join(c, r);
      }
    }
    return c;
  }

  /**
   * Source-DPOR race reversal (Abdulla, Aronis, Jonsson, Sagonas, POPL 2014):
   * the op `o` of thread `p`, as step `i` with clock `c`, races with each earlier
   * dependent step `j` of another thread that happens before it with nothing in
   * between. For each race, the steps after `j` that do not happen after it,
   * then `o`, form a sequence `v` that reverses the race; unless a thread that
   * can start `v` is already explored (or asleep) at `j`, one such thread is
   * added there. Adding the racing thread alone (Flanagan and Godefroid) is not
   * enough with sleep sets: the schedule reached only by `v`'s first thread is
   * then pruned in every branch.
   */
  private races(i: number, p: number, o: Op, c: Int32Array): void {
    const mine = this.threadClock[p]!;
    const found: number[] = [];
    for (let k = 0; k < 2; k++) {
      const loc = k === 0 ? o.loc : o.loc2;
      if (loc < 0) continue;
      const list = this.accesses[loc];
      if (list === undefined) continue;
      for (let x = list.length - 1; x >= 0; x--) {
        const j = list[x]!;
        const tj = this.stepTid[j]!;
        const sj = this.stepOp[j]!;
        const dep = tj !== p && dependent(sj, o);
        // A step already ordered before `p`: it and everything before it at this word are no race.
        if (this.stepClock[j]![tj]! <= mine[tj]!) {
          if (isWrite(sj)) break;
          continue;
        }
        if (dep && !found.some((r) => this.stepClock[r]![tj]! >= j + 1)) found.push(j);
        // Every earlier access to the word happens before this write.
        if (isWrite(sj) && dep) break;
      }
    }
    for (const j of found) this.reverse(j, i, p, c);
  }

  private reverse(j: number, i: number, p: number, c: Int32Array): void {
    const node = this.stack[j];
    if (node === undefined) return;
    const tj = this.stepTid[j]!;
    const first = this.firstScratch;
    first.fill(-1);
    let seen = 0;
    let initials = 0;
    for (let k = j + 1; k < i; k++) {
      const ck = this.stepClock[k]!;
      if (ck[tj]! >= j + 1) continue;
      const q = this.stepTid[k]!;
      if (((seen >>> q) & 1) === 1) continue;
      if (!this.preceded(ck, q)) initials |= 1 << q;
      seen |= 1 << q;
      first[q] = k;
    }
    if (((seen >>> p) & 1) === 0 && !this.preceded(c, p)) initials |= 1 << p;
    if ((initials & (node.backtrack | node.sleep)) !== 0) return;
    const ready = initials & node.enabled;
    if (ready === 0) {
      // No thread of `v` can start at `j` (the racing op waits there): try everything.
      node.backtrack |= node.enabled;
      return;
    }
    node.backtrack |= ((ready >>> p) & 1) === 1 ? 1 << p : ready & -ready;
  }

  /** True when a step with clock `ck` of thread `q` happens after the first step in `v` of another thread. */
  private preceded(ck: Int32Array, q: number): boolean {
    const first = this.firstScratch;
    for (let u = 0; u < this.n; u++) if (u !== q && first[u]! >= 0 && ck[u]! >= first[u]! + 1) return true;
    return false;
  }

  onStep(exec: Execution, tid: number, o: Op): void {
    const i = exec.step - 1;
    if (!this.reduction) return;
    const c = this.clockOf(tid, o);
    c[tid] = i + 1;
    this.races(i, tid, o, c);
    for (let k = 0; k < 2; k++) {
      const loc = k === 0 ? o.loc : o.loc2;
      if (loc < 0) continue;
      if (isRead(o)) {
        let r = this.reads[loc];
        if (r === undefined) {
          r = new Int32Array(this.n);
          this.reads[loc] = r;
        }
        join(r, c);
      } else {
        this.lastWrite[loc] = c;
        this.reads[loc] = undefined;
      }
      let list = this.accesses[loc];
      if (list === undefined) {
        list = [];
        this.accesses[loc] = list;
      }
      list.push(i);
    }
    this.threadClock[tid] = c;
    this.stepClock[i] = c;
    this.stepOp[i] = o;
    this.stepTid[i] = tid;
    void this.explorer;
  }
}

function join(into: Int32Array, from: Int32Array): void {
  for (let i = 0; i < into.length; i++) if (from[i]! > into[i]!) into[i] = from[i]!;
}

function lowest(mask: number): number {
  return 31 - Math.clz32(mask & -mask);
}

function maskList(mask: number): string {
  const out: number[] = [];
  for (let i = 0; i < 31; i++) if (((mask >>> i) & 1) === 1) out.push(i);
  return `{${out.join(', ')}}`;
}
