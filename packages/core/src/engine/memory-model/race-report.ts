import type { Execution } from '../execution.js';
import { PLAIN, WRITE, type ExecutionGraph } from './graph.js';

/**
 * Reports linux-kernel.cat's `data-race` flag on a run as a `data-race`
 * violation, naming the two racing accesses (`pair`: graph ids, the earlier first).
 * @remarks Since 0.1.0
 */
export function reportDataRace(exec: Execution, g: ExecutionGraph, pair: readonly [number, number]): void {
  const [a, b] = pair;
  const show = (id: number): string => {
    const e = g.events[id]!;
    return `${exec.threads[e.tid]?.name ?? `thread ${e.tid}`}'s ${(e.tags & PLAIN) !== 0 ? 'plain' : 'marked'} ${e.kind === WRITE ? 'store' : 'load'} ${e.fn} at step ${e.step + 1}`;
  };
  exec.report('data-race', `data race (linux-kernel.cat: flag data-race): ${show(a)} and ${show(b)} access the same word, at least one plain, with nothing ordering them`, { step: g.events[b]!.step });
}
