import type { ViolationKind } from '@pagecheck/core';
import type { SyncMatcherResult } from 'vitest';
import { explorationOf } from './received.js';
import { foundKinds, reportsOf } from './reports.js';
import { summary } from './summary.js';

/** What an absence matcher checks and how its messages read. */
export interface AbsenceCheck {
  /** The matcher's name, for messages. */
  readonly matcher: string;
  /** The kinds that must not be found; `undefined` for every kind. */
  readonly kinds: readonly ViolationKind[] | undefined;
  /** What the matcher claims: "not leak pages". */
  readonly claim: string;
  /** The claim of `.not`: "leak pages". */
  readonly negated: string;
}

/**
 * Shared body of toNotLeakPages, toNotDoubleFree, toNotUseAfterFree,
 * toBalanceMemcg and toHaveNoViolations: passes when none of the kinds was found.
 * The diff shows the kinds found (`actual`) against the kinds the claim
 * allows (`expected`: those found, less the forbidden ones; with `.not`,
 * those found and the kinds it asked for).
 */
export function checkAbsence(received: unknown, check: AbsenceCheck, isNot = false): SyncMatcherResult {
  const e = explorationOf(received, check.matcher);
  const found = foundKinds(e);
  const bad = check.kinds === undefined ? found : found.filter((k) => check.kinds!.includes(k));
  const named = check.kinds === undefined ? 'violations' : check.kinds.join(' or ');
  const pass = bad.length === 0;
  return {
    pass,
    actual: found,
    expected: isNot ? [...new Set([...found, ...(check.kinds ?? ['any violation'])])].sort() : found.filter((k) => !bad.includes(k)),
    message: () => {
      if (pass) {
        // Shown for `.not`: the user expected the violation.
        const others = found.length === 0 ? '' : ` (it found ${found.join(', ')})`;
        return `expected spec '${e.spec}' to ${check.negated}, but ${summary(e)} found no ${named}${others}`;
      }
      return `expected spec '${e.spec}' to ${check.claim}, but ${summary(e)} found ${bad.join(', ')}:\n\n${reportsOf(e, bad)}`;
    },
  };
}
