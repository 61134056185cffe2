import { StopRun } from '../engine/execution.js';
import type { Kernel } from '../kernel/context.js';
import { violationsOf, type HistoryEvent, type Violation, type ViolationKind } from './violation.js';

/**
 * The checker policy: what a violation carries and when a run stops.
 *
 * - A fatal violation (a kernel BUG, a wild pointer, a double free) is
 *   reported and stops the run at once: the code after it would run on a
 *   state the kernel would not have reached.
 * - A warning (Bad page state, KASAN, a WARN, a leak at teardown) is reported
 *   and the run goes on, as the kernel goes on; the same kind on the same page
 *   is reported once per run.
 * - A violation about a page carries its pfn and the page's history up to now.
 */

/** The page payload of a violation about `pfn` (none for pfn < 0 or a pfn outside the memmap). */
export function pagePayload(k: Kernel, pfn: number): { pfn?: number; history?: readonly HistoryEvent[] } {
  if (pfn < 0 || !k.m.valid(pfn)) return {};
  return { pfn, history: k.shadow.historyOf(pfn).slice() };
}

/** Reports a fatal violation and stops the run. */
export function reportBug(k: Kernel, kind: ViolationKind, message: string, pfn: number): never {
  k.exec.report(kind, message, pagePayload(k, pfn));
  throw new StopRun();
}

/** Reports a violation the run goes on after, once per kind and page. */
export function reportWarn(k: Kernel, kind: ViolationKind, message: string, pfn: number): void {
  const vs = violationsOf(k.exec);
  if (vs.some((v) => v.kind === kind && v.pfn === (pfn >= 0 ? pfn : undefined))) return;
  const v: Violation = { kind, message, thread: k.threadName(), step: k.exec.step, ...pagePayload(k, pfn) };
  vs.push(v);
}
