import { Execution, type Chooser, type Program } from './execution.js';
import { DfsExplorer } from './dpor.js';
import { scheduleSeed } from './rng.js';
import { PctChooser, PosChooser, RandomChooser } from './strategies.js';
import { runSchedule } from './run-schedule.js';
import type { Violation, ViolationKind } from './violation.js';
import type { MemoryModel, Pick } from './memory-model/choice.js';
import { picksOf, weakModelOf } from './memory-model/model.js';
import { decisionsOf, type Decision } from './decision.js';
import { STRATEGIES, type Strategy } from './strategy-names.js';
import { safeString } from './safe-string.js';

export type { Strategy } from './strategy-names.js';

/** Options of an exploration at the engine level. */
export interface EngineOptions {
  readonly strategy: Strategy;
  /** Seed for random, pct and pos (default 1). */
  readonly seed?: number;
  /** Schedules to run at most (default 10 000; exhaustive: 1 000 000). */
  readonly maxSchedules?: number;
  /** Wall-clock budget in milliseconds. */
  readonly timeBudgetMs?: number;
  /** PCT bug depth d (default 3). */
  readonly depth?: number;
  /** Exhaustive: preemption bound (turns reduction off). */
  readonly preemptionBound?: number;
  /** Exhaustive: dynamic partial-order reduction (default true). */
  readonly reduction?: boolean;
  /** Steps per run before `step-limit`. */
  readonly maxSteps?: number;
  /** Stop at the first failing schedule (default true). */
  readonly stopOnFirst?: boolean;
  /** Stop once every one of these kinds has been found (overrides stopOnFirst). */
  readonly until?: readonly ViolationKind[];
  /** The schedule to replay (strategy `replay`). */
  readonly schedule?: readonly number[];
  /** Split the exploration: this shard's index (0-based) and the number of shards. */
  readonly shard?: { readonly index: number; readonly count: number };
  /** Exhaustive, sharded: when the probe that every shard runs ends (`DfsOptions.probe`); the same in every shard. */
  readonly shardProbe?: { readonly pendingPerShard?: number; readonly maxRuns?: number };
  /** Called with each finished run. */
  readonly onRun?: (exec: Execution, index: number) => void;
  /** Memory model: `sc` (sequential consistency, the default) or `lkmm` (the Linux-kernel memory model). */
  readonly memoryModel?: MemoryModel;
  /** The memory-model choices to replay with `schedule` (strategy `replay`, `lkmm`). */
  readonly picks?: readonly Pick[];
  /** The outcomes of CHOICE steps to replay with `schedule` (strategy `replay`). */
  readonly decisions?: readonly Decision[];
}

/** A failing run. */
export interface EngineFailure {
  readonly violation: Violation;
  readonly violations: readonly Violation[];
  readonly schedule: readonly number[];
  /** Index of the schedule that failed (0-based, in exploration order). */
  readonly index: number;
  /** Under a weak memory model: the run's choices of stores (replay them with the schedule). */
  readonly picks?: readonly Pick[];
  /** When the run had CHOICE steps: their outcomes other than 0 (replay them with the schedule). */
  readonly decisions?: readonly Decision[];
}

/** What an exploration found. */
export interface EngineResult {
  /** Runs completed (pruned runs are not counted). */
  readonly schedules: number;
  /** True when the strategy covered its whole space (exhaustive, replay). */
  readonly complete: boolean;
  /** The first failure of each kind, in the order found. */
  readonly failures: readonly EngineFailure[];
  readonly elapsedMs: number;
  /** Runs abandoned as redundant by the reduction. */
  readonly pruned: number;
  /** Most steps in one run. */
  readonly maxStepsSeen: number;
  /** Why the exploration ended: always set, whatever the strategy. */
  readonly stopped: StopReason;
}

/**
 * Why an exploration ended: `exhausted` (exhaustive search covered its whole
 * space, up to the reduction), `max-schedules` (it ran `maxSchedules`
 * schedules: all a sampling strategy was asked for, or an exhaustive search
 * cut short), `time-budget` (`timeBudgetMs` ran out first), `first-failure`
 * (`stopOnFirst`), `until` (every kind of `until` was found), or `single-run`
 * (one schedule: a replay or `runOnce`).
 * @remarks Since 0.1.0
 */
export type StopReason = 'exhausted' | 'max-schedules' | 'time-budget' | 'first-failure' | 'until' | 'single-run';

/**
 * Explores a program's schedules with a strategy: the engine's model().
 * @remarks Since 0.1.0
 */
