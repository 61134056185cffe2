import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Program } from '../../../src/engine/execution.js';
import { countPreemptions } from '../../../src/engine/strategies.js';
import { arbBigProgram, arbProgram } from './arbitraries.js';
import { fromInstrs, outcomes, program, sorted, store, type Instr } from './programs.js';

const ld = (loc: number): Instr => ({ k: 'load', loc });
const st = (loc: number, c: number): Instr => ({ k: 'store', loc, c });
const add = (loc: number, c: number): Instr => ({ k: 'add', loc, c });
const cas = (loc: number, expect: number, c: number): Instr => ({ k: 'cas', loc, expect, c });
const inc = (loc: number): Instr => ({ k: 'inc', loc });
const locked = (l: number, ...body: Instr[]): Instr => ({ k: 'locked', lock: l, body });
const waitFor = (loc: number, value: number): Instr => ({ k: 'wait', loc, value });
const throwIf = (value: number): Instr => ({ k: 'throwIf', value });

/** Small programs: 2-3 threads, 2-6 steps each, shared and private words, locks. */
const PROGRAMS: Record<string, Program> = {
  'store buffering': fromInstrs([[st(0, 1), ld(1)], [st(1, 1), ld(0)]]),
  'message passing': fromInstrs([[st(0, 7), st(1, 1)], [ld(1), st(2, 0), ld(0)]]),
  'two non-atomic increments': fromInstrs([[inc(0), ld(0)], [inc(0), ld(0)]]),
  'a non-atomic and an atomic increment': fromInstrs([[inc(0), ld(1)], [add(0, 1), st(1, 5)]]),
  'a counter under a lock, three threads': fromInstrs([[locked(0, ld(0), st(0, 1))], [locked(0, ld(0), st(0, 1))], [locked(0, ld(0), st(0, 1))]]),
  'locks taken in opposite orders': fromInstrs([[locked(0, locked(1, st(0, 1)))], [locked(1, locked(0, st(0, 2)))]]),
  'three compare-and-swaps': fromInstrs([[cas(0, 0, 1), ld(0)], [cas(0, 0, 2), ld(0)], [cas(0, 1, 3)]]),
  'waiting for a flag': fromInstrs([[st(1, 1), add(0, 1)], [waitFor(1, 1), ld(0), st(2, 0)], [ld(0), locked(0, st(0, 4))]]),
  'disjoint and shared words mixed': fromInstrs([[st(0, 1), ld(2), st(0, 2)], [st(1, 1), add(2, 1)], [ld(1), ld(0)]]),
  'a thread that fails beside a racing pair': fromInstrs([[ld(2), throwIf(0)], [inc(0)], [inc(0)]]),
  'a thread that fails only after a write': fromInstrs([[ld(1), throwIf(1), st(2, 1)], [st(1, 1), ld(2)]]),
};

