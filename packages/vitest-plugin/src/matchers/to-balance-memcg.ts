import type { MatcherState, SyncMatcherResult } from 'vitest';
import { checkAbsence } from '../_internals/absence.js';

/**
 * Passes when the exploration (or the exploration of the received RaceSpec)
 * found neither `memcg-leak` nor `memcg-underflow`: the memcg charge balances,
 * and so do the css references (one per page carrying memcg_data, no css_put
 * below the cgroup's base reference).
 * @remarks Since 0.1.0; covers the css references since 0.2.0
 */
export function toBalanceMemcg(this: MatcherState, received: unknown): SyncMatcherResult {
  return checkAbsence(received, {
    matcher: 'toBalanceMemcg',
    kinds: ['memcg-leak', 'memcg-underflow'],
    claim: 'balance the memcg charge and css references',
    negated: 'unbalance the memcg charge or css references',
  });
}
