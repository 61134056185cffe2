import type { MatcherState, SyncMatcherResult } from 'vitest';
import { checkAbsence } from '../_internals/absence.js';
import type { AllowIncomplete } from '../_internals/coverage-gap.js';

/**
 * Passes when the exploration (or the exploration of the received RaceSpec)
 * found neither `memcg-leak` nor `memcg-underflow`: the memcg charge balances,
 * and so do the css references (one per page carrying memcg_data, no css_put
 * below the cgroup's base reference).
 *
 * Fails, too, on a clean exploration that did not do what was asked (an
 * exhaustive search not complete, a time budget or step limit hit before the
 * schedules asked for), with its coverage, unless `{ allowIncomplete: true }`
 * is given here or to `explore`; this argument wins over the exploration's.
 * @example
 * expect(explore(accountedSpec, { stopOnFirst: false })).toBalanceMemcg();
 * @remarks Since 0.1.0
 */
export function toBalanceMemcg(this: MatcherState, received: unknown, options?: AllowIncomplete): SyncMatcherResult {
  return checkAbsence(this, received, {
    matcher: 'toBalanceMemcg',
    kinds: ['memcg-leak', 'memcg-underflow'],
    claim: 'balance the memcg charge and css references',
    negated: 'unbalance the memcg charge or css references',
  }, options);
}