describe('DfsExplorer', () => {
  describe('reduction is sound', () => {
    for (const [name, p] of Object.entries(PROGRAMS)) {
      it(`reaches the same final states and violations with and without reduction: ${name}`, () => {
        const reduced = outcomes(p);
        const plain = outcomes(p, { reduction: false });
        expect(sorted(reduced.outcomes)).toEqual(sorted(plain.outcomes));
        expect(reduced.result.schedules).toBeLessThanOrEqual(plain.result.schedules);
        expect(reduced.result.complete).toBe(true);
        expect(plain.result.complete).toBe(true);
        // Plain DFS runs every schedule exactly once.
        expect(new Set(plain.schedules).size).toBe(plain.schedules.length);
        expect(plain.result.pruned).toBe(0);
      });
    }

    it('needs one schedule when two threads write different words', () => {
      const p = program('disjoint', 2, [
        { name: 'A', *start() { yield store(0, 1); yield store(0, 2); } },
        { name: 'B', *start() { yield store(1, 1); yield store(1, 2); } },
      ]);
      const reduced = outcomes(p);
      expect(reduced.result.schedules).toBe(1);
      expect(reduced.result.complete).toBe(true);
      expect(sorted(reduced.outcomes)).toEqual(['memory 2,2']);
      // Without reduction: every interleaving of 2 + 2 steps.
      expect(outcomes(p, { reduction: false }).result.schedules).toBe(6);
    });

    it('runs fewer schedules than plain DFS when threads share little', () => {
      const p = PROGRAMS['disjoint and shared words mixed']!;
      expect(outcomes(p).result.schedules).toBeLessThan(outcomes(p, { reduction: false }).result.schedules);
    });

    it('says complete only when it ran out of schedules', () => {
      const p = PROGRAMS['two non-atomic increments']!;
      expect(outcomes(p).result.complete).toBe(true);
      const cut = outcomes(p, { reduction: false, maxSchedules: 3 });
      expect(cut.result.schedules).toBe(3);
      expect(cut.result.complete).toBe(false);
    });

    it('reaches the same outcomes as plain DFS on generated programs', () => {
      fc.assert(
        fc.property(arbProgram, (threads) => {
          const p = fromInstrs(threads);
          const reduced = outcomes(p);
          const plain = outcomes(p, { reduction: false });
          expect(sorted(reduced.outcomes)).toEqual(sorted(plain.outcomes));
          expect(reduced.result.schedules).toBeLessThanOrEqual(plain.result.schedules);
          expect(reduced.result.complete).toBe(true);
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('preemption bound', () => {
    const schedulesWithin = (p: Program, bound: number): string[] => {
      const within: string[] = [];
      const all = new Map<string, number>();
      outcomesWithPreemptions(p, { reduction: false }, all);
      for (const [s, n] of all) if (n <= bound) within.push(s);
      return within.sort();
    };

    it('with bound 0 runs only the schedules that never preempt', () => {
      const p = PROGRAMS['disjoint and shared words mixed']!;
      const seen = new Map<string, number>();
      const r = outcomesWithPreemptions(p, { preemptionBound: 0 }, seen);
      expect([...seen.values()].every((n) => n === 0)).toBe(true);
      // Three threads that never block: one schedule per order of the threads.
      expect(sorted(seen.keys())).toEqual(['0000111222', '0000222111', '1110000222', '1112220000', '2220000111', '2221110000']);
      expect(r.complete).toBe(true);
    });

    for (const bound of [0, 1, 2]) {
      it(`with bound ${bound} runs exactly the schedules with at most ${bound} preemptions`, () => {
        for (const name of ['two non-atomic increments', 'locks taken in opposite orders', 'waiting for a flag']) {
          const p = PROGRAMS[name]!;
          const seen = new Map<string, number>();
          outcomesWithPreemptions(p, { preemptionBound: bound }, seen);
          expect({ name, schedules: sorted(seen.keys()) }).toEqual({ name, schedules: schedulesWithin(p, bound) });
        }
      });
    }
  });

  describe('sharding', () => {
    for (const reduction of [true, false]) {
      for (const count of [2, 3]) {
        it(`finds the same final states in ${count} shards as in one run (reduction ${String(reduction)})`, () => {
          for (const [name, p] of Object.entries(PROGRAMS)) {
            const single = outcomes(p, { reduction });
            const union = new Set<string>();
            let total = 0;
            for (let index = 0; index < count; index++) {
              const part = outcomes(p, { reduction, shard: { index, count } });
              expect(part.result.complete).toBe(true);
              part.outcomes.forEach((o) => union.add(o));
              total += part.result.schedules;
            }
            expect({ name, outcomes: sorted(union) }).toEqual({ name, outcomes: sorted(single.outcomes) });
            expect(total).toBeGreaterThanOrEqual(single.result.schedules);
          }
        });
      }
    }

    it('splits a tree bigger than the probe evenly enough: no shard runs more than 3/4 of the whole', () => {
      // 4 threads, each a locked increment: 4! orders of the critical sections and more, with reduction.
      const p = fromInstrs([0, 1, 2, 3].map(() => [locked(0, inc(0))]));
      const single = outcomes(p).result.schedules;
      for (const count of [2, 3]) {
        const parts = Array.from({ length: count }, (_, index) => outcomes(p, { shard: { index, count }, shardProbe: { pendingPerShard: 2, maxRuns: 4 } }).result);
        for (const r of parts) {
          expect(r.complete).toBe(true);
          expect(r.schedules).toBeLessThanOrEqual(Math.ceil(single * 0.75));
        }
        expect(parts.reduce((n, r) => n + r.schedules, 0)).toBeGreaterThanOrEqual(single);
      }
    });

    it('splits the work: each shard runs fewer schedules than the whole', () => {
      const p = PROGRAMS['a counter under a lock, three threads']!;
      const single = outcomes(p, { reduction: false }).result.schedules;
      const parts = [0, 1, 2].map((index) => outcomes(p, { reduction: false, shard: { index, count: 3 } }).result.schedules);
      for (const n of parts) expect(n).toBeLessThan(single);
    });

    it('finds the same outcomes in shards as in one run on generated programs', () => {
      fc.assert(
        // Short probes, so the split happens inside these small trees (the defaults would probe them whole).
        fc.property(arbProgram, fc.integer({ min: 2, max: 3 }), fc.boolean(), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 6 }), (threads, count, reduction, pendingPerShard, maxRuns) => {
          const p = fromInstrs(threads);
          const single = outcomes(p, { reduction: false });
          const union = new Set<string>();
          for (let index = 0; index < count; index++) {
            const part = outcomes(p, { reduction, shard: { index, count }, shardProbe: { pendingPerShard, maxRuns } });
            expect(part.result.complete).toBe(true);
            part.outcomes.forEach((o) => union.add(o));
          }
          expect(sorted(union)).toEqual(sorted(single.outcomes));
        }),
        { numRuns: 100 },
      );
    });
  });

  it('rejects a shard outside its count', () => {
    const p = PROGRAMS['store buffering']!;
    expect(() => outcomes(p, { shard: { index: 2, count: 2 } })).toThrow(/0 <= index < count/);
  });
});

/** Runs an exhaustive search, mapping each schedule run to its preemption count. */
function outcomesWithPreemptions(p: Program, options: { reduction?: boolean; preemptionBound?: number }, seen: Map<string, number>): { complete: boolean } {
  const r = outcomes(p, {
    ...options,
    onRun: (e) => {
      const key = e.schedule.join('');
      expect(seen.has(key)).toBe(false);
      seen.set(key, countPreemptions(e.schedule, e.enabledAt));
    },
  });
  return { complete: r.result.complete };
}

describe('DfsExplorer with sleep sets: schedules only a race reversal through a third thread reaches', () => {
  // Both found by the generated-programs property. Flanagan and Godefroid's rule (add the racing thread at the
  // race) loses these with sleep sets: the thread to add is asleep there, and the branch of the thread that
  // must go first instead is pruned in turn. Source-DPOR's rule (add a thread that can start the reversed
  // sequence) reaches them.
  it('reaches the deadlock of one waiter that only an add between two waits gives', () => {
    const p = fromInstrs([[add(2, 1)], [ld(0), waitFor(2, 0)], [waitFor(2, 0)]]);
    const plain = outcomes(p, { reduction: false });
    const reduced = outcomes(p);
    expect(plain.outcomes).toContain('deadlock in T1');
    expect(sorted(reduced.outcomes)).toEqual(sorted(plain.outcomes));
    expect(reduced.result.schedules).toBeLessThan(plain.result.schedules);
  });

  it('reaches the load before an add and the load after it, with an independent step first', () => {
    // T2 reads 0 before T0's add and T1 reads 1 after it: only T1's (independent) wait may go first.
    const p = fromInstrs([[add(0, 1)], [waitFor(1, 0), ld(0)], [ld(0)]]);
    const plain = outcomes(p, { reduction: false });
    const reduced = outcomes(p);
    expect(plain.outcomes).toContain('memory 1,0,0,0,0,0,1,0');
    expect(sorted(reduced.outcomes)).toEqual(sorted(plain.outcomes));
    expect(reduced.result.schedules).toBeLessThan(plain.result.schedules);
  });
});

// Minutes, so not in CI: PAGECHECK_NIGHTLY=1 npx -y pnpm@10 vitest run packages/core/test/unit/engine/dpor.test.ts
describe.runIf(process.env.PAGECHECK_NIGHTLY === '1')('DfsExplorer on many more and bigger generated programs (nightly)', () => {
  it('reaches the outcomes plain DFS reaches, with and without shards', () => {
    fc.assert(
      fc.property(arbBigProgram, fc.integer({ min: 2, max: 4 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 8 }), (threads, count, pendingPerShard, maxRuns) => {
        const p = fromInstrs(threads);
        const plain = sorted(outcomes(p, { reduction: false }).outcomes);
        expect(sorted(outcomes(p).outcomes)).toEqual(plain);
        const union = new Set<string>();
        for (let index = 0; index < count; index++) outcomes(p, { shard: { index, count }, shardProbe: { pendingPerShard, maxRuns } }).outcomes.forEach((o) => union.add(o));
        expect(sorted(union)).toEqual(plain);
      }),
      { numRuns: 1000 },
    );
  }, 3_600_000);

  it('reaches the outcomes plain DFS reaches on small programs, many times over', () => {
    fc.assert(
      fc.property(arbProgram, (threads) => {
        const p = fromInstrs(threads);
        expect(sorted(outcomes(p).outcomes)).toEqual(sorted(outcomes(p, { reduction: false }).outcomes));
      }),
      { numRuns: 20_000 },
    );
  }, 3_600_000);
});
