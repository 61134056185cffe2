import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Execution, type Program } from '../../../src/engine/execution.js';
import { RMW_ADD } from '../../../src/engine/op.js';
import { shrinkSchedule } from '../../../src/engine/shrink.js';
import { countPreemptions, ReplayChooser } from '../../../src/engine/strategies.js';
import type { ViolationKind } from '../../../src/engine/violation.js';
import { load, lock, pause, program, rmw, store, unlock } from './programs.js';

/**
 * A non-atomic increment racing an atomic one, with private work before; C's
 * private work has nothing to do with the race.
 */
const lostUpdate = program('lost update', 4, [
  {
    name: 'A',
    *start() {
      for (let i = 0; i < 4; i++) yield store(1, i);
      const v = yield load(0);
      yield store(0, v + 1, true);
      yield pause();
    },
  },
  {
    name: 'B',
    *start() {
      for (let i = 0; i < 4; i++) yield store(2, i);
      yield rmw(0, RMW_ADD, 1);
    },
  },
  { name: 'C', *start() { for (let i = 0; i < 4; i++) yield store(3, i); } },
]);

/** Two threads taking two locks in opposite orders, after some private work. */
const abba = program('abba', 4, [
  { name: 'A', *start() { yield store(2, 1); yield store(2, 2); yield lock(0); yield lock(1); yield unlock(1); yield unlock(0); } },
  { name: 'B', *start() { yield store(3, 1); yield store(3, 2); yield lock(1); yield lock(0); yield unlock(0); yield unlock(1); } },
]);

/** B fails when it reads A's first store before A's second; three threads. */
const ordering = program('ordering', 3, [
  { name: 'A', *start() { yield store(0, 1); yield store(1, 1); yield store(0, 0); } },
  { name: 'B', *start() { yield store(2, 1); yield store(2, 2); if ((yield load(0)) === 1) throw new Error('half-initialised'); } },
  { name: 'C', *start() { yield store(1, 2); yield load(1); yield store(1, 3); } },
]);

/** Replays a schedule strictly: it must be a real schedule of the program. */
function replayStrict(p: Program, schedule: readonly number[]): Execution {
  const chooser = new ReplayChooser(schedule, false);
  const e = new Execution(p).run(chooser);
  expect(chooser.diverged).toBeUndefined();
  return e;
}

function replayLenient(p: Program, schedule: readonly number[]): Execution {
  return new Execution(p).run(new ReplayChooser(schedule, true));
}

const kindsOf = (e: Execution): ViolationKind[] => e.violations.map((v) => v.kind);

describe('shrinkSchedule', () => {
  it('shrinks a schedule that switches threads at every step to one preemption and fewer steps', () => {
    const noisy = [0, 2, 1, 0, 2, 1, 0, 2, 1, 0, 2, 1, 0, 1, 0];
    const before = replayStrict(lostUpdate, noisy);
    expect(kindsOf(before)).toEqual(['lost-update']);
    const r = shrinkSchedule(lostUpdate, noisy, 'lost-update');
    expect(r.original).toEqual({ preemptions: countPreemptions(before.schedule, before.enabledAt), steps: before.schedule.length });
    expect(r.original).toEqual({ preemptions: 12, steps: 15 });
    // A loads, B updates the word and finishes, A stores: one preemption, none of C's steps.
    expect(r.cost).toEqual({ preemptions: 1, steps: 11 });
    expect(r.schedule).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0]);
    const after = replayStrict(lostUpdate, r.schedule);
    expect(kindsOf(after)).toEqual(['lost-update']);
    expect({ preemptions: countPreemptions(after.schedule, after.enabledAt), steps: after.schedule.length }).toEqual(r.cost);
  });

  it('drops the steps of a thread that has nothing to do with the failure', () => {
    // The race with one preemption, but C's steps spread through it.
    const s = [2, 0, 0, 0, 0, 0, 2, 1, 1, 2, 1, 1, 1, 0];
    const before = replayStrict(lostUpdate, s);
    expect(kindsOf(before)).toEqual(['lost-update']);
    const r = shrinkSchedule(lostUpdate, s, 'lost-update');
    expect(r.cost.steps).toBeLessThan(r.original.steps);
    expect(r.cost.preemptions).toBeLessThan(r.original.preemptions);
    expect(r.schedule).not.toContain(2);
    expect(kindsOf(replayStrict(lostUpdate, r.schedule))).toEqual(['lost-update']);
  });

  it('keeps the kind: a deadlock shrinks to a deadlock', () => {
    const s = [0, 1, 0, 1, 0, 1];
    expect(kindsOf(replayStrict(abba, s))).toEqual(['deadlock']);
    const r = shrinkSchedule(abba, s, 'deadlock');
    expect(r.cost.preemptions).toBeLessThanOrEqual(1);
    expect(r.cost.steps).toBeLessThanOrEqual(6);
    expect(kindsOf(replayStrict(abba, r.schedule))).toEqual(['deadlock']);
  });

  it('returns a schedule that is not failing unchanged, spending one run', () => {
    const r = shrinkSchedule(lostUpdate, [0, 0, 0, 0, 0, 0, 0, 0, 1], 'lost-update');
    expect(r.schedule).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(r.runs).toBe(1);
  });

  it('stays within its budget', () => {
    const noisy = [0, 2, 1, 0, 2, 1, 0, 2, 1, 0, 2, 1, 0, 1, 0];
    const r = shrinkSchedule(lostUpdate, noisy, 'lost-update', { budget: 5 });
    expect(r.runs).toBeLessThanOrEqual(5);
    expect(kindsOf(replayStrict(lostUpdate, r.schedule))).toContain('lost-update');
  });

  it('never returns a schedule that does not fail, and never a costlier one', () => {
    const cases: [Program, ViolationKind, number][] = [[lostUpdate, 'lost-update', 3], [abba, 'deadlock', 2], [ordering, 'thread-error', 3]];
    for (const [p, kind, threads] of cases) {
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 0, max: threads - 1 }), { minLength: 1, maxLength: 24 }), (s) => {
          const e = replayLenient(p, s);
          fc.pre(kindsOf(e).includes(kind));
          const r = shrinkSchedule(p, s, kind);
          const after = replayStrict(p, r.schedule);
          expect(kindsOf(after)).toContain(kind);
          const before = { preemptions: countPreemptions(e.schedule, e.enabledAt), steps: e.schedule.length };
          expect(r.original).toEqual(before);
          expect(r.cost.preemptions < before.preemptions || (r.cost.preemptions === before.preemptions && r.cost.steps <= before.steps)).toBe(true);
        }),
        { numRuns: 60 },
      );
    }
  });
});
