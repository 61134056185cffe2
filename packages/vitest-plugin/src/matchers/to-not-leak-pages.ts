import type { MatcherState, SyncMatcherResult } from 'vitest';
import { checkAbsence } from '../_internals/absence.js';

/**
 * Passes when the exploration (or the exploration of the received RaceSpec)
 * found no `page-leak`; fails with the race diagram, page history and replay token.
 * @example
 * expect(explore(spec, { stopOnFirst: false })).toNotLeakPages();
 * expect(spec).toNotLeakPages(); // explores the spec itself
 * @remarks Since 0.1.0
 */
export function toNotLeakPages(this: MatcherState, received: unknown): SyncMatcherResult {
  return checkAbsence(received, { matcher: 'toNotLeakPages', kinds: ['page-leak'], claim: 'not leak pages', negated: 'leak pages' }, this.isNot);
}
