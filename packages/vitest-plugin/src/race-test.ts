import type { ExploreOptions, RaceSpec, ViolationKind } from '@pagecheck/core';
import { test, type TestContext, type TestOptions } from 'vitest';
import { eachRows, templateRows } from './_internals/each-rows.js';
import { readEnvSwitches } from './_internals/env-switches.js';
import { readProvided } from './_internals/provided.js';
import { callSite } from './_internals/race-failure.js';
import { planRace, type RacePlan } from './_internals/race-plan.js';
import { runRace } from './_internals/run-race.js';
import { testTimeout } from './_internals/test-timeout.js';
import { checkRaceTestOptions } from './_internals/race-test-options.js';

/**
 * Options of raceTest: core's ExploreOptions, the violations a known-buggy
 * variant must show, and Vitest test options.
 * @remarks Since 0.1.0
 */
export interface RaceTestOptions extends ExploreOptions, Pick<TestOptions, 'timeout' | 'retry' | 'repeats' | 'tags'> {
  /**
   * The test passes when exactly these kinds are found (for known-buggy
   * variants). Collects every kind: `stopOnFirst` defaults to false.
   */
  readonly expect?: readonly ViolationKind[];
  /**
   * Replays this one token (as printed in a failure) instead of exploring:
   * PAGECHECK_REPLAY for one test. A token made from another version of the
   * spec fails the test with a message naming the change. Since 0.1.0.
   */
  readonly replay?: string;
}

/** The signature of raceTest and of each of its modifiers (`.only`, `.skip`, `.concurrent`, ...). @remarks Since 0.1.0 */
export type RaceTestFunction = <S>(name: string, spec: RaceSpec<S>, options?: RaceTestOptions) => void;

/**
 * What `raceTest.each(cases)` returns: registers one raceTest per row. The
 * spec is a RaceSpec, or a function of the row's values that makes one.
 * @remarks Since 0.1.0
 */
export type RaceTestEachFunction<Args extends readonly unknown[]> = <S>(name: string, spec: RaceSpec<S> | ((...args: Args) => RaceSpec<S>), options?: RaceTestOptions) => void;

/**
 * `raceTest.each`: the table form (an array row is spread into the spec
 * function's arguments, any other row is its one argument) and the template
 * form, whose rows are objects keyed by the header. Names take Vitest's
 * placeholders: `%s`, `%i`, `%j`, `%#`, `$field`.
 * @remarks Since 0.1.0
 */
export interface RaceTestEach {
  <T extends readonly unknown[] | [unknown]>(cases: readonly T[]): RaceTestEachFunction<T>;
  <T>(cases: readonly T[]): RaceTestEachFunction<[T]>;
  // A template row's fields have the types of whatever was interpolated: `any`, as in Vitest's test.each.
  (strings: TemplateStringsArray, ...values: unknown[]): RaceTestEachFunction<[Record<string, any>]>;
}

/**
 * raceTest with Vitest's modifiers, chainable as on `test`
 * (`raceTest.skip.each(...)`, `raceTest.concurrent.fails(...)`).
 * @remarks Since 0.1.0 (`.only`, `.skip`); Since 0.1.0 the others
 */
export interface RaceTestAPI extends RaceTestFunction {
  /** Only this test (and other `.only` ones) runs in its file. */
  readonly only: RaceTestAPI;
  /** Registered, reported as skipped, not run. */
  readonly skip: RaceTestAPI;
  /** Reported as todo; the spec is optional. */
  readonly todo: <S>(name: string, spec?: RaceSpec<S>, options?: RaceTestOptions) => void;
  /** Runs alongside the file's other concurrent tests. */
  readonly concurrent: RaceTestAPI;
  /** Passes when the race fails (a known-buggy variant written without `expect`). */
  readonly fails: RaceTestAPI;
  /** Skipped when `condition` is truthy. */
  skipIf(condition: unknown): RaceTestAPI;
  /** Runs only when `condition` is truthy. */
  runIf(condition: unknown): RaceTestAPI;
  /** One raceTest per row of a table. */
  readonly each: RaceTestEach;
}

/** Vitest's modes a chain of modifiers sets. */
type Modes = Readonly<Pick<TestOptions, 'only' | 'skip' | 'todo' | 'concurrent' | 'fails'>>;