export function exploreProgram(program: Program, options: EngineOptions): EngineResult {
  const start = performance.now();
  const deadline = options.timeBudgetMs === undefined ? Infinity : start + options.timeBudgetMs;
  const stopOnFirst = options.stopOnFirst ?? true;
  const seed = options.seed ?? 1;
  const failures: EngineFailure[] = [];
  const kinds = new Set<ViolationKind>();
  let schedules = 0;
  let pruned = 0;
  let maxStepsSeen = 0;
  let complete = false;
  let stopped: StopReason | undefined;
  const shard = options.shard;
  if (shard !== undefined && (!Number.isInteger(shard.count) || shard.count < 1 || !Number.isInteger(shard.index) || shard.index < 0 || shard.index >= shard.count)) {
    throw new RangeError(`shard must be { index, count } with 0 <= index < count, got ${JSON.stringify(shard)}`);
  }

  const record = (e: Execution, index: number): boolean => {
    if (e.pruned) {
      pruned++;
      return false;
    }
    schedules++;
    if (e.log.length > maxStepsSeen) maxStepsSeen = e.log.length;
    options.onRun?.(e, index);
    if (e.violations.length > 0) {
      const v = e.violations[0]!;
      if (!kinds.has(v.kind)) {
        kinds.add(v.kind);
        failures.push({ violation: v, violations: e.violations.slice(), schedule: e.schedule.slice(), index, ...picksOf(e), ...decisionsOf(e) });
      }
      for (const w of e.violations.slice(1)) {
        if (!kinds.has(w.kind)) {
          kinds.add(w.kind);
          failures.push({ violation: w, violations: e.violations.slice(), schedule: e.schedule.slice(), index, ...picksOf(e), ...decisionsOf(e) });
        }
      }
      if (options.until !== undefined) {
        if (options.until.every((k) => kinds.has(k))) stopped = 'until';
        return stopped === 'until';
      }
      if (stopOnFirst) stopped = 'first-failure';
      return stopOnFirst;
    }
    return false;
  };
  const weak = weakModelOf(options.memoryModel);
  const run = (chooser: Chooser): Execution => new Execution(program, { maxSteps: options.maxSteps, weak }).run(chooser);

  switch (options.strategy) {
    case 'replay': {
      if (options.schedule === undefined) throw new Error('strategy replay needs a schedule (or a replay token)');
      record(runSchedule(program, { schedule: options.schedule, lenient: false, maxSteps: options.maxSteps, picks: options.picks, decisions: options.decisions, memoryModel: options.memoryModel }).exec, 0);
      complete = true;
      stopped = 'single-run';
      break;
    }
    case 'random':
    case 'pct':
    case 'pos': {
      const max = options.maxSchedules ?? 10_000;
      let nThreads = 0;
      let k = 50;
      for (let i = 0; i < max; i++) {
        if (shard !== undefined && i % shard.count !== shard.index) continue;
        if (performance.now() > deadline) {
          stopped = 'time-budget';
          break;
        }
        const s = scheduleSeed(seed, i);
        let chooser: Chooser;
        if (options.strategy === 'random') chooser = new RandomChooser(s);
        else if (options.strategy === 'pos') chooser = new PosChooser(s);
        else {
          if (nThreads === 0) {
            nThreads = countThreads(program);
            k = Math.max(k, sequentialSteps(program, options.maxSteps));
          }
          chooser = new PctChooser(s, nThreads, options.depth ?? 3, k);
        }
        const e = run(chooser);
        if (record(e, i)) break;
      }
      // Every schedule asked for has run (this shard's share of them, when sharded).
      stopped ??= 'max-schedules';
      break;
    }
    case 'exhaustive': {
      const max = options.maxSchedules ?? 1_000_000;
      const n = countThreads(program);
      if (n === 1 && weak === undefined) {
        // One thread under sequential consistency: one schedule, nothing to branch on (no path, no clocks kept).
        const e = run({ choose: (_x, en) => en[0]! });
        // Sharded, the run counts for shard 0 (as the search's first run would).
        const stop = shard === undefined || shard.index === 0 ? record(e, 0) : (pruned++, false);
        complete = !stop;
        stopped = complete ? 'exhausted' : stopped;
        break;
      }
      const dfs = new DfsExplorer(n, { reduction: options.reduction, preemptionBound: options.preemptionBound, shard, probe: options.shardProbe });
      let i = 0;
      let stop = false;
      while (dfs.hasNext()) {
        if (schedules >= max || performance.now() > deadline) {
          stopped = schedules >= max ? 'max-schedules' : 'time-budget';
          break;
        }
        const chooser = dfs.chooser();
        const e = run(chooser);
        if (!e.pruned && !chooser.owned()) {
          // A probe run that every shard runs: it counts for another shard.
          pruned++;
          i++;
          dfs.advance();
          continue;
        }
        stop = record(e, i++);
        dfs.advance();
        if (stop) break;
      }
      complete = dfs.exhausted && !stop;
      if (complete) stopped = 'exhausted';
      break;
    }
    default:
      throw new Error(`unknown strategy '${safeString(options.strategy)}': use ${orList(Object.keys(STRATEGIES))}`);
  }
  if (stopped === undefined) throw new Error(`exploreProgram: the ${options.strategy} exploration ended without a reason (a bug in the engine)`);
  return { schedules, complete, failures, elapsedMs: performance.now() - start, pruned, maxStepsSeen, stopped };
}

/**
 * Steps of one run that never preempts: PCT's estimate of a run's length k. It
 * is fixed before the first schedule, so schedule i is the same in any shard.
 */
function sequentialSteps(program: Program, maxSteps: number | undefined): number {
  return new Execution(program, { maxSteps }).run({ choose: (_x, en) => en[0]! }).log.length;
}

/** Threads of a program: one run with a trivial chooser tells. */
function countThreads(program: Program): number {
  const e = new Execution(program, { maxSteps: 1 });
  e.run({ choose: (_x, en) => en[0]! });
  return Math.max(1, e.threads.length);
}

/** `a, b or c`. */
function orList(names: readonly string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]!}`;
}
