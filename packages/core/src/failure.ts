import { renderDiagram } from './engine/diagram.js';
import type { EngineFailure } from './engine/explore-program.js';
import type { Execution, Program } from './engine/execution.js';
import type { MemoryModel } from './engine/memory-model/choice.js';
import { picksOf } from './engine/memory-model/model.js';
import { decisionsOf } from './engine/decision.js';
import { runSchedule } from './engine/run-schedule.js';
import { shrinkSchedule } from './engine/shrink.js';
import { countPreemptions } from './engine/strategies.js';
import { encodeToken } from './engine/token.js';
import { violationsOf, type Violation } from './checkers/violation.js';
import { formatFailure } from './report.js';
import type { RaceSpec } from './spec.js';
import { specFingerprint, specIdentity } from './spec-fingerprint.js';

/** A failing schedule, shrunk, with its diagram and replay token. @remarks Since 0.1.0 */
export interface Failure {
  readonly violation: Violation;
  /** Every violation of the failing run. */
  readonly violations: readonly Violation[];
  /** Reproduces the run: `runOnce(spec, { replay })`. */
  readonly replay: string;
  /** The race diagram, one column per thread. */
  readonly diagram: string;
  /** The schedule (thread index per step). */
  readonly schedule: readonly number[];
  readonly preemptions: number;
  readonly steps: number;
  /** Steps and preemptions before shrinking. */
  readonly unshrunk: { readonly preemptions: number; readonly steps: number };
  /** The whole report: violation, diagram, history, token. */
  readonly report: string;
}

/** How a failing run is recorded. */
export interface RecordOptions {
  /** Shrink the schedule first (only with more than one thread). */
  readonly shrink: boolean;
  readonly maxSteps?: number;
  readonly memoryModel: MemoryModel;
}

/** The race diagram of a recorded run, the violation marked in its thread's column. */
export function failureDiagram(exec: Execution, violation: Violation): string {
  const tid = exec.threads.findIndex((t) => t.name === violation.thread);
  return renderDiagram(exec, tid < 0 ? {} : { violation: { tid, text: `>>> ${violation.kind}` } });
}

/**
 * Records a failing run found by the engine: shrinks its schedule (keeping its
 * memory-model choices), replays the result with every step recorded, and
 * returns its replay token, diagram and report.
 */
export function recordFailure<S>(spec: RaceSpec<S>, program: Program, f: EngineFailure, options: RecordOptions): Failure {
  const run = (schedule: readonly number[], record: boolean): Execution =>
    runSchedule(program, { schedule, picks: f.picks, decisions: f.decisions, lenient: true, record, maxSteps: options.maxSteps, memoryModel: options.memoryModel }).exec;
  const nThreads = Object.keys(spec.threads).length;
  let schedule = f.schedule;
  let unshrunk: { preemptions: number; steps: number } | undefined;
  if (options.shrink && nThreads > 1) {
    const before = run(schedule, false);
    unshrunk = { preemptions: countPreemptions(before.schedule, before.enabledAt), steps: before.schedule.length };
    schedule = shrinkSchedule(program, schedule, f.violation.kind, { maxSteps: options.maxSteps, memoryModel: options.memoryModel, ...(f.picks === undefined ? {} : { picks: f.picks }), decisions: f.decisions }).schedule;
  }
  const exec = run(schedule, true);
  // Without shrinking the recorded replay is the unshrunk run itself.
  unshrunk ??= { preemptions: countPreemptions(exec.schedule, exec.enabledAt), steps: exec.log.length };
  const violation = violationsOf(exec).find((v) => v.kind === f.violation.kind) ?? (f.violation as Violation);
  // A run whose setup failed started no thread: the token still names the spec's threads, so it decodes.
  const replay = encodeToken(specFingerprint(spec), exec.threads.length > 0 ? exec.threads.length : nThreads, exec.schedule, options.memoryModel === 'sc' ? undefined : (picksOf(exec).picks ?? []), specIdentity(spec), decisionsOf(exec).decisions);
  const diagram = failureDiagram(exec, violation);
  const preemptions = countPreemptions(exec.schedule, exec.enabledAt);
  const report = formatFailure(spec.name, { violation, diagram, replay, preemptions, steps: exec.log.length });
  return { violation, violations: violationsOf(exec).slice(), replay, diagram, schedule: exec.schedule.slice(), preemptions, steps: exec.log.length, unshrunk, report };
}
