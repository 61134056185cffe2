import type { EngineResult } from './engine/explore-program.js';
import { checkMemoryModel, type Pick as ModelPick } from './engine/memory-model/choice.js';
import { runSchedule } from './engine/run-schedule.js';
import { decodeToken, ReplayTokenError } from './engine/token.js';
import { violationsOf, type Violation } from './checkers/violation.js';
import { checkExploreOptions, type ExploreOptions } from './explore-options.js';
import { explorationOf, type Run } from './exploration.js';
import { specProgram, validateSpec, type RaceSpec } from './spec.js';
import { specFingerprint, staleTokenMessage } from './spec-fingerprint.js';
import { DEFAULT_MAX_STEPS } from './engine/execution.js';
import { decisionsOf, type Decision } from './engine/decision.js';
import type { FailAlloc } from './kernel/fail-page-alloc.js';

/**
 * Options of `runOnce`: `replay`, a token from a failure, reproduces that run
 * exactly (under the memory model it was made with); `memoryModel` is the
 * model of a run without a token (default: the spec's, else `sc`);
 * `failAlloc` injects allocation failures (a token made with
 * `failAlloc: 'explore'` carries its choices and turns it on by itself;
 * `{ nth }` must be given again to replay a token made with it).
 * @remarks Since 0.1.0
 */
export type RunOnceOptions = Pick<ExploreOptions, 'replay' | 'maxSteps' | 'memoryModel' | 'failAlloc'>;

/**
 * Runs one schedule: the one a replay token names, or else each thread to
 * completion in turn (a sequential run).
 * @example
 * // The token a failure printed: that one schedule, step for step.
 * const run = runOnce(spec, { replay: 'pc1.1udj9nr-k2x.2.a63b2' });
 * run.failure?.report;
 * runOnce(spec); // each thread to completion in turn
 * @remarks Since 0.1.0
 */
export function runOnce<S>(spec: RaceSpec<S>, options: RunOnceOptions = {}): Run {
  validateSpec(spec as RaceSpec<never>);
  checkExploreOptions('runOnce', options);
  let failAlloc = options.failAlloc;
  let schedule: readonly number[] = [];
  let picks: readonly ModelPick[] | undefined;
  let memoryModel = checkMemoryModel(options.memoryModel ?? spec.memoryModel);
  let decisions: readonly Decision[] | undefined;
  let strict = false;
  if (options.replay !== undefined) {
    const t = decodeToken(options.replay);
    if (t.fingerprint !== specFingerprint(spec)) throw new ReplayTokenError(staleTokenMessage(spec, options.replay, t));
    schedule = t.schedule;
    picks = t.picks;
    decisions = t.decisions;
    failAlloc = replayFailAlloc(options.replay, t.decisions !== undefined, options.failAlloc);
    memoryModel = picks === undefined ? 'sc' : 'lkmm';
    strict = true;
  }
  const program = specProgram(spec, true, { failAlloc });
  const start = performance.now();
  const { exec, diverged } = runSchedule(program, { schedule, picks, decisions, lenient: !strict, record: true, maxSteps: options.maxSteps, memoryModel });
  if (strict && exec.threads.length > 0 && decodeToken(options.replay!).threads !== exec.threads.length) {
    throw new ReplayTokenError(`replay token is for ${decodeToken(options.replay!).threads} threads; spec '${spec.name}' runs ${exec.threads.length}`);
  }
  if (strict && diverged !== undefined) {
    const d = diverged;
    if (d.wanted < 0) throw new ReplayTokenError(`replay token for '${spec.name}' ends at step ${d.step} but the run goes on: the token was cut short, or the spec changed since it was made`);
    throw new ReplayTokenError(`replay of '${spec.name}' diverged at step ${d.step}: the token wants thread ${d.wanted} but only ${d.enabled.join(', ')} can run; the spec no longer behaves as when the token was made`);
  }
  const result: EngineResult = {
    schedules: 1,
    complete: true,
    failures: exec.violations.length === 0 ? [] : dedupe(violationsOf(exec)).map((v) => ({ violation: v, violations: exec.violations.slice(), schedule: exec.schedule.slice(), index: 0, ...(picks === undefined ? {} : { picks }), ...decisionsOf(exec) })),
    elapsedMs: performance.now() - start,
    pruned: 0,
    maxStepsSeen: exec.log.length,
    stopped: 'single-run',
  };
  return explorationOf(spec, program, result, 'replay', { shrink: false, maxSteps: options.maxSteps, memoryModel, asked: { maxSteps: options.maxSteps ?? DEFAULT_MAX_STEPS } });
}

/**
 * The fault injection a token replays with: a token with choices was made with
 * `failAlloc: 'explore'`; one without was made with no injection or `{ nth }`
 * (the option given, which a token does not carry).
 */
function replayFailAlloc(token: string, hasChoices: boolean, given: FailAlloc | undefined): FailAlloc | undefined {
  if (hasChoices) {
    if (given !== undefined && given !== 'explore') throw new ReplayTokenError(`replay token ${token} was made with failAlloc: 'explore' (it carries its allocations' choices after '+'), but failAlloc is ${JSON.stringify(given)}: leave failAlloc out, or pass 'explore'`);
    return 'explore';
  }
  return given === 'explore' ? undefined : given;
}

function dedupe(vs: readonly Violation[]): Violation[] {
  const seen = new Set<string>();
  return vs.filter((v) => (seen.has(v.kind) ? false : (seen.add(v.kind), true)));
}
