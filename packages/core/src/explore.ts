import { exploreProgram } from './engine/explore-program.js';
import { DEFAULT_MAX_STEPS } from './engine/execution.js';
import { checkMemoryModel } from './engine/memory-model/choice.js';
import type { Asked } from './coverage.js';
import { checkExploreOptions, EXPLORE_DEFAULTS, type ExploreOptions } from './explore-options.js';
import { explorationOf, type Exploration } from './exploration.js';
import { runOnce } from './run-once.js';
import { specProgram, validateSpec, type RaceSpec } from './spec.js';

/**
 * Explores the schedules of a race spec and reports what breaks.
 * @example
 * const run = explore(spec); // exhaustive, with partial-order reduction
 * run.complete; // true when every schedule was covered
 * run.coverage.text; // what was covered against what was asked
 * run.kinds; // the violation kinds found, sorted
 * if (run.failure) console.log(run.failure.report); // diagram, page history, replay token
 * explore(spec, { strategy: 'pct', seed: 7, maxSchedules: 2_000, stopOnFirst: false });
 * @remarks Since 0.1.0
 */
export function explore<S>(spec: RaceSpec<S>, options: ExploreOptions = {}): Exploration {
  validateSpec(spec as RaceSpec<never>);
  checkExploreOptions('explore', options);
  if (options.replay !== undefined) return runOnce(spec, { replay: options.replay, maxSteps: options.maxSteps, failAlloc: options.failAlloc });
  const strategy = options.strategy ?? EXPLORE_DEFAULTS.strategy;
  const program = specProgram(spec, true, { failAlloc: options.failAlloc });
  const memoryModel = checkMemoryModel(options.memoryModel ?? spec.memoryModel);
  // Every option but explore's own (replay, shrink, allowIncomplete) and the program's (failAlloc) is the engine's: passed on whole, so a new one reaches it.
  const { replay: _replay, shrink: _shrink, allowIncomplete: _allowIncomplete, failAlloc: _failAlloc, ...engineOptions } = options;
  const maxSchedules = options.maxSchedules ?? EXPLORE_DEFAULTS.maxSchedules[strategy];
  const timeBudgetMs = options.timeBudgetMs ?? EXPLORE_DEFAULTS.timeBudgetMs;
  const result = exploreProgram(program, {
    ...engineOptions,
    memoryModel,
    strategy,
    maxSchedules,
    timeBudgetMs,
  });
  const asked: Asked = { maxSchedules, timeBudgetMs, maxSteps: options.maxSteps ?? DEFAULT_MAX_STEPS, ...(options.shard === undefined ? {} : { shard: options.shard }) };
  return explorationOf(spec, program, result, strategy, { ...options, memoryModel, asked });
}
