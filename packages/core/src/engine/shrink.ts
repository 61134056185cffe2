import type { Execution, Program } from './execution.js';
import { runSchedule } from './run-schedule.js';
import { countPreemptions } from './strategies.js';
import type { ViolationKind } from './violation.js';
import type { MemoryModel, Pick } from './memory-model/choice.js';
import type { Decision } from './decision.js';

/** Options for shrinking. */
export interface ShrinkOptions {
  /** Runs the shrinker may spend (default 2000). */
  readonly budget?: number;
  readonly maxSteps?: number;
  /** The memory model of the failing run (default `sc`). */
  readonly memoryModel?: MemoryModel;
  /** Under a weak model: the failing run's choices of stores, kept while the schedule shrinks. */
  readonly picks?: readonly Pick[];
  /** The failing run's outcomes of CHOICE steps, kept while the schedule shrinks. */
  readonly decisions?: readonly Decision[] | undefined;
}

/** A schedule's cost: fewest preemptions first, then fewest steps. */
export interface ScheduleCost {
  readonly preemptions: number;
  readonly steps: number;
}

/** Result of shrinking. */
export interface ShrinkResult {
  readonly schedule: readonly number[];
  readonly cost: ScheduleCost;
  readonly original: ScheduleCost;
  /** Runs spent. */
  readonly runs: number;
}

function cost(e: Execution): ScheduleCost {
  return { preemptions: countPreemptions(e.schedule, e.enabledAt), steps: e.log.length };
}

function better(a: ScheduleCost, b: ScheduleCost): boolean {
  return a.preemptions < b.preemptions || (a.preemptions === b.preemptions && a.steps < b.steps);
}

/** Maximal blocks of one thread in a schedule: [start, end). */
function blocks(s: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  let i = 0;
  while (i < s.length) {
    let j = i + 1;
    while (j < s.length && s[j] === s[i]) j++;
    out.push([i, j]);
    i = j;
  }
  return out;
}

/**
 * Shrinks a failing schedule to the shortest one that shows the same kind of
 * violation: fewest preemptions, then fewest steps. Candidates are replayed
 * leniently (where a candidate runs out or names a thread that cannot run, the
 * current thread goes on), so every candidate is a real schedule. Moves, tried
 * greedily until none helps: cut the schedule after a switch, drop a block,
 * swap neighbouring blocks, and move a switch point by one step either way.
 * @remarks Since 0.1.0
 */
export function shrinkSchedule(program: Program, schedule: readonly number[], kind: ViolationKind, options: ShrinkOptions = {}): ShrinkResult {
  const budget = options.budget ?? 2000;
  let runs = 0;
  const attempt = (candidate: readonly number[]): Execution | undefined => {
    runs++;
    const { exec: e } = runSchedule(program, { schedule: candidate, lenient: true, maxSteps: options.maxSteps, picks: options.picks, decisions: options.decisions, memoryModel: options.memoryModel });
    return !e.pruned && e.violations.some((v) => v.kind === kind) ? e : undefined;
  };
  const first = attempt(schedule);
  if (first === undefined) {
    return { schedule, cost: { preemptions: countPreemptions(schedule, undefined), steps: schedule.length }, original: { preemptions: countPreemptions(schedule, undefined), steps: schedule.length }, runs };
  }
  let best = first;
  let bestCost = cost(first);
  const original = bestCost;
  let improved = true;
  while (improved && runs < budget) {
    improved = false;
    const s = best.schedule;
    const bs = blocks(s);
    const candidates: number[][] = [];
    for (let b = 1; b < bs.length; b++) candidates.push(s.slice(0, bs[b]![0]));
    for (let b = 0; b < bs.length; b++) candidates.push([...s.slice(0, bs[b]![0]), ...s.slice(bs[b]![1])]);
    for (let b = 0; b + 1 < bs.length; b++) {
      const [a0, a1] = bs[b]!;
      const [, b1] = bs[b + 1]!;
      candidates.push([...s.slice(0, a0), ...s.slice(a1, b1), ...s.slice(a0, a1), ...s.slice(b1)]);
    }
    for (let b = 1; b < bs.length; b++) {
      const at = bs[b]![0];
      const moved1 = s.slice();
      moved1.splice(at, 0, s[at - 1]!);
      candidates.push(moved1);
      const moved2 = s.slice();
      moved2.splice(at - 1, 1);
      candidates.push(moved2);
    }
    for (const c of candidates) {
      if (runs >= budget) break;
      const e = attempt(c);
      if (e === undefined) continue;
      const ec = cost(e);
      if (better(ec, bestCost)) {
        best = e;
        bestCost = ec;
        improved = true;
        break;
      }
    }
  }
  return { schedule: best.schedule.slice(), cost: bestCost, original, runs };
}
