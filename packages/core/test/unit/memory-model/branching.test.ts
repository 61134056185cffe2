import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbBranchingProgram } from '../engine/arbitraries.js';
import { fromInstrs, outcome, sorted, type Instr } from '../engine/programs.js';
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

/**
 * Executions an exploration may complete on one generated program, and its wall time. Most
 * programs need a few hundred runs; a few plain DFS searches of three threads need tens of
 * thousands. A program whose stores write values computed from loads in a cycle, with no
 * dependency declared, need not end: in `T0: r = y; x = r + 1` against `T1, T2: r = x; y = r + 1`
 * each run offers a new value and nearly every run is abandoned (48 754 in 4 s against 36
 * executions), so only the time budget stops it.
 */
const BUDGET = 20_000;
const BUDGET_MS = 5_000;

/** The executions (graphs and outcomes) an exhaustive lkmm exploration completes. */
function executions(threads: Parameters<typeof fromInstrs>[0], reduction = true): { graphs: string[]; outcomes: string[]; complete: boolean } {
  const graphs = new Set<string>();
  const outs = new Set<string>();
  const r = exploreProgram(fromInstrs(threads), {
    strategy: 'exhaustive',
    stopOnFirst: false,
    memoryModel: 'lkmm',
    reduction,
    maxSchedules: BUDGET,
    timeBudgetMs: BUDGET_MS,
    onRun: (e) => {
      graphs.add(graphOf(e));
      outs.add(outcome(e));
    },
  });
  return { graphs: sorted(graphs), outcomes: sorted(outs), complete: r.complete };
}

/**
 * The reduced search and plain DFS complete the same graphs on `numRuns` programs both finish; at
 * most a tenth set aside. `seed`: the programs fast-check draws (CI), else new ones each run (nightly).
 */
function sameGraphs(data: boolean, numRuns: number, four = false, seed?: number): void {
  // Programs either search does not finish within its budget are set aside (fc.pre) and counted.
  let unfinished = 0;
  fc.assert(
    fc.property(arbBranchingProgram(data, four), (threads) => {
      const reduced = executions(threads);
      const plain = reduced.complete ? executions(threads, false) : reduced;
      if (!plain.complete) unfinished++;
      fc.pre(plain.complete);
      expect(reduced.graphs).toEqual(plain.graphs);
      expect(reduced.outcomes).toEqual(plain.outcomes);
    }),
    seed === undefined ? { numRuns } : { numRuns, seed },
  );
  expect(unfinished).toBeLessThanOrEqual(numRuns / 10);
}

/** Both searches finish on `threads`, plain DFS completes `n` graphs, and the reduced search the same. */
function expectSameGraphs(threads: Instr[][], n: number): void {
  const reduced = executions(threads);
  const plain = executions(threads, false);
  expect(reduced.complete && plain.complete).toBe(true);
  expect(plain.graphs).toHaveLength(n);
  expect(reduced.graphs).toEqual(plain.graphs);
}

describe('the partial-order reduction under lkmm, on generated programs that branch on values read', () => {
  // Seeded: a CI run must not pass or fail by the programs it happens to draw (a gap in the search
  // showed up in one CI run out of four: the case below). The nightly run draws new ones.
  it.each([
    ['constants', false, 1],
    ['values computed from the loads', true, 2],
  ])('completes the execution graphs plain DFS completes (stores write %s)', (_name, data, seed) => {
    sameGraphs(data, 150, false, seed);
  });

  // Found by the property above (seed -1053079837). T1 reads y = 1 from T0's last store (load
  // buffering), stores x = 1 and skips its last store; T0's add reads that x = 1. The only runs
  // that reach it revisit T1's load while T0 is in the sleep set (T0's next load was explored
  // first), and T0, asleep, never kept the promise: plain DFS completed 6 graphs, the reduced
  // search 5. A promising thread left alone, asleep, now wakes.
  it('completes the load-buffering execution where T0 reads x from the store T1 makes after reading T0 y', () => {
    const threads: Instr[][] = [
      [
        { k: 'load', loc: 0 },
        { k: 'load', loc: 1 },
        { k: 'add', loc: 0, c: 1 },
        { k: 'storeC', loc: 1, c: 1 },
      ],
      [
        { k: 'load', loc: 1 },
        { k: 'skipIf', value: 0 },
        { k: 'storeC', loc: 0, c: 1 },
        { k: 'skipIf', value: 1 },
        { k: 'storeC', loc: 1, c: 1 },
      ],
    ];
    expectSameGraphs(threads, 6);
  });

  // Found by the nightly run (seed -437834552): plain DFS completed 10 graphs, the reduced search
  // 9, and both missed one herd7 allows. In it T2's load of y reads y = 2, written by T2's own add
  // after T1 read x = 1 from T0, which read y = 2: a load reading an RMW write made after it. Stores
  // were offered to earlier loads, RMW writes were not; now they are, and both searches complete 11.
  it('completes the graphs where a load reads an RMW write made after it (3-thread load buffering)', () => {
    const threads: Instr[][] = [
      [
        { k: 'load', loc: 1 },
        { k: 'storeC', loc: 0, c: 1 },
      ],
      [
        { k: 'load', loc: 0 },
        { k: 'skipIf', value: 0 },
        { k: 'storeC', loc: 1, c: 1 },
      ],
      [
        { k: 'load', loc: 1 },
        { k: 'add', loc: 1, c: 1 },
      ],
    ];
    expectSameGraphs(threads, 11);
  });

  it('records the races of the ops pending in a run abandoned for a broken promise', () => {
    // T1 stores y and x only if it read y != 0; T0's RMW on y is pending when a run where T0 read
    // T1's promised store of x is abandoned (T1 read y = 0 and stored nothing). Its race with T1's
    // load of y, seen in no other run, leads to the execution where T1 reads T0's 2.
    const threads: Instr[][] = [
      [
        { k: 'load', loc: 0 },
        { k: 'load', loc: 0 },
        { k: 'add', loc: 1, c: 2 },
      ],
      [
        { k: 'load', loc: 1 },
        { k: 'skipIf', value: 0 },
        { k: 'store', loc: 1, c: 1 },
        { k: 'store', loc: 0, c: 1 },
      ],
    ];
    const reduced = executions(threads);
    const plain = executions(threads, false);
    expect(reduced.complete && plain.complete).toBe(true);
    expect(plain.graphs.length).toBeGreaterThan(1);
    expect(reduced.graphs).toEqual(plain.graphs);
    expect(reduced.outcomes).toEqual(plain.outcomes);
  });
});

// About 5 minutes (2-core machine), so not in CI: PAGECHECK_NIGHTLY=1 npx -y pnpm@10 vitest run packages/core/test/unit/memory-model/branching.test.ts
describe.runIf(process.env.PAGECHECK_NIGHTLY === '1')('the partial-order reduction under lkmm on 2 000 generated programs of 2 to 4 threads (nightly)', () => {
  it.each([
    ['constants', false],
    ['values computed from the loads', true],
  ])('completes the execution graphs plain DFS completes (stores write %s)', (_name, data) => {
    sameGraphs(data, 1_000, true);
  }, 3_600_000);
});
