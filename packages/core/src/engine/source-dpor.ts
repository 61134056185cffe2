import type { Node } from './dfs-path.js';
import { dependent, isWrite, LOAD, WAIT, type Op } from './op.js';

/** A word's last write, or one thread's last read of it since that write. */
interface Access {
  step: number;
  tid: number;
  op: Op;
}

/** What source-DPOR keeps of one word: its last write and, per thread, its last read since. */
interface Word {
  /** Clock of the last write (undefined: none yet). */
  writeClock: Int32Array | undefined;
  /** Join of the clocks of the reads since the last write (undefined: none). */
  readClock: Int32Array | undefined;
  write: Access | undefined;
  /** Per thread, its latest read since the last write, ordered by step. */
  reads: Access[];
  /** Accesses so far (a thread waiting on the word re-checks its races when this changes). */
  count: number;
}

/**
 * Source-DPOR's bookkeeping for one run of the exhaustive search: the vector
 * clock of every step (happens-before), per word its last write and each
 * thread's last read since, and the race reversal that adds backtrack threads
 * to the path's nodes. Older accesses to a word are never needed: every one
 * happens before its last write, and a thread's earlier reads happen before
 * its last one, so a race with them is never the one reversed.
 */
export class RaceTracker {
  private readonly threadClock: Int32Array[];
  /** The clock of step i is `stepClocks[i * n .. i * n + n)`. */
  private stepClocks: Int32Array;
  private stepTids: Int32Array;
  private readonly words: (Word | undefined)[] = [];
  /** Per thread, its first step in the sequence a race reversal builds (-1: none). */
  private readonly firstScratch: Int32Array;
  private readonly scratch: Int32Array;

  constructor(
    private readonly stack: Node[],
    private readonly n: number,
  ) {
    this.firstScratch = new Int32Array(n);
    this.scratch = new Int32Array(n);
    this.threadClock = [];
    for (let i = 0; i < n; i++) this.threadClock.push(new Int32Array(n));
    this.stepClocks = new Int32Array(256 * n);
    this.stepTids = new Int32Array(256);
  }

  /** Accesses so far to the words of `o`. */
  accessCount(o: Op): number {
    let n = 0;
    for (let k = 0; k < 2; k++) {
      const loc = k === 0 ? o.loc : o.loc2;
      if (loc >= 0) n += this.words[loc]?.count ?? 0;
    }
    return n;
  }

  /** The vector clock `o` by thread `tid` gets when it runs next: its thread's, joined with the accesses it depends on. */
  clockOf(tid: number, o: Op): Int32Array {
    return this.clockInto(new Int32Array(this.n), tid, o);
  }

  private clockInto(c: Int32Array, tid: number, o: Op): Int32Array {
    c.set(this.threadClock[tid]!);
    const write = !isRead(o);
    for (let k = 0; k < 2; k++) {
      const loc = k === 0 ? o.loc : o.loc2;
      if (loc < 0) continue;
      const w = this.words[loc];
      if (w === undefined) continue;
      if (w.writeClock !== undefined) join(c, w.writeClock);
      if (write && w.readClock !== undefined) join(c, w.readClock);
    }
    return c;
  }

