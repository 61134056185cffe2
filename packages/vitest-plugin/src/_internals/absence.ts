import type { ViolationKind } from '@pagecheck/core';
import type { MatcherState, SyncMatcherResult } from 'vitest';
import { checkAllowIncomplete, coverageGap, incompleteAdvice } from './coverage-gap.js';
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
 * toBalanceMemcg and toHaveNoViolations: passes when none of the kinds was
 * found and the exploration did what was asked (its coverage is done), or
 * the user accepted less with `allowIncomplete` (the matcher's argument, else
 * the exploration's own). With `.not` only the kinds count: finding the
 * violation is enough. The diff shows the kinds found (`actual`) against the
 * kinds the claim allows (`expected`: those found, less the forbidden ones;
 * with `.not`, those found and the kinds it asked for).
 */
export function checkAbsence(state: Pick<MatcherState, 'isNot'>, received: unknown, check: AbsenceCheck, options?: unknown): SyncMatcherResult {
  const { allowIncomplete } = checkAllowIncomplete(options, check.matcher);
  const isNot = state.isNot === true;
  const e = explorationOf(received, check.matcher);
  const found = foundKinds(e);
  const bad = check.kinds === undefined ? found : found.filter((k) => check.kinds!.includes(k));
  const named = check.kinds === undefined ? 'violations' : check.kinds.join(' or ');
  const gap = bad.length === 0 && !isNot ? coverageGap(e, allowIncomplete) : undefined;
  if (gap !== undefined) {
    const others = found.length === 0 ? '' : ` (it found ${found.join(', ')})`;
    return {
      pass: false,
      actual: found,
      expected: check.kinds ?? [],
      message: () =>
        `expected spec '${e.spec}' to ${check.claim}: it found no ${named}${others}, but the exploration fell short of what was asked: ${gap}.\n` +
        incompleteAdvice(e, `expect(exploration).${check.matcher}({ allowIncomplete: true }) or explore(spec, { allowIncomplete: true })`),
    };
  }
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
