import { exploreProgram } from './engine/explore-program.js';
import { checkMemoryModel } from './engine/memory-model/choice.js';
import { checkExploreOptions, EXPLORE_DEFAULTS, type ExploreOptions } from './explore-options.js';
import { explorationOf, type Exploration } from './exploration.js';
import { runOnce } from './run-once.js';
import { specProgram, validateSpec, type RaceSpec } from './spec.js';

/**
 * Explores the schedules of a race spec and reports what breaks.
 * @remarks Since 0.1.0
 */
export function explore<S>(spec: RaceSpec<S>, options: ExploreOptions = {}): Exploration {
  validateSpec(spec as RaceSpec<never>);
  checkExploreOptions('explore', options);
  if (options.replay !== undefined) return runOnce(spec, { replay: options.replay, maxSteps: options.maxSteps });
  const strategy = options.strategy ?? EXPLORE_DEFAULTS.strategy;
  const program = specProgram(spec);
  const memoryModel = checkMemoryModel(options.memoryModel ?? spec.memoryModel);
  // Every option but explore's own (replay, shrink) is the engine's: passed on whole, so a new one reaches it.
  const { replay: _replay, shrink: _shrink, ...engineOptions } = options;
  const result = exploreProgram(program, {
    ...engineOptions,
    memoryModel,
    strategy,
    maxSchedules: options.maxSchedules ?? EXPLORE_DEFAULTS.maxSchedules[strategy],
    timeBudgetMs: options.timeBudgetMs ?? EXPLORE_DEFAULTS.timeBudgetMs,
  });
  return explorationOf(spec, program, result, strategy, { ...options, memoryModel });
}