  /** Component `t` of step `j`'s clock. */
  private at(j: number, t: number): number {
    return this.stepClocks[j * this.n + t]!;
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
      const w = this.words[loc];
      if (w === undefined) continue;
      // Latest first: the reads since the last write (only a write races with them), then that write.
      if (!isRead(o)) for (let x = w.reads.length - 1; x >= 0; x--) this.race(w.reads[x]!, p, o, mine, found);
      if (w.write !== undefined) this.race(w.write, p, o, mine, found);
    }
    for (const j of found) this.reverse(j, i, p, c);
  }

  /** Adds access `a` to `found` if it races with `o` of thread `p` (whose clock before the step is `mine`). */
  private race(a: Access, p: number, o: Op, mine: Int32Array, found: number[]): void {
    const j = a.step;
    const tj = a.tid;
    // A step already ordered before `p` is no race.
    if (this.at(j, tj) <= mine[tj]!) return;
    if (tj !== p && dependent(a.op, o) && !found.some((r) => this.at(r, tj) >= j + 1)) found.push(j);
  }

  private reverse(j: number, i: number, p: number, c: Int32Array): void {
    const node = this.stack[j];
    if (node === undefined) return;
    const n = this.n;
    const tj = this.stepTids[j]!;
    const first = this.firstScratch;
    first.fill(-1);
    let seen = 0;
    let initials = 0;
    for (let k = j + 1; k < i; k++) {
      if (this.at(k, tj) >= j + 1) continue;
      const q = this.stepTids[k]!;
      if (((seen >>> q) & 1) === 1) continue;
      if (!this.preceded(this.stepClocks, k * n, q)) initials |= 1 << q;
      seen |= 1 << q;
      first[q] = k;
    }
    if (((seen >>> p) & 1) === 0 && !this.preceded(c, 0, p)) initials |= 1 << p;
    if ((initials & (node.backtrack | node.sleep)) !== 0) return;
    const ready = initials & node.enabled;
    if (ready === 0) {
      // No thread of `v` can start at `j` (the racing op waits there): try everything.
      node.backtrack |= node.enabled;
      return;
    }
    node.backtrack |= ((ready >>> p) & 1) === 1 ? 1 << p : ready & -ready;
  }

  /** True when a step with clock `clocks[at .. at + n)` of thread `q` happens after the first step in `v` of another thread. */
  private preceded(clocks: Int32Array, at: number, q: number): boolean {
    const first = this.firstScratch;
    for (let u = 0; u < this.n; u++) if (u !== q && first[u]! >= 0 && clocks[at + u]! >= first[u]! + 1) return true;
    return false;
  }

  /** Step `i`, op `o` of thread `tid`, was performed: reverse its races and record its clock and accesses. */
  step(i: number, tid: number, o: Op): void {
    const c = this.clockInto(this.scratch, tid, o);
    c[tid] = i + 1;
    this.races(i, tid, o, c);
    const read = isRead(o);
    for (let k = 0; k < 2; k++) {
      const loc = k === 0 ? o.loc : o.loc2;
      if (loc < 0) continue;
      let w = this.words[loc];
      if (w === undefined) {
        w = { writeClock: undefined, readClock: undefined, write: undefined, reads: [], count: 0 };
        this.words[loc] = w;
      }
      w.count++;
      if (read) {
        if (w.readClock === undefined) w.readClock = new Int32Array(this.n);
        join(w.readClock, c);
        const x = w.reads.findIndex((a) => a.tid === tid);
        if (x >= 0) w.reads.splice(x, 1);
        w.reads.push({ step: i, tid, op: o });
      } else {
        if (w.writeClock === undefined) w.writeClock = new Int32Array(this.n);
        w.writeClock.set(c);
        w.readClock = undefined;
        w.reads.length = 0;
        w.write = { step: i, tid, op: o };
      }
    }
    this.threadClock[tid]!.set(c);
    this.record(i, tid, c);
  }

  private record(i: number, tid: number, c: Int32Array): void {
    const n = this.n;
    if (i >= this.stepTids.length) {
      const tids = new Int32Array(Math.max(i + 1, this.stepTids.length * 2));
      tids.set(this.stepTids);
      this.stepTids = tids;
      const clocks = new Int32Array(tids.length * n);
      clocks.set(this.stepClocks);
      this.stepClocks = clocks;
    }
    this.stepTids[i] = tid;
    this.stepClocks.set(c, i * n);
  }
}

export function isRead(o: Op): boolean {
  return o.kind === LOAD || o.kind === WAIT;
}

function join(into: Int32Array, from: Int32Array): void {
  for (let i = 0; i < into.length; i++) if (from[i]! > into[i]!) into[i] = from[i]!;
}
