import type { Execution } from '../execution.js';
import type { ExecutionGraph, MemEvent } from './graph.js';

/**
 * The lost-update check of sequential consistency (`Execution.checkLostUpdate`)
 * on the graph: a non-atomic read-modify-write (a LOAD, then the same thread's
 * paired STORE to that word) loses an update when the store right before its
 * STORE in coherence order lies after the store its LOAD read from, is another
 * thread's, and wrote another value than the LOAD read. Checked for the pairs of
 * every location written by this op (its paired STORE just placed, another
 * thread's store placed inside a pair's window, a promised store that came), only
 * once the graph is known consistent: a run abandoned later is not reported.
 */
export function checkLostUpdates(exec: Execution, g: ExecutionGraph, pairs: ReadonlyMap<number, readonly { r: MemEvent; w: MemEvent }[]>, touched: readonly number[]): void {
  for (const loc of touched) {
    const list = pairs.get(loc);
    if (list === undefined) continue;
    const h = g.co.get(loc)!;
    for (const { r, w } of list) {
      if (r.rf < 0) continue;
      const pw = h.indexOf(w.id);
      const ps = h.indexOf(r.rf);
      if (pw - 1 <= ps) continue;
      const prev = g.events[h[pw - 1]!]!;
      if (prev.tid < 0 || prev.tid === w.tid || prev.value === r.value) continue;
      const other = exec.threads[prev.tid]!.name;
      const self = exec.threads[w.tid]!.name;
      // Events carry the step index they ran at; messages number steps from 1, as diagrams do.
      const at = (step: number): string => (step < 0 ? 'a promised step' : `step ${step + 1}`);
      const msg = prev.id > w.id
        ? `non-atomic store ${self} made at ${at(w.step)} overwrites the update ${other} made at ${at(prev.step)} (coherence order puts it first) that ${self}'s load at ${at(r.step)} did not read`
        : `non-atomic store overwrites the update ${other} made at ${at(prev.step)} after ${self} loaded the word at ${at(r.step)}`;
      // The update is lost by the pair's thread, at its store: when another thread's store placed before it in
      // coherence order shows it, the report names the pair's thread and store step (which steps ran in which
      // order does not change the execution). Else it is reported while the step runs, before it is counted.
      exec.report('lost-update', msg, prev.id > w.id ? { thread: self, step: w.step + 1 } : { step: exec.step + 1 });
      return;
    }
  }
}

/**
 * A paired STORE `w` (the second half of a non-atomic read-modify-write): pairs
 * it with `r`, its thread's latest LOAD, when that read the same word. Returns
 * whether it did (the word then has a pair to check).
 */
export function pairStore(pairs: Map<number, { r: MemEvent; w: MemEvent }[]>, r: MemEvent | undefined, w: MemEvent): boolean {
  if (r === undefined || r.loc !== w.loc) return false;
  const list = pairs.get(w.loc);
  if (list === undefined) pairs.set(w.loc, [{ r, w }]);
  else list.push({ r, w });
  return true;
}
