import { explore, type ExploreOptions } from '@pagecheck/core';
import { leak } from './specs.js';

/**
 * A value for every option of explore, each different from its default. Typed
 * as a complete record: a new option of explore does not compile here until it
 * has a sample, and the tests that use this then check that it is forwarded.
 */
export const EXPLORE_OPTION_SAMPLES: { readonly [K in keyof ExploreOptions]-?: NonNullable<ExploreOptions[K]> } = {
  strategy: 'random',
  seed: 4,
  maxSchedules: 5,
  timeBudgetMs: 5_000,
  depth: 2,
  preemptionBound: 1,
  reduction: false,
  maxSteps: 5_000,
  stopOnFirst: false,
  until: ['page-leak'],
  shrink: false,
  replay: explore(leak).failure!.replay,
  shard: { index: 0, count: 2 },
  memoryModel: 'lkmm',
  failAlloc: 'explore',
  allowIncomplete: true,
};
