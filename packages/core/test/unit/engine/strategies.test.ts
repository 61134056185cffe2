import { describe, expect, it } from 'vitest';
import { Execution, type Program } from '../../../src/engine/execution.js';
import { exploreProgram, type EngineOptions, type EngineResult } from '../../../src/engine/explore-program.js';
import { RMW_ADD } from '../../../src/engine/op.js';
import { countPreemptions, PctChooser, RandomChooser, ReplayChooser } from '../../../src/engine/strategies.js';
import { load, lock, pause, program, rmw, runWith, store, unlock } from './programs.js';

/** Two threads each incrementing word 0 non-atomically, with private work around it. */
const racyCounter = program('racy counter', 3, [
  { name: 'A', *start() { yield store(1, 1); const v = yield load(0); yield store(0, v + 1, true); yield store(1, 2); } },
  { name: 'B', *start() { yield store(2, 1); const v = yield load(0); yield store(0, v + 1, true); yield store(2, 2); } },
]);

/**
 * A depth-2 ordering bug: B's read must come after A's first store and before
 * its second, and B first does 30 steps of other work.
 */
const depthTwo = program('depth two', 1, [
  { name: 'A', *start() { yield store(0, 1); yield pause(); yield store(0, 0); } },
  {
    name: 'B',
    *start() {
      for (let i = 0; i < 30; i++) yield pause();
      if ((yield load(0)) === 1) throw new Error('saw the half-initialised word');
    },
  },
]);

/** Three threads of 25 steps on shared words: longer than PCT's initial step estimate. */
const long = program('long', 3, [0, 1, 2].map((t) => ({
  name: `T${t}`,
  *start() {
    for (let i = 0; i < 25; i++) yield i % 3 === 0 ? rmw(i % 2, RMW_ADD, 1) : i % 3 === 1 ? load(i % 2) : store(2, t);
  },
})));

/** Runs an exploration and collects every schedule run, by index. */
function schedulesOf(p: Program, options: EngineOptions): { schedules: Map<number, string>; result: EngineResult } {
  const schedules = new Map<number, string>();
  const result = exploreProgram(p, { ...options, onRun: (e, i) => schedules.set(i, e.schedule.join('')) });
  return { schedules, result };
}

/** A result without its timing. */
function timeless(r: EngineResult): Omit<EngineResult, 'elapsedMs'> {
  const { elapsedMs: _elapsed, ...rest } = r;
  return rest;
}

describe('RandomChooser, PctChooser and PosChooser', () => {
  for (const strategy of ['random', 'pct', 'pos'] as const) {
    it(`${strategy}: the same seed gives the same schedules and results`, () => {
      const a = schedulesOf(racyCounter, { strategy, seed: 42, maxSchedules: 50, stopOnFirst: false });
      const b = schedulesOf(racyCounter, { strategy, seed: 42, maxSchedules: 50, stopOnFirst: false });
      expect(a.schedules.size).toBe(50);
      expect([...b.schedules]).toEqual([...a.schedules]);
      expect(timeless(b.result)).toEqual(timeless(a.result));
    });

    it(`${strategy}: different seeds give different schedules`, () => {
      const a = schedulesOf(long, { strategy, seed: 1, maxSchedules: 20 });
      const b = schedulesOf(long, { strategy, seed: 2, maxSchedules: 20 });
      expect([...b.schedules.values()]).not.toEqual([...a.schedules.values()]);
    });

    it(`${strategy}: varies the schedule from one run to the next`, () => {
      const a = schedulesOf(long, { strategy, seed: 1, maxSchedules: 20 });
      expect(new Set(a.schedules.values()).size).toBeGreaterThan(10);
    });

    for (const count of [2, 3]) {
      it(`${strategy}: ${count} shards together run exactly the schedules of one run`, () => {
        const options: EngineOptions = { strategy, seed: 9, maxSchedules: 30, stopOnFirst: false };
        const single = schedulesOf(long, options).schedules;
        const union = new Map<number, string>();
        for (let index = 0; index < count; index++) {
          for (const [i, s] of schedulesOf(long, { ...options, shard: { index, count } }).schedules) {
            expect(union.has(i)).toBe(false);
            union.set(i, s);
          }
        }
        expect([...union].sort((x, y) => x[0] - y[0])).toEqual([...single]);
      });
    }
  }

  it('random picks only enabled threads, uniformly enough', () => {
    const c = new RandomChooser(3);
    const e = new Execution(racyCounter);
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[c.choose(e, [0, 2])]! += 1;
    expect(counts[1]).toBe(0);
    expect(counts[0]).toBeGreaterThan(1300);
    expect(counts[2]).toBeGreaterThan(1300);
  });

  it('pct with depth 1 never preempts: the highest-priority thread runs to the end', () => {
    for (let seed = 0; seed < 20; seed++) {
      const e = runWith(long, new PctChooser(seed, 3, 1, 75));
      expect(countPreemptions(e.schedule, e.enabledAt)).toBe(0);
    }
  });

  it('pct finds a depth-2 ordering bug that random does not', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const pct = exploreProgram(depthTwo, { strategy: 'pct', depth: 2, seed, maxSchedules: 1000 });
      expect(pct.failures.map((f) => f.violation.kind)).toEqual(['thread-error']);
      expect(pct.failures[0]!.violation.thread).toBe('B');
      expect(pct.schedules).toBeLessThan(1000);
    }
    const random = exploreProgram(depthTwo, { strategy: 'random', seed: 1, maxSchedules: 1000 });
    expect(random.failures).toEqual([]);
    expect(random.schedules).toBe(1000);
  });

  it('pos finds the bug of depthTwo too, where B must run 31 steps in a row, which random does not', () => {
    // B's steps get fresh priorities while A's pending step keeps one: a low one lets B run on for many steps.
    for (const seed of [1, 2, 3, 4, 5]) {
      const pos = exploreProgram(depthTwo, { strategy: 'pos', seed, maxSchedules: 1000 });
      expect(pos.failures.map((f) => f.violation.kind)).toEqual(['thread-error']);
      expect(pos.schedules).toBeLessThan(500);
    }
  });

  it('random finds an obvious race quickly', () => {
    const r = exploreProgram(racyCounter, { strategy: 'random', seed: 1, maxSchedules: 100 });
    expect(r.failures.map((f) => f.violation.kind)).toEqual(['lost-update']);
    expect(r.schedules).toBeLessThan(20);
    expect(r.complete).toBe(false);
  });
});

