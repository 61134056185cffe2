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
 * Whether the value `w` stores is computed from what `r` read: a chain of
 * data dependencies (and an RMW's write from its read) and reads-from edges
 * from `w` back to `r` in the graph.
 */
export function valueFrom(g: ExecutionGraph, w: MemEvent, r: MemEvent): boolean {
  const seen = new Set<number>();
  const todo: MemEvent[] = [w];
  while (todo.length > 0) {
    const e = todo.pop()!;
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    if (e.kind === READ) {
      if (e.id === r.id) return true;
      if (e.rf >= 0) todo.push(g.events[e.rf]!);
      continue;
    }
    if (e.kind !== WRITE) continue;
    if (e.rmw >= 0) todo.push(g.events[e.rmw]!);
    const data = e.deps?.data;
    if (data === undefined || data.length === 0) continue;
    for (const x of g.events) if (x.tid === e.tid && x.kind === READ && data.includes(x.index)) todo.push(x);
  }
  return false;
}
