import type { Strategy } from '@pagecheck/core';

// The defaults of core's explore() (packages/core/src/explore.ts), needed to scale them by PAGECHECK_BUDGET.

/** explore()'s default maxSchedules for a strategy. */
export function defaultMaxSchedules(strategy: Strategy): number {
  return strategy === 'exhaustive' ? 200_000 : 10_000;
}

/** explore()'s default timeBudgetMs. */
export const DEFAULT_TIME_BUDGET_MS = 10_000;
