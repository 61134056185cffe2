import { explore, ReplayTokenError, runOnce, type Exploration, type RaceSpec, type ViolationKind } from '@pagecheck/core';
import type { TaskMeta } from 'vitest';
import { readEnvSwitches } from './env-switches.js';
import type { Provided } from './provided.js';
import { RaceTestFailure } from './race-failure.js';
import { planRace, type RacePlanOptions } from './race-plan.js';
import { raceVerdict } from './race-verdict.js';
import { reportsOf } from './reports.js';

/** The part of Vitest's test context a race needs. */
export interface RaceContext {
  readonly task: { readonly meta: TaskMeta };
  skip(note?: string): void;
}

/** Where the race runs: the environment, the plugin's settings, the raceTest() call site. */
export interface RaceSurroundings {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly provided: Provided | undefined;
  readonly site?: string;
}

/** What a race that did not fail explored, and a note for the test's annotations. */
export interface RaceOutcome {
  readonly exploration: Exploration;
  /** The report of a replay that showed only expected kinds (the test passes, but the user asked to see it). */
  readonly note?: string;
}

/**
 * The body of a raceTest: plans the run (switches, plugin defaults, shard),
 * explores or replays, records `task.meta.pagecheck`, and throws a
 * RaceTestFailure with the full report when the verdict fails. Returns
 * undefined when the race was skipped on this shard.
 */
export function runRace<S>(ctx: RaceContext, spec: RaceSpec<S>, options: RacePlanOptions & { readonly expect?: readonly ViolationKind[] }, where: RaceSurroundings): RaceOutcome | undefined {
  const plan = planRace(spec, options, readEnvSwitches(where.env), where.provided);
  if (plan.kind === 'skip') {
    ctx.skip(plan.reason);
    return undefined;
  }
  let e: Exploration;
  if (plan.kind === 'replay') {
    try {
      e = runOnce(spec, { replay: plan.token, maxSteps: options.maxSteps });
    } catch (err) {
      if (err instanceof ReplayTokenError) throw new RaceTestFailure(`PAGECHECK_REPLAY=${plan.token}: ${err.message}`, where.site);
      throw err;
    }
  } else {
    e = explore(spec, plan.options);
  }
  const shard = plan.kind === 'explore' ? plan.shard : undefined;
  ctx.task.meta.pagecheck = {
    spec: e.spec,
    strategy: e.strategy,
    schedules: e.schedules,
    complete: e.complete,
    kinds: e.kinds,
    elapsedMs: Math.round(e.elapsedMs),
    ...(shard === undefined ? {} : { shard }),
  };
  const replay = plan.kind === 'replay' ? plan.token : undefined;
  const failure = raceVerdict(e, options.expect, { replay, shard });
  if (failure !== undefined) throw new RaceTestFailure(failure, where.site);
  if (replay !== undefined && e.kinds.length > 0) {
    return { exploration: e, note: `replayed PAGECHECK_REPLAY=${replay} (expected: ${e.kinds.join(', ')}):\n\n${reportsOf(e, e.kinds)}` };
  }
  return { exploration: e };
}
