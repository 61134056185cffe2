import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbBranchingProgram } from '../engine/arbitraries.js';
import { fromInstrs, outcome, sorted } from '../engine/programs.js';
import type { Execution } from '../../../src/engine/execution.js';
import { exploreProgram } from '../../../src/engine/explore-program.js';
import { READ } from '../../../src/engine/memory-model/graph.js';
import { WeakMemory } from '../../../src/engine/memory-model/weak-memory.js';

/** An execution graph as text: what each read read from, and each location's coherence order. */
function graphOf(e: Execution): string {
  const g = (e.weak as WeakMemory).graph;
  const name = (id: number): string => {
    const x = g.events[id]!;
    return `${x.tid}.${x.index}.${x.sub}`;
  };
  const rf = g.events.filter((x) => x.kind === READ).map((x) => `${name(x.id)}<${x.rf >= 0 ? name(x.rf) : '?'}=${x.value}`);
  const co = [...g.co.entries()].map(([loc, h]) => `${loc}:${h.map(name).join(',')}`);
  return `${rf.sort().join(' ')} | ${co.sort().join(' ')}`;
}

/** The executions (graphs and outcomes) an exhaustive lkmm exploration completes. */
function executions(threads: Parameters<typeof fromInstrs>[0], reduction = true): { graphs: string[]; outcomes: string[]; complete: boolean } {
  const graphs = new Set<string>();
  const outs = new Set<string>();
  const r = exploreProgram(fromInstrs(threads), {
    strategy: 'exhaustive',
    stopOnFirst: false,
    memoryModel: 'lkmm',
    reduction,
    onRun: (e) => {
      graphs.add(graphOf(e));
      outs.add(outcome(e));
    },
  });
  return { graphs: sorted(graphs), outcomes: sorted(outs), complete: r.complete };
}

describe('the partial-order reduction under lkmm, on generated programs that branch on values read', () => {
  it.each([
    ['constants', false],
    ['values computed from the loads', true],
  ])('completes the execution graphs plain DFS completes (stores write %s)', (_name, data) => {
    fc.assert(
      fc.property(arbBranchingProgram(data), (threads) => {
        const reduced = executions(threads);
        const plain = executions(threads, false);
        expect(reduced.complete && plain.complete).toBe(true);
        expect(reduced.graphs).toEqual(plain.graphs);
        expect(reduced.outcomes).toEqual(plain.outcomes);
      }),
      { numRuns: 150 },
    );
  });
});
