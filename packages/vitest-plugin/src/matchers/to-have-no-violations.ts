import type { MatcherState, SyncMatcherResult } from 'vitest';
import { checkAbsence } from '../_internals/absence.js';

/**
 * Passes when the exploration (or the exploration of the received RaceSpec)
 * found no violation of any kind; fails with one full report per kind found.
 * @example
 * expect(spec).toHaveNoViolations();
 * expect(runOnce(spec, { replay: token })).toHaveNoViolations(); // the fixed code, on the old failing schedule
 * @remarks Since 0.1.0
 */
export function toHaveNoViolations(this: MatcherState, received: unknown): SyncMatcherResult {
  return checkAbsence(received, { matcher: 'toHaveNoViolations', kinds: undefined, claim: 'have no violations', negated: 'have violations' }, this.isNot);
}
