import { EXPLORE_DEFAULTS } from '@pagecheck/core';
import type { Provided } from './provided.js';
import type { RacePlan } from './race-plan.js';

/**
 * A raceTest's Vitest timeout when none is given: twice the exploration's
 * time budget plus 10 s (setup, shrinking and the diagrams come on top of the
 * budget), and never below the project's testTimeout (known through the plugin).
 * explore() is synchronous, so Vitest can only notice an overrun after it.
 */
export function testTimeout(plan: RacePlan | undefined, provided: Provided | undefined): number {
  const budget = plan?.kind === 'explore' ? (plan.options.timeBudgetMs ?? EXPLORE_DEFAULTS.timeBudgetMs) : EXPLORE_DEFAULTS.timeBudgetMs;
  return Math.max(budget * 2 + 10_000, provided?.testTimeout ?? 0);
}
