import type { StopReason } from './engine/explore-program.js';
import type { Strategy } from './engine/strategy-names.js';
import type { ViolationKind } from './checkers/violation.js';

/**
 * What an exploration covered, against what it was asked to do: the schedules
 * run, the budgets asked for, why it ended, and whether that is all that was
 * asked. `text` says it in one line, as matchers and raceTest print it.
 * @remarks Since 0.1.0
 */
export interface Coverage {
  /** Schedules run. */
  readonly schedules: number;
  /** The schedule budget asked for (absent for a single run). */
  readonly maxSchedules?: number;
  /** The time budget asked for, in ms (absent for a single run). */
  readonly timeBudgetMs?: number;
  /** The step limit of each run. */
  readonly maxSteps?: number;
  /** Why the exploration ended. */
  readonly stopped: StopReason;
  /**
   * True when the exploration did what was asked: an exhaustive search that
   * covered its whole space (up to the reduction), a sampling strategy
   * (`random`, `pct`, `pos`) that ran all its `maxSchedules`, or a single run;
   * and no run was cut short by the step limit. Otherwise a clean verdict is
   * not earned: matchers and raceTest fail unless `allowIncomplete` is set.
   */
  readonly done: boolean;
  /** A run hit `maxSteps` (a `step-limit` violation): what lies past the limit was not explored. */
  readonly stepLimited: boolean;
  /** One line: "exhaustive search stopped by the time budget after 1 234 schedules (10 000 ms), incomplete". */
  readonly text: string;
  /** How to ask for more when not `done`: "raise timeBudgetMs (10 000 now)". */
  readonly more?: string;
}

/** What coverageOf reads: the fields of an Exploration it needs. */
export interface CoverageInput {
  readonly strategy: Strategy;
  readonly schedules: number;
  readonly complete: boolean;
  readonly kinds: readonly ViolationKind[];
  readonly stopped?: StopReason;
  readonly coverage?: Coverage;
}

/** The budgets an exploration was asked for. */
export interface Asked {
  readonly maxSchedules?: number;
  readonly timeBudgetMs?: number;
  readonly maxSteps?: number;
  readonly shard?: { readonly index: number; readonly count: number };
}

/** Digits in groups of three, "1 234 567", as the messages print counts. */
export function groupDigits(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

const schedulesText = (n: number): string => `${groupDigits(n)} schedule${n === 1 ? '' : 's'}`;

/**
 * The coverage of an exploration: its own `coverage` when it has one, else
 * what its strategy, `complete`, `stopped` and kinds tell (for an Exploration
 * built by hand, or by an older version).
 * @example
 * ```ts
 * const e = explore(spec, { strategy: 'random', maxSchedules: 20 });
 * coverageOf(e, { maxSchedules: 20 }).text;
 * // 'random sampling stopped at the first failure after 1 of 20 schedules, incomplete'
 * ```
 * @remarks Since 0.1.0
 */
export function coverageOf(e: CoverageInput, asked: Asked = {}): Coverage {
  if (e.coverage !== undefined) return e.coverage;
  const stopped: StopReason = e.stopped ?? (e.strategy === 'replay' ? 'single-run' : e.strategy === 'exhaustive' ? (e.complete ? 'exhausted' : 'max-schedules') : 'max-schedules');
  const stepLimited = e.kinds.includes('step-limit');
  const n = e.schedules;
  const max = asked.maxSchedules;
  const of = max === undefined || e.strategy === 'exhaustive' ? schedulesText(n) : `${groupDigits(n)} of ${schedulesText(max)}`;
  const shard = asked.shard === undefined || asked.shard.count === 1 ? '' : ` (shard ${asked.shard.index + 1}/${asked.shard.count})`;
  const search = e.strategy === 'exhaustive' ? 'exhaustive search' : `${e.strategy} sampling`;
  const ms = asked.timeBudgetMs === undefined ? '' : ` (${groupDigits(asked.timeBudgetMs)} ms)`;
  let text: string;
  let done: boolean;
  let more: string | undefined;
  switch (stopped) {
    case 'single-run':
      text = e.strategy === 'replay' ? 'one run (a replay or runOnce)' : 'one run';
      done = true;
      break;
    case 'exhausted':
      text = `exhaustive search complete after ${schedulesText(n)}${shard}`;
      done = true;
      break;
    case 'max-schedules':
      if (e.strategy === 'exhaustive') {
        text = `exhaustive search stopped at maxSchedules after ${schedulesText(n)}${shard}, incomplete`;
        done = false;
        more = `raise maxSchedules${max === undefined ? '' : ` (${groupDigits(max)} now)`}`;
      } else {
        text = `${search} ran every schedule asked for: ${shard === '' ? of : schedulesText(n)}${shard === '' ? ' (maxSchedules)' : `, its share of maxSchedules ${groupDigits(max ?? n)}${shard}`}`;
        done = true;
      }
      break;
    case 'time-budget':
      text = `${search} stopped by the time budget after ${of}${ms}${shard}, incomplete`;
      done = false;
      more = `raise timeBudgetMs${asked.timeBudgetMs === undefined ? '' : ` (${groupDigits(asked.timeBudgetMs)} now)`}`;
      break;
    case 'first-failure':
      text = `${search} stopped at the first failure after ${of}${shard}, incomplete`;
      done = false;
      more = 'explore with stopOnFirst: false to look past the first failure';
      break;
    case 'until':
      text = `${search} stopped once every kind of until was found, after ${of}${shard}, incomplete`;
      done = false;
      more = 'explore without until (or list the kinds you check in it)';
      break;
  }
  if (stepLimited) {
    const limit = asked.maxSteps === undefined ? 'maxSteps' : `maxSteps ${groupDigits(asked.maxSteps)}`;
    text += `; a run hit the step limit (${limit}), so what lies past it was not explored`;
    more = more === undefined ? 'raise maxSteps' : `${more}, and raise maxSteps`;
    done = false;
  }
  return { schedules: n, ...(max === undefined ? {} : { maxSchedules: max }), ...(asked.timeBudgetMs === undefined ? {} : { timeBudgetMs: asked.timeBudgetMs }), ...(asked.maxSteps === undefined ? {} : { maxSteps: asked.maxSteps }), stopped, done, stepLimited, text, ...(more === undefined ? {} : { more }) };
}
