import type { MatcherState, SyncMatcherResult } from 'vitest';
import { checkAbsence } from '../_internals/absence.js';

/**
 * Passes when the exploration (or the exploration of the received RaceSpec)
 * found no `double-free`; fails with the race diagram, page history and replay token.
 * @example
 * expect(explore(spec, { stopOnFirst: false })).toNotDoubleFree();
 * expect(spec).toNotDoubleFree();
 * @remarks Since 0.1.0
 */
export function toNotDoubleFree(this: MatcherState, received: unknown): SyncMatcherResult {
  return checkAbsence(received, { matcher: 'toNotDoubleFree', kinds: ['double-free'], claim: 'not double free', negated: 'double free' }, this.isNot);
}
