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

/**
 * Options of `runOnce`: `replay`, a token from a failure, reproduces that run
 * exactly (under the memory model it was made with); `memoryModel` is the
 * model of a run without a token (default: the spec's, else `sc`).
 * @remarks Since 0.1.0
 */
export type RunOnceOptions = Pick<ExploreOptions, 'replay' | 'maxSteps' | 'memoryModel'>;

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
  const program = specProgram(spec);
  let schedule: readonly number[] = [];
  let picks: readonly ModelPick[] | undefined;
  let memoryModel = checkMemoryModel(options.memoryModel ?? spec.memoryModel);
  let strict = false;
  if (options.replay !== undefined) {
    const t = decodeToken(options.replay);
    if (t.fingerprint !== specFingerprint(spec)) throw new ReplayTokenError(staleTokenMessage(spec, options.replay, t));
    schedule = t.schedule;
    picks = t.picks;
    memoryModel = picks === undefined ? 'sc' : 'lkmm';
    strict = true;
  }
  const start = performance.now();
  const { exec, diverged } = runSchedule(program, { schedule, picks, lenient: !strict, record: true, maxSteps: options.maxSteps, memoryModel });
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
    failures: exec.violations.length === 0 ? [] : dedupe(violationsOf(exec)).map((v) => ({ violation: v, violations: exec.violations.slice(), schedule: exec.schedule.slice(), index: 0, ...(picks === undefined ? {} : { picks }) })),
    elapsedMs: performance.now() - start,
    pruned: 0,
    maxStepsSeen: exec.log.length,
    stopped: 'single-run',
  };
  return explorationOf(spec, program, result, 'replay', { shrink: false, maxSteps: options.maxSteps, memoryModel, asked: { maxSteps: options.maxSteps ?? DEFAULT_MAX_STEPS } });
}

function dedupe(vs: readonly Violation[]): Violation[] {
  const seen = new Set<string>();
  return vs.filter((v) => (seen.has(v.kind) ? false : (seen.add(v.kind), true)));
}
