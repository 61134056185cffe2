import type { MatcherState, SyncMatcherResult } from 'vitest';
import { checkAbsence } from '../_internals/absence.js';

/**
 * Passes when the exploration (or the exploration of the received RaceSpec)
 * found neither `memcg-leak` nor `memcg-underflow`: the memcg charge balances.
 * @example
 * expect(explore(accountedSpec, { stopOnFirst: false })).toBalanceMemcg();
 * @remarks Since 0.1.0
 */
export function toBalanceMemcg(this: MatcherState, received: unknown): SyncMatcherResult {
  return checkAbsence(received, {
    matcher: 'toBalanceMemcg',
    kinds: ['memcg-leak', 'memcg-underflow'],
    claim: 'balance the memcg charge',
    negated: 'unbalance the memcg charge',
  }, this.isNot);
}
