import { describe, expect, it } from 'vitest';
import { exploreProgram } from '../../../src/engine/explore-program.js';
import { RMW_ADD } from '../../../src/engine/op.js';
import { load, lock, program, rmw, store, unlock } from './programs.js';

describe('exploreProgram', () => {
  /** Fails with a lost update in some schedules and a deadlock in others. */
  const twoBugs = program('two bugs', 4, [
    { name: 'A', *start() { const v = yield load(0); yield store(0, v + 1, true); yield lock(2); yield lock(3); yield unlock(3); yield unlock(2); } },
    { name: 'B', *start() { yield rmw(0, RMW_ADD, 1); yield lock(3); yield lock(2); yield unlock(2); yield unlock(3); } },
  ]);

  it('stops at the first failing schedule by default', () => {
    const runs: { index: number; failed: boolean }[] = [];
    const r = exploreProgram(twoBugs, { strategy: 'exhaustive', onRun: (e, index) => runs.push({ index, failed: e.violations.length > 0 }) });
    expect(r.failures).toHaveLength(1);
    expect(r.complete).toBe(false);
    expect(runs).toHaveLength(r.schedules);
    // The last run is the first that failed, and the failure carries its index.
    expect(runs.map((x) => x.failed)).toEqual([...new Array<boolean>(r.schedules - 1).fill(false), true]);
    expect(r.failures[0]!.index).toBe(runs[runs.length - 1]!.index);
  });

  it('collects the first failure of each kind when not stopping, in the order found', () => {
    const r = exploreProgram(twoBugs, { strategy: 'exhaustive', stopOnFirst: false });
    expect(r.complete).toBe(true);
    expect(r.failures.map((f) => f.violation.kind).sort()).toEqual(['deadlock', 'lost-update']);
    const [first, second] = r.failures;
    expect(first!.index).toBeLessThan(second!.index);
    for (const f of r.failures) {
      expect(f.violations[0]).toBe(f.violation);
      expect(f.schedule.length).toBeGreaterThan(0);
    }
  });

  it('tells each counted run to onRun with its index, and reports the longest run', () => {
    const indexes: number[] = [];
    let longest = 0;
    const r = exploreProgram(twoBugs, {
      strategy: 'exhaustive', reduction: false, stopOnFirst: false,
      onRun: (e, i) => {
        indexes.push(i);
        longest = Math.max(longest, e.schedule.length);
      },
    });
    expect(indexes).toHaveLength(r.schedules);
    expect(new Set(indexes).size).toBe(indexes.length);
    expect(r.maxStepsSeen).toBe(longest);
  });

  it('runs at most maxSchedules schedules', () => {
    expect(exploreProgram(twoBugs, { strategy: 'random', maxSchedules: 7, stopOnFirst: false }).schedules).toBe(7);
    expect(exploreProgram(twoBugs, { strategy: 'pct', maxSchedules: 7, stopOnFirst: false }).schedules).toBe(7);
  });

  it('replays a schedule and calls that complete', () => {
    const r = exploreProgram(twoBugs, { strategy: 'replay', schedule: [0, 1, 0] });
    expect(r.schedules).toBe(1);
    expect(r.complete).toBe(true);
    expect(r.failures.map((f) => f.violation.kind)).toEqual(['lost-update']);
  });

  it('rejects a replay without a schedule and an unknown strategy', () => {
    expect(() => exploreProgram(twoBugs, { strategy: 'replay' })).toThrow(/strategy replay needs a schedule/);
    expect(() => exploreProgram(twoBugs, { strategy: 'bfs' as never })).toThrow(/unknown strategy 'bfs': use random, pct, pos, exhaustive or replay/);
  });

  it('rejects a shard that is not { index, count } with 0 <= index < count', () => {
    for (const shard of [{ index: 0, count: 0 }, { index: -1, count: 2 }, { index: 1.5, count: 2 }, { index: 3, count: 3 }]) {
      expect(() => exploreProgram(twoBugs, { strategy: 'random', shard })).toThrow(RangeError);
    }
  });
});
