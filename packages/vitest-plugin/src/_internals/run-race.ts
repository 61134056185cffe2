import { rmSync } from 'node:fs';
import { explore, pickExploreOptions, ReplayTokenError, runOnce, type Exploration, type RaceSpec, type ViolationKind } from '@pagecheck/core';
import type { TaskMeta } from 'vitest';
import { readEnvSwitches } from './env-switches.js';
import type { Provided } from './provided.js';
import { RaceTestFailure } from './race-failure.js';
import { planRace, type RacePlan, type RacePlanOptions } from './race-plan.js';
import { coverageGap, incompleteAdvice } from './coverage-gap.js';
import { failingKinds, raceVerdict } from './race-verdict.js';
import { reportPath, type ReportTask } from './report-path.js';
import { reportsOf } from './reports.js';
import { writeTimelineReport } from './timeline-report.js';

/** The part of Vitest's test context a race needs. */
export interface RaceContext {
  readonly task: { readonly meta: TaskMeta } & Partial<ReportTask>;
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
 *
 * With a report directory (the plugin's `reportDir`), a failing race also
 * writes its HTML failure timeline there and the message ends with its path;
 * a race that passes removes the timeline an earlier failure left.
 */
export function runRace<S>(ctx: RaceContext, spec: RaceSpec<S>, options: RacePlanOptions & { readonly expect?: readonly ViolationKind[] }, where: RaceSurroundings): RaceOutcome | undefined {
  const planned = planRace(spec, options, readEnvSwitches(where.env), where.provided);
  // The test's own `replay` token, unless PAGECHECK_REPLAY names this spec: one run, on every shard.
  const own = planned.kind !== 'replay' && options.replay !== undefined;
  const plan: RacePlan = own ? { kind: 'replay', token: options.replay! } : planned;
  const source = own ? 'replay' : 'PAGECHECK_REPLAY';
  if (plan.kind === 'skip') {
    ctx.skip(plan.reason);
    return undefined;
  }
  let e: Exploration;
  if (plan.kind === 'replay') {
    try {
      // The test's own token goes to explore with the test's other options, as every option of explore does (explore replays it).
      e = own ? explore(spec, pickExploreOptions(options)) : runOnce(spec, { replay: plan.token, maxSteps: options.maxSteps });
    } catch (err) {
      if (err instanceof ReplayTokenError) throw new RaceTestFailure(`${source}=${plan.token}: ${err.message}`, where.site);
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
    stopped: e.stopped,
    coverage: e.coverage.text,
    kinds: e.kinds,
    elapsedMs: Math.round(e.elapsedMs),
    ...(shard === undefined ? {} : { shard }),
  };
  const replay = plan.kind === 'replay' ? plan.token : undefined;
  const failure = raceVerdict(e, options.expect, { replay, replaySource: source, shard }) ?? incomplete(e, options.expect === undefined, shard);
  const dir = where.provided?.reportDir;
  const task: ReportTask = { name: ctx.task.name ?? e.spec, ...(ctx.task.fullTestName === undefined ? {} : { fullTestName: ctx.task.fullTestName }), ...(ctx.task.file === undefined ? {} : { file: ctx.task.file }) };
  if (failure !== undefined) {
    const line = dir === undefined ? undefined : writeTimelineReport(spec, e, failingKinds(e, options.expect), dir, task, options.maxSteps);
    throw new RaceTestFailure(line === undefined ? failure : `${failure}\n\n${line}`, where.site);
  }
  if (dir !== undefined) {
    try {
      rmSync(reportPath(dir, task), { force: true });
    } catch {
      // A stale timeline that cannot be removed must not fail a race that passes.
    }
  }
  if (replay !== undefined && e.kinds.length > 0) {
    return { exploration: e, note: `replayed ${source}=${replay} (expected: ${e.kinds.join(', ')}):\n\n${reportsOf(e, e.kinds)}` };
  }
  return { exploration: e };
}

/**
 * The failure of a clean race whose exploration did not do what was asked
 * (see coverageGap); undefined when it did, or when the test accepts less
 * (`allowIncomplete`, its own or the plugin's). A known-buggy race (`expect`)
 * is judged on its kinds alone: finding the bug is enough.
 */
function incomplete(e: Exploration, judged: boolean, shard: string | undefined): string | undefined {
  const gap = judged ? coverageGap(e, undefined) : undefined;
  if (gap === undefined) return undefined;
  const where = shard === undefined ? '' : ` on shard ${shard}`;
  return (
    `race spec '${e.spec}' found no violation${where}, but the exploration fell short of what was asked: ${gap}.\n` +
    incompleteAdvice(e, 'raceTest(name, spec, { allowIncomplete: true }) or pagecheck({ allowIncomplete: true })', '; PAGECHECK_BUDGET=x scales every budget of a run')
  );
}
