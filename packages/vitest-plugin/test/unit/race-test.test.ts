import { explore, EXPLORE_OPTION_NAMES, type ExploreOptions } from '@pagecheck/core';
import { describe, expect, it, vi, type RunnerTestCase } from 'vitest';
import { raceTest } from '../../src/race-test.js';
import { scenarios } from '../../../scenarios/src/index.js';
import { EXPLORE_OPTION_SAMPLES } from '../explore-option-samples.js';
import { clean, leak, racyDoubleFree } from '../specs.js';

// explore, watched: the options each raceTest hands it, by spec name.
const seen = vi.hoisted(() => new Map<string, unknown[]>());
vi.mock('@pagecheck/core', async (importOriginal) => {
  const core = await importOriginal<typeof import('@pagecheck/core')>();
  return {
    ...core,
    explore: (spec: { name: string }, options?: unknown) => {
      seen.set(spec.name, [...(seen.get(spec.name) ?? []), options]);
      return core.explore(spec as never, options as never);
    },
  };
});

// raceTest registers real Vitest tests; the `it` blocks after them inspect
// what was registered and how it ran (tests of a file run in order).

const sibling = (task: { suite?: { tasks: readonly { name: string }[] } }, name: string): RunnerTestCase => {
  const t = task.suite?.tasks.find((x) => x.name === name);
  if (t === undefined) throw new Error(`no test named ${name}`);
  return t as RunnerTestCase;
};

/** Every kind the racy spec shows, as the model has it now. */
const RACY = explore(racyDoubleFree, { stopOnFirst: false }).kinds;

describe('raceTest', () => {
  raceTest('explores a clean spec', clean);
  raceTest('passes a known-buggy spec showing exactly the expected kinds', racyDoubleFree, { expect: RACY });
  raceTest('takes exploration and test options', clean, { strategy: 'random', seed: 4, maxSchedules: 7, timeout: 12_345, retry: 1 });
  raceTest.skip('is skipped with .skip', leak);
  raceTest('hands every option of explore to explore', leak, { ...EXPLORE_OPTION_SAMPLES, expect: ['page-leak'] });

  it('ran the races and recorded what they explored in task.meta.pagecheck', ({ task }) => {
    const first = sibling(task, 'explores a clean spec');
    expect(first.result?.state).toBe('pass');
    expect(first.meta.pagecheck).toMatchObject({ spec: 'alloc and free', strategy: 'exhaustive', complete: true, kinds: [] });
    const buggy = sibling(task, 'passes a known-buggy spec showing exactly the expected kinds');
    expect(buggy.result?.state).toBe('pass');
    expect(buggy.meta.pagecheck?.kinds).toEqual(RACY);
    expect(RACY).toContain('double-free');
  });

  it('passes exploration options to explore and test options to Vitest', ({ task }) => {
    const t = sibling(task, 'takes exploration and test options');
    expect(t.meta.pagecheck).toMatchObject({ strategy: 'random', schedules: 7 });
    expect(t.timeout).toBe(12_345);
    expect(t.retry).toBe(1);
  });

  it('hands explore every option of explore it was given, as given', () => {
    const options = seen.get(leak.name)?.at(-1) as ExploreOptions | undefined;
    expect(options).toEqual(EXPLORE_OPTION_SAMPLES);
    expect(Object.keys(options ?? {}).sort()).toEqual([...EXPLORE_OPTION_NAMES].sort());
  });

  it('gives a race a timeout above its time budget when none is set', ({ task }) => {
    expect(sibling(task, 'explores a clean spec').timeout).toBe(2 * 10_000 + 10_000);
  });

  it('registers .skip as a skipped test', ({ task }) => {
    const t = sibling(task, 'is skipped with .skip');
    expect(t.mode).toBe('skip');
    expect(t.meta.pagecheck).toBeUndefined();
  });

  it('has .only', () => {
    expect(typeof raceTest.only).toBe('function');
    expect(raceTest.only).not.toBe(raceTest);
  });

  it('rejects an expected kind that does not exist when the test is registered', () => {
    const bad = ['page-leak', 'leaky'] as unknown as ['page-leak'];
    expect(() => raceTest('bad', leak, { expect: bad })).toThrow(/raceTest 'bad': expect lists "leaky", not a violation kind; use page-leak, double-free, /);
  });
});

// slub-isolate-movable's v2-without-barriers: clean under sequential consistency,
// a wild-deref under the Linux-kernel memory model. A raceTest that asks for lkmm
// must run under lkmm (it once ran under sc: raceTest dropped memoryModel and until).
const weakOnly = scenarios.find((x) => x.id === 'slub-isolate-movable')!.variants['v2-without-barriers']!;

describe('raceTest under a memory model', () => {
  raceTest('finds no violation in v2-without-barriers under sc', weakOnly.spec, { memoryModel: 'sc', expect: [] });
  raceTest('finds the weak-only wild-deref of v2-without-barriers under lkmm', weakOnly.spec, { memoryModel: 'lkmm', until: ['wild-deref'], expect: ['wild-deref'], timeBudgetMs: 30_000 });

  it('explored sc completely and found nothing', ({ task }) => {
    const t = sibling(task, 'finds no violation in v2-without-barriers under sc');
    expect(t.result?.state).toBe('pass');
    expect(t.meta.pagecheck).toMatchObject({ complete: true, kinds: [] });
  });

  it('found wild-deref under lkmm, and stopped there', ({ task }) => {
    const t = sibling(task, 'finds the weak-only wild-deref of v2-without-barriers under lkmm');
    expect(t.result?.state).toBe('pass');
    expect(t.meta.pagecheck?.kinds).toEqual(['wild-deref']);
    const options = seen.get(weakOnly.spec.name)?.find((o) => (o as ExploreOptions).memoryModel === 'lkmm');
    expect(options).toMatchObject({ memoryModel: 'lkmm', until: ['wild-deref'] });
  });
});
