import type { TraceStep } from './execution.js';
import { isWrite, LOCK, UNLOCK } from './op.js';

/** Two steps of different threads that race on a word. */
export interface RacingPair {
  /** The earlier step (its index in the trace). */
  readonly a: number;
  /** The later step. */
  readonly b: number;
  /** The word they race on (of two, when a 64-bit store makes them race on both, the one the run touched first). */
  readonly loc: number;
}

/**
 * The racing accesses of a recorded run, in pairs: two steps race when they
 * touch the same word from different threads, at least one writes, and their
 * threads hold no lock in common at those steps (lock and unlock steps
 * themselves are not accesses). The race diagram's `racingSteps` marks the
 * same steps; this says which step races with which. Sorted by `a`, then `b`.
 */
export function racingPairs(trace: readonly TraceStep[]): RacingPair[] {
  const byLoc = new Map<number, number[]>();
  const held = new Map<number, Set<number>>();
  const heldAt: Set<number>[] = [];
  trace.forEach((s, i) => {
    let h = held.get(s.tid);
    if (h === undefined) held.set(s.tid, (h = new Set()));
    if (s.op.kind === LOCK) h.add(s.op.loc);
    heldAt[i] = new Set(h);
    if (s.op.kind === UNLOCK) h.delete(s.op.loc);
    if (s.op.kind === LOCK || s.op.kind === UNLOCK) return;
    for (const l of [s.op.loc, s.op.loc2]) {
      if (l < 0) continue;
      let list = byLoc.get(l);
      if (list === undefined) byLoc.set(l, (list = []));
      list.push(i);
    }
  });
  const pairs = new Map<string, RacingPair>();
  for (const [loc, list] of byLoc) {
    for (let x = 0; x < list.length; x++) {
      for (let y = x + 1; y < list.length; y++) {
        const a = list[x]!;
        const b = list[y]!;
        const sa = trace[a]!;
        const sb = trace[b]!;
        if (sa.tid === sb.tid || !(isWrite(sa.op) || isWrite(sb.op)) || shareLock(heldAt[a]!, heldAt[b]!)) continue;
        const key = `${a}:${b}`;
        if (!pairs.has(key)) pairs.set(key, { a, b, loc });
      }
    }
  }
  return [...pairs.values()].sort((p, q) => p.a - q.a || p.b - q.b);
}

function shareLock(a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  for (const l of a) if (b.has(l)) return true;
  return false;
}
