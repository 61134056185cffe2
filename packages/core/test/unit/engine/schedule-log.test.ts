import { describe, expect, it } from 'vitest';
import { exploreProgram } from '../../../src/engine/explore-program.js';
import { ScheduleLog } from '../../../src/engine/schedule-log.js';
import { load, program, runWith, store } from './programs.js';

describe('ScheduleLog', () => {
  it('keeps one entry per stretch of one thread with one enabled set, and derives the step-by-step views', () => {
    const log = new ScheduleLog();
    const steps: [number, number][] = [[0, 3], [0, 3], [0, 3], [1, 3], [1, 2], [1, 2], [0, 3]];
    for (const [t, m] of steps) log.push(t, m);
    expect(log.length).toBe(7);
    expect(log.entries).toBe(4);
    expect(log.schedule()).toEqual(steps.map(([t]) => t));
    expect(log.enabledAt()).toEqual(steps.map(([, m]) => m));
  });

  it('grows past its first capacity', () => {
    const log = new ScheduleLog();
    for (let i = 0; i < 100; i++) log.push(i % 2, 3);
    expect(log.entries).toBe(100);
    expect(log.schedule()).toEqual(Array.from({ length: 100 }, (_, i) => i % 2));
  });
});

describe('a long one-thread run', () => {
  const long = program('one thread', 2, [{
    name: 'T',
    *start() {
      for (let i = 0; i < 5000; i++) {
        const v: number = yield load(0);
        yield store(0, v + 1);
      }
    },
  }]);

  it('keeps one schedule entry for all its steps', () => {
    const e = runWith(long);
    expect(e.step).toBe(10_000);
    expect(e.log.entries).toBe(1);
    expect(e.schedule).toHaveLength(10_000);
    expect(e.memory.words[0]).toBe(5000);
  });

  it('is explored exhaustively in one schedule', () => {
    const r = exploreProgram(long, { strategy: 'exhaustive' });
    expect(r).toMatchObject({ schedules: 1, complete: true, stopped: 'exhausted', maxStepsSeen: 10_000, pruned: 0 });
  });

  it('counts for the first shard only when sharded', () => {
    const r = [0, 1].map((index) => exploreProgram(long, { strategy: 'exhaustive', shard: { index, count: 2 } }));
    expect(r.map((x) => x.schedules)).toEqual([1, 0]);
    expect(r.every((x) => x.complete)).toBe(true);
  });
});
