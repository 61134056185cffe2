/**
 * Out-of-thin-air values (docs/memory-model.md): a store offered to an
 * earlier load whose value was computed from that load makes the values
 * circular, and the load reads a symbolic value, as herd7 leaves it.
 * @remarks Since 0.1.0
 */
import { READ, WRITE, type ExecutionGraph, type MemEvent } from './graph.js';

/**
 * The symbolic value of a load whose value is circular (herd7's `S<n>`): one
 * number per load, far from the small constants litmus tests and kernel specs
 * use, so it equals none of them.
 */
export function symbolicValue(r: MemEvent): number {
  return SYMBOLIC_BASE + r.step;
}
/** Where symbolic values start (2^30). */
export const SYMBOLIC_BASE = 0x40000000;

/**
 * The reads the value `w` stores is computed from: those reached from `w`
 * back through data dependencies (and an RMW's write from its read, and a
 * paired store from its load: `pairedRead`, the kernel model's non-atomic
 * `x = x + 1`) and reads-from edges in the graph. A load among them that
 * reads `w` makes the values circular.
 */
export function valueSources(g: ExecutionGraph, w: MemEvent, pairedRead?: (e: MemEvent) => MemEvent | undefined): Set<number> {
  const reads = new Set<number>();
  const seen = new Set<number>();
  const todo: MemEvent[] = [w];
  while (todo.length > 0) {
    const e = todo.pop()!;
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    if (e.kind === READ) {
      reads.add(e.id);
      if (e.rf >= 0) todo.push(g.events[e.rf]!);
      continue;
    }
    if (e.kind !== WRITE) continue;
    if (e.rmw >= 0) todo.push(g.events[e.rmw]!);
    const paired = pairedRead?.(e);
    if (paired !== undefined) todo.push(paired);
    const data = e.deps?.data;
    if (data === undefined || data.length === 0) continue;
    for (const x of g.events) if (x.tid === e.tid && x.kind === READ && data.includes(x.index)) todo.push(x);
  }
  return reads;
}

/**
 * The porf-prefix of store `w` (the events from which a path of program order
 * and reads-from edges leads to `w`), as the last event in it of each thread
 * (a thread's events are added in program order). Only a read in it needs a
 * promise to read `w`: otherwise the steps `w` comes after (its thread's before
 * it, and recursively the stores they read) do not come after the read, and the
 * exhaustive search's partial-order reduction reverses the race of the read and
 * `w` (a load and a store of one word), so some run performs them before the
 * read, which reads `w` as an earlier store. A promise for it would reach the
 * same executions again, through runs abandoned whenever the store does not
 * come. A read still waiting for a promised store reads from beyond its
 * thread's performed events.
 * @remarks Since 0.1.0
 */
export function porfPrefix(g: ExecutionGraph, w: MemEvent): Map<number, number> {
  const bound = new Map<number, number>([[w.tid, w.id]]);
  const last = new Map<number, number>();
  for (const e of g.events) last.set(e.tid, e.id);
  for (let changed = true; changed; ) {
    changed = false;
    for (const e of g.events) {
      if (e.kind !== READ || e.id > (bound.get(e.tid) ?? -1)) continue;
      let tid: number;
      let id: number;
      if (e.rf >= 0) {
        tid = g.events[e.rf]!.tid;
        id = e.rf;
      } else if (e.promise !== undefined) {
        tid = e.promise.tid;
        id = last.get(tid) ?? -1;
      } else continue;
      if (tid >= 0 && id > (bound.get(tid) ?? -1)) {
        bound.set(tid, id);
        changed = true;
      }
    }
  }
  return bound;
}

/** Whether event `e` lies in a prefix `porfPrefix` computed. */
export function inPrefix(prefix: ReadonlyMap<number, number>, e: MemEvent): boolean {
  return e.id <= (prefix.get(e.tid) ?? -1);
}

/**
 * Whether program order and reads-from between threads form no cycle in `g`.
 * A run in which some load read a promised store and whose final graph has no
 * such cycle performed that load before the store it read, though nothing
 * made the store depend on the load: some other run performs the store first
 * and reaches the same execution without a promise (`porfPrefix`). Such a run
 * is redundant, and checkers that watched it saw a value before the step that
 * wrote it; it is abandoned, not reported.
 * @remarks Since 0.1.0
 */
export function porfAcyclic(g: ExecutionGraph): boolean {
  // Kahn's algorithm over the threads' events (`byThread`, in program order); initial writes have no edges.
  const indegree = new Int32Array(g.events.length);
  const next = new Int32Array(g.events.length).fill(-1);
  const readers = new Map<number, number[]>();
  let left = 0;
  for (const list of g.byThread.values()) {
    left += list.length;
    for (let i = 1; i < list.length; i++) {
      next[list[i - 1]!] = list[i]!;
      indegree[list[i]!]!++;
    }
  }
  for (const e of g.events) {
    if (e.kind !== READ || e.rf < 0) continue;
    const w = g.events[e.rf]!;
    if (w.tid < 0 || w.tid === e.tid) continue;
    indegree[e.id]!++;
    const list = readers.get(w.id);
    if (list === undefined) readers.set(w.id, [e.id]);
    else list.push(e.id);
  }
  const ready: number[] = [];
  for (const list of g.byThread.values()) if (list.length > 0 && indegree[list[0]!] === 0) ready.push(list[0]!);
  const release = (x: number): void => {
    if (--indegree[x]! === 0) ready.push(x);
  };
  while (ready.length > 0) {
    const id = ready.pop()!;
    left--;
    if (next[id]! >= 0) release(next[id]!);
    for (const r of readers.get(id) ?? []) release(r);
  }
  return left === 0;
}
