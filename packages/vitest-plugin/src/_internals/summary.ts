import type { Exploration } from '@pagecheck/core';

/**
 * How much was explored: "14 schedules (exhaustive, complete)". Incomplete
 * means the exploration stopped before covering every schedule: at the first
 * failure (stopOnFirst), or when maxSchedules or timeBudgetMs ran out.
 */
export function summary(e: Exploration): string {
  const n = `${e.schedules} schedule${e.schedules === 1 ? '' : 's'}`;
  if (e.strategy === 'replay') return `${n} (replay)`;
  return `${n} (${e.strategy}, ${e.complete ? 'complete' : 'incomplete'})`;
}
