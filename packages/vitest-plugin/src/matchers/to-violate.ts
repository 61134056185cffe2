import { formatViolation, VIOLATION_KINDS, type ViolationKind } from '@pagecheck/core';
import type { MatcherState, SyncMatcherResult } from 'vitest';
import { explorationOf } from '../_internals/received.js';
import { foundKinds, reportOf } from '../_internals/reports.js';
import { summary } from '../_internals/summary.js';

/**
 * Passes when the exploration (or the exploration of the received RaceSpec)
 * found a violation of `kind`. With `.not`, fails with that violation's report.
 * Throws a TypeError for a kind that is not in VIOLATION_KINDS.
 * @example
 * expect(buggySpec).toViolate('double-free'); // the known-buggy variant shows it
 * expect(fixedSpec).not.toViolate('double-free');
 * @remarks Since 0.1.0
 */
export function toViolate(this: MatcherState, received: unknown, kind: ViolationKind): SyncMatcherResult {
  if (!(VIOLATION_KINDS as readonly unknown[]).includes(kind)) {
    throw new TypeError(`toViolate(kind): ${JSON.stringify(kind) ?? String(kind)} is not a violation kind; use one of ${VIOLATION_KINDS.join(', ')}`);
  }
  const e = explorationOf(received, 'toViolate');
  const found = foundKinds(e);
  const pass = found.includes(kind);
  return {
    pass,
    // The kinds found against those the claim allows: with `kind` (or, with `.not`, without it).
    actual: found,
    expected: this.isNot ? found.filter((k) => k !== kind) : [...new Set([...found, kind])].sort(),
    message: () => {
      if (pass) return `expected spec '${e.spec}' not to violate ${kind}, but ${summary(e)} found it:\n\n${reportOf(e, kind)}`;
      const others = e.failures.length === 0 ? '' : `; it found instead:\n${e.failures.map((f) => `  ${formatViolation(f.violation)}`).join('\n')}`;
      return `expected spec '${e.spec}' to violate ${kind}, but ${summary(e)} found none${others}`;
    },
  };
}
