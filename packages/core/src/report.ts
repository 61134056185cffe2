import type { HistoryEvent, Violation } from './checkers/violation.js';
import { formatThrownAt } from './report/thrown-at.js';
import { padCell } from './text/columns.js';

/**
 * Renders a page's page_owner-style history.
 * @example
 * ```ts
 * const v = explore(spec).failure?.violation;
 * if (v !== undefined) console.log(formatHistory(v.pfn, v.history));
 * // page history of pfn:10 (oldest first):
 * //   setup            page allocated via order 0, gfp_mask GFP_KERNEL
 * ```
 * @remarks Since 0.1.0
 */
export function formatHistory(pfn: number | undefined, history: readonly HistoryEvent[] | undefined): string {
  if (pfn === undefined || history === undefined || history.length === 0) return '';
  const lines = history.map((e) => `  ${padCell(e.step < 0 ? e.thread : `${e.thread} @${e.step}`, 16)} ${e.what}`);
  return `page history of pfn:${pfn.toString(16)} (oldest first):\n${lines.join('\n')}`;
}

/**
 * One line for a violation: kind, message, where.
 * @example
 * ```ts
 * formatViolation(explore(spec).failure!.violation);
 * // 'use-after-free: put_page on pfn:10, which is free (in B at step 103)'
 * ```
 * @remarks Since 0.1.0
 */
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

/**
 * The full text of a failure: violation, where a thread threw (its own frames
 * and a code frame), race diagram, page history, replay token.
 * @example
 * ```ts
 * const failure = explore(spec).failure;
 * if (failure !== undefined) console.log(formatFailure(spec.name, failure)); // what failure.report holds
 * ```
 * @remarks Since 0.1.0
 */
export function formatFailure(spec: string, f: FailureReport): string {
  const parts = [formatViolation(f.violation)];
  // A thread (or setup) that threw: the user's own frames and the source line, before the model's diagram.
  const thrown = f.violation.kind === 'thread-error' ? formatThrownAt(f.violation.error) : '';
  if (thrown !== '') parts.push('', thrown);
  parts.push(
    '',
    `race diagram (${f.steps} steps, ${f.preemptions} preemption${f.preemptions === 1 ? '' : 's'}):`,
    f.diagram,
  );
  const h = formatHistory(f.violation.pfn, f.violation.history);
  if (h !== '') parts.push('', h);
  parts.push('', `replay: ${f.replay}`, `  (spec ${spec}; replay with runOnce(spec, { replay }) or PAGECHECK_REPLAY=${f.replay})`);
  return parts.join('\n');
}
