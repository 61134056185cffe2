import type { MatcherState, SyncMatcherResult } from 'vitest';
import { checkAbsence } from '../_internals/absence.js';
import type { AllowIncomplete } from '../_internals/coverage-gap.js';

/**
 * Passes when the exploration (or the exploration of the received RaceSpec)
 * found no `double-free`; fails with the race diagram, page history and replay token.
 *
 * Fails, too, on a clean exploration that did not do what was asked (an
 * exhaustive search not complete, a time budget or step limit hit before the
 * schedules asked for), with its coverage, unless `{ allowIncomplete: true }`
 * is given here or to `explore`; this argument wins over the exploration's.
 * @example
 * expect(explore(spec, { stopOnFirst: false })).toNotDoubleFree();
 * expect(spec).toNotDoubleFree();
 * @remarks Since 0.1.0
 */
export function toNotDoubleFree(this: MatcherState, received: unknown, options?: AllowIncomplete): SyncMatcherResult {
  return checkAbsence(this, received, { matcher: 'toNotDoubleFree', kinds: ['double-free'], claim: 'not double free', negated: 'double free' }, options);
}
