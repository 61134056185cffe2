import type { EngineResult, StopReason } from './engine/explore-program.js';
import type { Program } from './engine/execution.js';
import type { MemoryModel } from './engine/memory-model/choice.js';
import type { Strategy } from './engine/strategy-names.js';
import type { Violation, ViolationKind } from './checkers/violation.js';
import { recordFailure, type Failure } from './failure.js';
import type { RaceSpec } from './spec.js';
import { coverageOf, type Asked, type Coverage } from './coverage.js';

/** What exploring a spec found. @remarks Since 0.1.0 */
export interface Exploration {
  readonly spec: string;
  /** The first violation of each kind found. */
  readonly violations: readonly Violation[];
  /** The kinds found, sorted. */
  readonly kinds: readonly ViolationKind[];
  /** Schedules run. */
  readonly schedules: number;
  /** Runs abandoned: redundant schedules, and under `lkmm` executions the model forbids (not counted in `schedules`). */
  readonly pruned: number;
  /** True when every schedule (up to the reduction) was explored. */
  readonly complete: boolean;
  readonly strategy: Strategy;
  readonly elapsedMs: number;
  /** The first failure, if any. */
  readonly failure?: Failure;
  /** One failure per kind found. */
  readonly failures: readonly Failure[];
  /** Why the exploration ended (every strategy sets it: `exhausted`, `max-schedules`, `time-budget`, `first-failure`, `until`, `single-run`). */
  readonly stopped: StopReason;
  /** What was covered against what was asked, with a one-line `text` (see {@link Coverage}). @remarks Since 0.1.0 */
  readonly coverage: Coverage;
  /** `allowIncomplete` as the exploration was asked: matchers accept it when incomplete. @remarks Since 0.1.0 */
  readonly allowIncomplete?: boolean;
}

/** The result of one schedule. @remarks Since 0.1.0 */
export type Run = Exploration;

/**
 * What an engine result says about a spec: each failure recorded (shrunk
 * unless `shrink` is false, with its token, diagram and report), the kinds
 * found, and what was covered.
 */
export function explorationOf<S>(spec: RaceSpec<S>, program: Program, result: EngineResult, strategy: Strategy, options: { readonly shrink?: boolean; readonly maxSteps?: number; readonly memoryModel: MemoryModel; readonly asked: Asked; readonly allowIncomplete?: boolean }): Exploration {
  const failures: Failure[] = result.failures.map((f) => recordFailure(spec, program, f, { shrink: options.shrink !== false, maxSteps: options.maxSteps, memoryModel: options.memoryModel }));
  const violations: Violation[] = failures.map((f) => f.violation);
  const kinds: ViolationKind[] = [...new Set(result.failures.map((f) => f.violation.kind as ViolationKind))].sort();
  const coverage = coverageOf({ strategy, schedules: result.schedules, complete: result.complete, kinds, stopped: result.stopped }, options.asked);
  return {
    spec: spec.name,
    violations,
    kinds,
    schedules: result.schedules,
    pruned: result.pruned,
    complete: result.complete,
    strategy,
    elapsedMs: result.elapsedMs,
    ...(failures[0] === undefined ? {} : { failure: failures[0] }),
    stopped: result.stopped,
    coverage,
    ...(options.allowIncomplete === undefined ? {} : { allowIncomplete: options.allowIncomplete }),
    failures,
  };
}
