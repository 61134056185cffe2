import type { Node } from './dfs-path.js';
import { dependent, isWrite, LOAD, WAIT, type Op } from './op.js';

/**
 * Source-DPOR's bookkeeping for one run of the exhaustive search: vector
 * clocks of every step (happens-before), the accesses to each word, and the
 * race reversal that adds backtrack threads to the path's nodes.
 */
export class RaceTracker {
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

  constructor(
    private readonly stack: Node[],
    private readonly n: number,
  ) {
    this.firstScratch = new Int32Array(n);
    this.threadClock = [];
    for (let i = 0; i < n; i++) this.threadClock.push(new Int32Array(n));
  }

  /** Accesses so far to the words of `o`. */
  accessCount(o: Op): number {
    let n = 0;
    for (let k = 0; k < 2; k++) {
      const loc = k === 0 ? o.loc : o.loc2;
      if (loc >= 0) n += this.accesses[loc]?.length ?? 0;
    }
    return n;
  }

  /** The vector clock `o` by thread `tid` gets when it runs next: its thread's, joined with the accesses it depends on. */
  clockOf(tid: number, o: Op): Int32Array {
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
  races(i: number, p: number, o: Op, c: Int32Array): void {
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

  /** Step `i`, op `o` of thread `tid`, was performed: reverse its races and record its clock and accesses. */
  step(i: number, tid: number, o: Op): void {
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
  }
}

export function isRead(o: Op): boolean {
  return o.kind === LOAD || o.kind === WAIT;
}

function join(into: Int32Array, from: Int32Array): void {
  for (let i = 0; i < into.length; i++) if (from[i]! > into[i]!) into[i] = from[i]!;
}
