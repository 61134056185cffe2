import { formatViolation, type Exploration, type ViolationKind } from '@pagecheck/core';

/**
 * The full report of each kind found: violation, race diagram, page
 * history, replay token (core's Failure.report), separated by a rule.
 */
export function reportsOf(e: Exploration, kinds: readonly ViolationKind[]): string {
  return kinds.map((kind) => reportOf(e, kind)).join(`\n\n${'-'.repeat(60)}\n\n`);
}

/** The report of one kind; the bare violation line if the exploration has no Failure for it. */
export function reportOf(e: Exploration, kind: ViolationKind): string {
  const f = e.failures.find((x) => x.violation.kind === kind);
  if (f !== undefined) return f.report;
  const vs = e.violations.filter((v) => v.kind === kind);
  return vs.length === 0 ? `${kind}: (no details)` : vs.map(formatViolation).join('\n');
}

/** The kinds found, in the order core sorted them. */
export function foundKinds(e: Exploration): readonly ViolationKind[] {
  return e.kinds.length > 0 ? e.kinds : [...new Set(e.violations.map((v) => v.kind))].sort();
}
