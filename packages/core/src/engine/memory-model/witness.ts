import type { Execution } from '../execution.js';
import { FENCE_EVENT, READ, type MemEvent } from './graph.js';
import { WeakMemory } from './weak-memory.js';
import { renderColumns } from '../../text/columns.js';

/**
 * Renders the execution graph of a recorded weak-model run, herd-style: one
 * column per thread with its events in program order (each read with the
 * store it read from), then each location's coherence order.
 * @remarks Since 0.1.0
 */
export function renderWitness(exec: Execution, nameOf: (loc: number) => string = (l) => `@${l}`): string {
  const weak = exec.weak;
  if (!(weak instanceof WeakMemory)) throw new Error('renderWitness needs a run under a weak memory model (memoryModel: lkmm)');
  const g = weak.graph;
  const names = exec.threads.map((t) => t.name);
  const who = (e: MemEvent): string => (e.tid < 0 ? 'init' : names[e.tid] ?? `T${e.tid}`);
  const columns = names.map((_n, tid) => (g.byThread.get(tid) ?? []).map((id) => {
    const e = g.events[id]!;
    if (e.kind === FENCE_EVENT) return `${e.fn}()`;
    const loc = nameOf(e.loc);
    if (e.kind === READ) {
      const src = e.rf >= 0 ? g.events[e.rf]! : undefined;
      const from = src === undefined ? 'promised' : who(src);
      return `${e.fn}(${loc}) = ${e.value}  <-rf ${from}`;
    }
    return e.rmw >= 0 ? `  ${e.fn} writes ${loc} = ${e.value}` : `${e.fn}(${loc}, ${e.value})`;
  }));
  const rows = Math.max(0, ...columns.map((c) => c.length));
  const out = [renderColumns(names, Array.from({ length: rows }, (_x, r) => columns.map((c) => c[r] ?? '')))];
  const locs = [...g.co.keys()].sort((a, b) => a - b);
  for (const loc of locs) {
    const h = g.co.get(loc)!;
    out.push(`co ${nameOf(loc)}: ${h.map((id) => `${who(g.events[id]!)}:${g.events[id]!.value}`).join(' -> ')}`);
  }
  return out.join('\n');
}
