import type { Exploration, ViolationKind } from '@pagecheck/core';
import { foundKinds, reportsOf } from './reports.js';
import { summary } from './summary.js';

/** How the run was made, for the verdict's wording. */
export interface VerdictContext {
  /** The replay token when PAGECHECK_REPLAY named this spec. */
  readonly replay?: string;
  /** Where the token came from: `PAGECHECK_REPLAY` (default) or the test's `replay` option. */
  readonly replaySource?: string;
  /** The slice explored, "2/3", when the exploration was split. */
  readonly shard?: string;
}

const list = (kinds: readonly ViolationKind[]): string => (kinds.length === 0 ? 'none' : kinds.join(', '));

/** The kinds that make a raceTest fail and whose reports its message shows: every kind found, or those not expected. */
export function failingKinds(e: Exploration, expected: readonly ViolationKind[] | undefined): readonly ViolationKind[] {
  const want = expected === undefined ? [] : expected;
  return foundKinds(e).filter((k) => !want.includes(k));
}

/**
 * Judges a raceTest's exploration: undefined when it passes, else the failure
 * message with the full report (violation, race diagram, page history,
 * replay token) of each kind that made it fail.
 *
 * Without `expected`, any violation fails. With `expected`, the kinds found
 * must be exactly those; a replay (one schedule) only needs to show no
 * kind outside them.
 */
export function raceVerdict(e: Exploration, expected: readonly ViolationKind[] | undefined, ctx: VerdictContext = {}): string | undefined {
  const found = foundKinds(e);
  const how = ctx.replay !== undefined ? `replaying ${ctx.replaySource ?? 'PAGECHECK_REPLAY'}=${ctx.replay}` : `${summary(e)}${ctx.shard === undefined ? '' : ` on shard ${ctx.shard}`}`;
  const want = expected === undefined ? [] : [...new Set(expected)].sort();
  const unexpected = failingKinds(e, expected);
  const missing = ctx.replay !== undefined ? [] : want.filter((k) => !found.includes(k));
  if (unexpected.length === 0 && missing.length === 0) return undefined;

  if (expected === undefined) return `race spec '${e.spec}' violated ${list(found)} (${how}):\n\n${reportsOf(e, found)}`;

  const lines = [`race spec '${e.spec}' was expected to show exactly ${list(want)}, but ${how} found ${list(found)}`];
  if (missing.length > 0) {
    lines.push(`not found: ${list(missing)}${e.complete ? '' : ' (the exploration did not finish: raise maxSchedules/timeBudgetMs, or set PAGECHECK_BUDGET)'}`);
  }
  if (unexpected.length > 0) lines.push(`unexpected: ${list(unexpected)}`, '', reportsOf(e, unexpected));
  return lines.join('\n');
}
