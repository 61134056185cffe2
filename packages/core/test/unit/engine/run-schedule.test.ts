import { describe, expect, it } from 'vitest';
import { exploreProgram } from '../../../src/engine/explore-program.js';
import type { Pick } from '../../../src/engine/memory-model/choice.js';
import { picksOf } from '../../../src/engine/memory-model/model.js';
import { runSchedule } from '../../../src/engine/run-schedule.js';
import { load, program, store } from './programs.js';

/** Store buffering: each thread stores its flag, then loads the other's. Under lkmm both loads may read 0. */
const sb = program('store buffering', 4, [
  { name: 'P0', *start() { yield store(0, 1); yield store(2, yield load(1)); } },
  { name: 'P1', *start() { yield store(1, 1); yield store(3, yield load(0)); } },
]);

describe('runSchedule', () => {
  it('follows a schedule step by step', () => {
    const { exec, diverged } = runSchedule(sb, { schedule: [1, 1, 0, 0, 0, 1], lenient: false });
    expect(exec.schedule).toEqual([1, 1, 0, 0, 0, 1]);
    expect(diverged).toBeUndefined();
    expect(exec.trace).toBeUndefined();
  });

  it('keeps the trace and call frames when asked to record', () => {
    const { exec } = runSchedule(sb, { schedule: [0, 0, 0, 1, 1, 1], lenient: false, record: true });
    expect(exec.trace?.map((s) => s.tid)).toEqual([0, 0, 0, 1, 1, 1]);
  });

  it('goes on without preempting past the end of a lenient schedule', () => {
    const { exec, diverged } = runSchedule(sb, { schedule: [1], lenient: true });
    expect(exec.schedule).toEqual([1, 1, 1, 0, 0, 0]);
    expect(diverged).toBeUndefined();
  });

  it('stops a strict run where its schedule ends or names a thread that cannot run, and says where', () => {
    expect(runSchedule(sb, { schedule: [1], lenient: false }).diverged).toEqual({ step: 1, wanted: -1, enabled: [0, 1] });
    expect(runSchedule(sb, { schedule: [0, 0, 0, 0, 1, 1, 1], lenient: false }).diverged).toMatchObject({ step: 3, wanted: 0, enabled: [1] });
  });

  it('replays the memory-model choices of a weak run: the same loads read the same stores', () => {
    const runs: { schedule: number[]; picks?: readonly Pick[]; words: number[] }[] = [];
    exploreProgram(sb, { strategy: 'exhaustive', memoryModel: 'lkmm', onRun: (e) => runs.push({ schedule: e.schedule.slice(), ...picksOf(e), words: Array.from(e.memory.words) }) });
    const bothZero = runs.find((r) => r.words[2] === 0 && r.words[3] === 0);
    expect(bothZero).toBeDefined();
    const again = runSchedule(sb, { schedule: bothZero!.schedule, picks: bothZero!.picks!, lenient: false, memoryModel: 'lkmm' });
    expect(Array.from(again.exec.memory.words)).toEqual(bothZero!.words);
    // The same schedule under sequential consistency cannot leave both at 0.
    const sc = runSchedule(sb, { schedule: bothZero!.schedule, lenient: false });
    expect([sc.exec.memory.words[2], sc.exec.memory.words[3]]).not.toEqual([0, 0]);
  });
});
