import { VIOLATION_KINDS, type ExploreOptions, type RaceSpec, type ViolationKind } from '@pagecheck/core';
import { test, type TestContext, type TestOptions } from 'vitest';
import { readEnvSwitches } from './_internals/env-switches.js';
import { readProvided } from './_internals/provided.js';
import { callSite } from './_internals/race-failure.js';
import { planRace, type RacePlan } from './_internals/race-plan.js';
import { runRace } from './_internals/run-race.js';
import { testTimeout } from './_internals/test-timeout.js';

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
}

/** The signature of raceTest, raceTest.only and raceTest.skip. @remarks Since 0.1.0 */
export type RaceTestFunction = <S>(name: string, spec: RaceSpec<S>, options?: RaceTestOptions) => void;

/** raceTest with its `.only` and `.skip` variants. @remarks Since 0.1.0 */
export interface RaceTestAPI extends RaceTestFunction {
  readonly only: RaceTestFunction;
  readonly skip: RaceTestFunction;
}

type Register = (name: string, options: TestOptions, fn: (ctx: TestContext) => Promise<void>) => void;

function register(kind: 'test' | 'only' | 'skip', name: string, spec: RaceSpec<never>, options: RaceTestOptions, site: string | undefined): void {
  if (options.expect !== undefined) {
    const bad = options.expect.filter((k) => !(VIOLATION_KINDS as readonly unknown[]).includes(k));
    if (bad.length > 0) throw new TypeError(`raceTest '${name}': expect lists ${bad.map((k) => JSON.stringify(k)).join(', ')}, not a violation kind; use ${VIOLATION_KINDS.join(', ')}`);
  }
  const provided = readProvided();
  let plan: RacePlan | undefined;
  try {
    plan = planRace(spec, options, readEnvSwitches(process.env), provided);
  } catch {
    plan = undefined; // a bad switch or spec fails the test itself, with the message
  }
  const testOptions: TestOptions = { timeout: options.timeout ?? testTimeout(plan, provided) };
  if (options.retry !== undefined) testOptions.retry = options.retry;
  if (options.repeats !== undefined) testOptions.repeats = options.repeats;
  if (options.tags !== undefined) testOptions.tags = options.tags;
  const api: Register = kind === 'test' ? test : test[kind];
  api(name, testOptions, async (ctx) => {
    const outcome = runRace(ctx, spec, options, { env: process.env, provided: readProvided(), site });
    // Shown by the verbose, HTML and GitHub Actions reporters (console output of passing tests is hidden by default).
    if (outcome?.note !== undefined) await ctx.annotate(outcome.note, 'pagecheck');
  });
}

function variant(kind: 'test' | 'only' | 'skip'): RaceTestFunction {
  return function raceTest<S>(name: string, spec: RaceSpec<S>, options: RaceTestOptions = {}): void {
    register(kind, name, spec as RaceSpec<never>, options, callSite());
  };
}

/**
 * Registers a Vitest test that explores a race spec's schedules with core's
 * `explore` and fails with the full report (violation, race diagram, page
 * history, replay token) of what it finds. Honours PAGECHECK_REPLAY,
 * PAGECHECK_SEED, PAGECHECK_STRATEGY, PAGECHECK_BUDGET and PAGECHECK_SHARD,
 * and the defaults and `--shard` split of the `pagecheck()` plugin.
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
 * @remarks Since 0.1.0
 */
export const raceTest: RaceTestAPI = Object.assign(variant('test'), { only: variant('only'), skip: variant('skip') });