describe('ReplayChooser', () => {
  it('replays a run\'s schedule strictly to the exact same trace', () => {
    for (let seed = 0; seed < 30; seed++) {
      const original = runWith(racyCounter, new RandomChooser(seed));
      const chooser = new ReplayChooser(original.schedule, false);
      const replayed = runWith(racyCounter, chooser);
      expect(chooser.diverged).toBeUndefined();
      const steps = (e: Execution) => e.trace!.map((s) => ({ tid: s.tid, kind: s.op.kind, loc: s.op.loc, value: s.value }));
      expect(steps(replayed)).toEqual(steps(original));
      expect(replayed.violations).toEqual(original.violations);
      expect(Array.from(replayed.memory.words)).toEqual(Array.from(original.memory.words));
    }
  });

  it('reports divergence when the schedule names a thread that is blocked', () => {
    const p = program('locks', 2, [
      { name: 'A', *start() { yield lock(0); yield store(1, 1); yield unlock(0); } },
      { name: 'B', *start() { yield lock(0); yield store(1, 2); yield unlock(0); } },
    ]);
    const chooser = new ReplayChooser([0, 1, 1, 1, 0, 0], false);
    const e = runWith(p, chooser);
    expect(chooser.diverged).toEqual({ step: 1, wanted: 1, enabled: [0] });
    // The run stops at the divergence instead of going on with a schedule that no longer lines up.
    expect(e.stopped).toBe(true);
    expect(e.schedule).toHaveLength(2);
    expect(e.violations).toEqual([]);
  });

  it('reports divergence when the schedule names a thread that has finished', () => {
    const p = program('finished', 3, [
      { name: 'A', *start() { yield store(0, 1); } },
      { name: 'B', *start() { yield store(1, 1); yield store(1, 2); } },
      { name: 'C', *start() { yield store(2, 1); yield store(2, 2); } },
    ]);
    const chooser = new ReplayChooser([0, 0, 1, 1, 2, 2], false);
    const e = runWith(p, chooser);
    expect(chooser.diverged).toEqual({ step: 1, wanted: 0, enabled: [1, 2] });
    expect(e.stopped).toBe(true);
    expect(e.schedule).toHaveLength(2);
  });

  it('lenient replay goes on with the current thread past the schedule\'s end', () => {
    const chooser = new ReplayChooser([1], true);
    const e = runWith(racyCounter, chooser);
    expect(chooser.diverged).toBeUndefined();
    expect(e.schedule).toEqual([1, 1, 1, 1, 0, 0, 0, 0]);
  });
});

describe('countPreemptions', () => {
  it('counts switches away from a thread that could go on', () => {
    expect(countPreemptions([0, 0, 1, 1, 0], undefined)).toBe(2);
    // At step 2 thread 0 was blocked (only thread 1 enabled): not a preemption; at step 4 thread 1 could go on.
    expect(countPreemptions([0, 0, 1, 1, 0], [0b11, 0b11, 0b10, 0b11, 0b11])).toBe(1);
    // At step 4 thread 1 had finished: not a preemption either.
    expect(countPreemptions([0, 0, 1, 1, 0], [0b11, 0b11, 0b10, 0b11, 0b01])).toBe(0);
    expect(countPreemptions([], undefined)).toBe(0);
  });
});