function register(modes: Modes, name: string, spec: RaceSpec<never> | undefined, options: RaceTestOptions, site: string | undefined): void {
  checkRaceTestOptions(name, options);
  const testOptions: TestOptions = { ...modes };
  if (modes.todo === true || spec === undefined) {
    test(name, { ...testOptions, todo: true });
    return;
  }
  const provided = readProvided();
  let plan: RacePlan | undefined;
  try {
    plan = planRace(spec, options, readEnvSwitches(process.env), provided);
  } catch {
    plan = undefined; // a bad switch or spec fails the test itself, with the message
  }
  testOptions.timeout = options.timeout ?? testTimeout(plan, provided);
  if (options.retry !== undefined) testOptions.retry = options.retry;
  if (options.repeats !== undefined) testOptions.repeats = options.repeats;
  if (options.tags !== undefined) testOptions.tags = options.tags;
  test(name, testOptions, async (ctx: TestContext) => {
    const outcome = runRace(ctx, spec, options, { env: process.env, provided: readProvided(), site });
    // Shown by the verbose, HTML and GitHub Actions reporters (console output of passing tests is hidden by default).
    if (outcome?.note !== undefined) await ctx.annotate(outcome.note, 'pagecheck');
  });
}

function registerEach(modes: Modes, cases: readonly unknown[], name: string, spec: unknown, options: RaceTestOptions, site: string | undefined): void {
  if (!Array.isArray(cases)) throw new TypeError(`raceTest.each(cases): cases must be an array of rows (or a template literal), got ${typeof cases}`);
  for (const row of eachRows(name, cases)) {
    if (typeof spec !== 'function') {
      register(modes, row.name, spec as RaceSpec<never>, options, site);
      continue;
    }
    let made: RaceSpec<never>;
    try {
      made = (spec as (...args: readonly unknown[]) => RaceSpec<never>)(...row.args);
    } catch (e) {
      // The row's spec could not be made: that row fails with the error, the others still run.
      test(row.name, { ...modes }, () => {
        throw e;
      });
      continue;
    }
    register(modes, row.name, made, options, site);
  }
}

function chain(modes: Modes): RaceTestAPI {
  const raceTest = function raceTest<S>(name: string, spec: RaceSpec<S>, options: RaceTestOptions = {}): void {
    register(modes, name, spec as RaceSpec<never>, options, callSite());
  };
  const todo = function raceTest<S>(name: string, spec?: RaceSpec<S>, options: RaceTestOptions = {}): void {
    register({ ...modes, todo: true }, name, spec as RaceSpec<never> | undefined, options, callSite());
  };
  const each = ((cases: readonly unknown[] | TemplateStringsArray, ...values: unknown[]) => {
    const rows = isTemplate(cases) ? templateRows(cases, values) : cases;
    return (name: string, spec: unknown, options: RaceTestOptions = {}) => registerEach(modes, rows, name, spec, options, callSite());
  }) as RaceTestEach;
  const more = (extra: Modes) => () => chain({ ...modes, ...extra });
  return Object.defineProperties(raceTest, {
    only: { get: more({ only: true }), enumerable: true },
    skip: { get: more({ skip: true }), enumerable: true },
    concurrent: { get: more({ concurrent: true }), enumerable: true },
    fails: { get: more({ fails: true }), enumerable: true },
    todo: { value: todo, enumerable: true },
    each: { value: each, enumerable: true },
    skipIf: { value: (condition: unknown) => chain(condition ? { ...modes, skip: true } : modes), enumerable: true },
    runIf: { value: (condition: unknown) => chain(condition ? modes : { ...modes, skip: true }), enumerable: true },
  }) as RaceTestAPI;
}

function isTemplate(x: unknown): x is TemplateStringsArray {
  return Array.isArray(x) && Array.isArray((x as unknown as { raw?: unknown }).raw);
}

/**
 * Registers a Vitest test that explores a race spec's schedules with core's
 * `explore` and fails with the full report (violation, race diagram, page
 * history, replay token) of what it finds. Honours PAGECHECK_REPLAY,
 * PAGECHECK_SEED, PAGECHECK_STRATEGY, PAGECHECK_BUDGET and PAGECHECK_SHARD,
 * and the defaults and `--shard` split of the `pagecheck()` plugin. Has the
 * modifiers of Vitest's `test`: `.skip`, `.only`, `.todo`, `.each`,
 * `.skipIf`, `.runIf`, `.concurrent` and `.fails`.
 *
 * A race without `expect` that finds nothing fails too when its exploration
 * did not do what was asked (an exhaustive search not complete, a time
 * budget or step limit hit before the schedules asked for), saying what was
 * covered; `allowIncomplete: true` (the test's, else the plugin's) accepts it.
 * A known-buggy race (`expect`) is judged on its kinds alone.
 *
 * @example
 * raceTest('__free_pages vs a speculative reference', spec);
 * raceTest('e320d3012d25 double-frees', buggySpec, { expect: ['double-free'] });
 * raceTest('too big to exhaust in CI', bigSpec, { allowIncomplete: true });
 * raceTest.fails('the shortcut leaks', shortcutSpec);
 * raceTest.each([0, 2])('order %i frees once', (order) => specOfOrder(order));
 * raceTest('replays the failure', buggySpec, { replay: 'pc1.1udj9nr-k2x.2.a63b2' });
 * @remarks Since 0.1.0
 */
export const raceTest: RaceTestAPI = chain({});
