import { explore } from '@pagecheck/core';
import { describe, expect, it, type RunnerTestCase } from 'vitest';
import { raceTest } from '../../src/race-test.js';
import { clean, leak, racyDoubleFree } from '../specs.js';

// The modifiers register real Vitest tests; the `it` blocks after them
// inspect what was registered and how it ran (tests of a file run in order).

const sibling = (task: { suite?: { tasks: readonly { name: string }[] } }, name: string): RunnerTestCase => {
  const t = task.suite?.tasks.find((x) => x.name === name);
  if (t === undefined) throw new Error(`no test named ${name}; have ${task.suite?.tasks.map((x) => x.name).join(', ')}`);
  return t as RunnerTestCase;
};

const failure = explore(racyDoubleFree, { stopOnFirst: true }).failures[0]!;

describe('raceTest modifiers', () => {
  raceTest.todo('is registered as todo without a spec');
  raceTest.todo('is registered as todo with a spec', leak);
  raceTest.skipIf(true)('is skipped by skipIf(true)', leak);
  raceTest.skipIf(false)('runs with skipIf(false)', clean);
  raceTest.runIf(false)('is skipped by runIf(false)', leak);
  raceTest.runIf(1)('runs with runIf(1)', clean);
  raceTest.fails('passes with .fails when the race fails', leak);
  raceTest.concurrent('runs concurrently with .concurrent', clean);
  raceTest.skip.fails('chains .skip.fails', leak);
  raceTest.each([
    [1, 'one'],
    [2, 'two'],
  ])('each row %i (%s) at index %#', () => clean);
  raceTest.each([{ spec: clean, label: 'clean' }])('object row $label', ({ spec }) => spec);
  raceTest.each`
    label      | spec
    ${'clean'} | ${clean}
    ${'again'} | ${clean}
  `('template row $label', ({ spec }) => spec, { stopOnFirst: true });
  raceTest.fails.each([leak])('.fails.each row %#', (spec) => spec);
  raceTest.fails.each`
    label     | spec
    ${'leak'} | ${leak}
    ${'racy'} | ${racyDoubleFree}
  `('.fails.each template row $label', ({ spec }) => spec);
  raceTest('replays its own token', racyDoubleFree, { replay: failure.replay, expect: [failure.violation.kind] });
  raceTest.fails('fails replaying a token of another spec', clean, { replay: failure.replay });

  it('registers .todo as todo, with or without a spec', ({ task }) => {
    expect(sibling(task, 'is registered as todo without a spec').mode).toBe('todo');
    expect(sibling(task, 'is registered as todo with a spec').mode).toBe('todo');
  });

  it('skips with skipIf(truthy) and runIf(falsy), and runs otherwise', ({ task }) => {
    expect(sibling(task, 'is skipped by skipIf(true)').mode).toBe('skip');
    expect(sibling(task, 'is skipped by runIf(false)').mode).toBe('skip');
    expect(sibling(task, 'runs with skipIf(false)').result?.state).toBe('pass');
    expect(sibling(task, 'runs with runIf(1)').result?.state).toBe('pass');
  });

  it('passes a failing race with .fails, and marks .concurrent tests concurrent', ({ task }) => {
    const fails = sibling(task, 'passes with .fails when the race fails');
    expect(fails.fails).toBe(true);
    expect(fails.result?.state).toBe('pass');
    expect(fails.meta.pagecheck?.kinds).toContain('page-leak');
    expect(sibling(task, 'runs concurrently with .concurrent').concurrent).toBe(true);
    const chained = sibling(task, 'chains .skip.fails');
    expect([chained.mode, chained.fails]).toEqual(['skip', true]);
  });

  it('registers one test per row of .each, named with the row', ({ task }) => {
    expect(sibling(task, 'each row 1 (one) at index 0').result?.state).toBe('pass');
    expect(sibling(task, 'each row 2 (two) at index 1').result?.state).toBe('pass');
    expect(sibling(task, 'object row clean').result?.state).toBe('pass');
    expect(sibling(task, 'template row clean').result?.state).toBe('pass');
    expect(sibling(task, '.fails.each row 0').result?.state).toBe('pass');
    expect(sibling(task, 'template row again').result?.state).toBe('pass');
    expect(sibling(task, '.fails.each template row leak').result?.state).toBe('pass');
    expect(sibling(task, '.fails.each template row racy').result?.state).toBe('pass');
    expect(sibling(task, '.fails.each template row racy').meta.pagecheck?.kinds).toContain('double-free');
  });

  it('replays the test\'s own replay token instead of exploring', ({ task }) => {
    const t = sibling(task, 'replays its own token');
    expect(t.result?.state).toBe('pass');
    expect(t.meta.pagecheck).toMatchObject({ strategy: 'replay', schedules: 1, kinds: [failure.violation.kind] });
    const stale = sibling(task, 'fails replaying a token of another spec');
    expect(stale.result?.state).toBe('pass');
  });

  it('rejects a replay that is not a string and each cases that are not an array', () => {
    expect(() => raceTest('bad', clean, { replay: 7 as unknown as string })).toThrow(/raceTest 'bad': replay must be a replay token string/);
    expect(() => raceTest.each(7 as unknown as number[])('bad', clean)).toThrow(/raceTest.each\(cases\): cases must be an array/);
  });
});
