import type { MatcherState, SyncMatcherResult } from 'vitest';
import { checkAbsence } from '../_internals/absence.js';

/**
 * Passes when the exploration (or the exploration of the received RaceSpec)
 * found no `use-after-free`; fails with the race diagram, page history and replay token.
 * @example
 * expect(explore(spec, { stopOnFirst: false })).toNotUseAfterFree();
 * expect(spec).toNotUseAfterFree();
 * @remarks Since 0.1.0
 */
export function toNotUseAfterFree(this: MatcherState, received: unknown): SyncMatcherResult {
  return checkAbsence(received, { matcher: 'toNotUseAfterFree', kinds: ['use-after-free'], claim: 'not use pages after free', negated: 'use a page after free' }, this.isNot);
}
