import type { MatcherState, SyncMatcherResult } from 'vitest';
import { checkAbsence } from '../_internals/absence.js';
import type { AllowIncomplete } from '../_internals/coverage-gap.js';

/**
 * Passes when the exploration (or the exploration of the received RaceSpec)
 * found no violation of any kind; fails with one full report per kind found.
 *
 * Fails, too, on a clean exploration that did not do what was asked (an
 * exhaustive search not complete, a time budget or step limit hit before the
 * schedules asked for), with its coverage, unless `{ allowIncomplete: true }`
 * is given here or to `explore`; this argument wins over the exploration's.
 * @example
 * expect(spec).toHaveNoViolations();
 * expect(runOnce(spec, { replay: token })).toHaveNoViolations(); // the fixed code, on the old failing schedule
 * @remarks Since 0.1.0
 */
export function toHaveNoViolations(this: MatcherState, received: unknown, options?: AllowIncomplete): SyncMatcherResult {
  return checkAbsence(this, received, { matcher: 'toHaveNoViolations', kinds: undefined, claim: 'have no violations', negated: 'have violations' }, options);
}
