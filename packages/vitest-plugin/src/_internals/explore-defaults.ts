import { EXPLORE_DEFAULTS, type Strategy } from '@pagecheck/core';

// core's explore() defaults, which PAGECHECK_BUDGET scales.

/** explore()'s default maxSchedules for a strategy (replay runs one schedule; it is never scaled). */
export function defaultMaxSchedules(strategy: Strategy): number {
  return strategy === 'replay' ? EXPLORE_DEFAULTS.maxSchedules.random : EXPLORE_DEFAULTS.maxSchedules[strategy];
}

/** explore()'s default timeBudgetMs. */
export const DEFAULT_TIME_BUDGET_MS = EXPLORE_DEFAULTS.timeBudgetMs;
