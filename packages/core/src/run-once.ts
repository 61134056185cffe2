import type { EngineResult } from './engine/explore-program.js';
import { checkMemoryModel, type Pick as ModelPick } from './engine/memory-model/choice.js';
import { runSchedule } from './engine/run-schedule.js';
import { decodeToken, ReplayTokenError } from './engine/token.js';
import type { Violation } from './engine/violation.js';
import { checkExploreOptions, type ExploreOptions } from './explore-options.js';
import { explorationOf, type Run } from './exploration.js';
import { specProgram, validateSpec, type RaceSpec } from './spec.js';
import { specFingerprint } from './spec-fingerprint.js';

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
    const fp = specFingerprint(spec);
    if (t.fingerprint !== fp) {
      throw new ReplayTokenError(`replay token ${options.replay} was made from a different spec than '${spec.name}' as it is now (fingerprint ${t.fingerprint}, spec has ${fp}): the spec or its kernel changed since the failure; explore again to get a new token`);
    }
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
    failures: exec.violations.length === 0 ? [] : dedupe(exec.violations).map((v) => ({ violation: v, violations: exec.violations.slice(), schedule: exec.schedule.slice(), index: 0, ...(picks === undefined ? {} : { picks }) })),
    elapsedMs: performance.now() - start,
    pruned: 0,
    maxStepsSeen: exec.schedule.length,
  };
  return explorationOf(spec, program, result, 'replay', { shrink: false, maxSteps: options.maxSteps, memoryModel });
}

function dedupe(vs: readonly Violation[]): Violation[] {
  const seen = new Set<string>();
  return vs.filter((v) => (seen.has(v.kind) ? false : (seen.add(v.kind), true)));
}
