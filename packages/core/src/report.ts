import type { HistoryEvent, Violation } from './checkers/violation.js';

/** Renders a page's page_owner-style history. */
export function formatHistory(pfn: number | undefined, history: readonly HistoryEvent[] | undefined): string {
  if (pfn === undefined || history === undefined || history.length === 0) return '';
  const lines = history.map((e) => `  ${(e.step < 0 ? e.thread : `${e.thread} @${e.step}`).padEnd(16)} ${e.what}`);
  return `page history of pfn:${pfn.toString(16)} (oldest first):\n${lines.join('\n')}`;
}

/** One line for a violation: kind, message, where. */
export function formatViolation(v: Violation): string {
  const where = v.step < 0 ? `in ${v.thread}` : `in ${v.thread} at step ${v.step}`;
  return `${v.kind}: ${v.message} (${where})`;
}

/** A failure as printed by matchers and the CLI. */
export interface FailureReport {
  readonly violation: Violation;
  readonly diagram: string;
  readonly replay: string;
  readonly preemptions: number;
  readonly steps: number;
}

/** The full text of a failure: violation, race diagram, page history, replay token. */
export function formatFailure(spec: string, f: FailureReport): string {
  const parts = [
    formatViolation(f.violation),
    '',
    `race diagram (${f.steps} steps, ${f.preemptions} preemption${f.preemptions === 1 ? '' : 's'}):`,
    f.diagram,
  ];
  const h = formatHistory(f.violation.pfn, f.violation.history);
  if (h !== '') parts.push('', h);
  parts.push('', `replay: ${f.replay}`, `  (spec ${spec}; replay with runOnce(spec, { replay }) or PAGECHECK_REPLAY=${f.replay})`);
  return parts.join('\n');
}
