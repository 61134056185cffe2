import { Execution, type Program } from './execution.js';
import { ReplayChooser } from './strategies.js';
import type { MemoryModel, Pick } from './memory-model/choice.js';
import { weakModelOf } from './memory-model/model.js';
import type { Decision } from './decision.js';

/** A schedule to run, and how. @remarks Since 0.1.0 */
export interface ScheduleToRun {
  /** The thread index of each step. */
  readonly schedule: readonly number[];
  /** Under a weak memory model: the run's choices of stores (by thread and step within the thread). */
  readonly picks?: readonly Pick[];
  /** The outcomes of the run's CHOICE steps other than 0 (by thread and step within the thread). @remarks Since 0.1.0 */
  readonly decisions?: readonly Decision[] | undefined;
  /**
   * Where the schedule runs out or names a thread that cannot run: `true` goes
   * on without preempting (the current thread, else the first that can run);
   * `false` stops the run there and reports where it diverged.
   */
  readonly lenient: boolean;
  /** Keep the trace and call frames that a diagram or a timeline needs (default false). */
  readonly record?: boolean;
  readonly maxSteps?: number;
  /** Default `sc`. */
  readonly memoryModel?: MemoryModel;
}

/** Where a strict run left its schedule: the step, the thread it wanted (-1: the schedule had ended) and the threads that could run. */
export interface Divergence {
  readonly step: number;
  readonly wanted: number;
  readonly enabled: readonly number[];
}

/** One schedule's run. @remarks Since 0.1.0 */
export interface ScheduleRun {
  readonly exec: Execution;
  /** A strict run that could not follow its schedule: where it stopped. */
  readonly diverged?: Divergence;
}

/**
 * Runs a program along a recorded schedule (and memory-model choices): the
 * one runner that replay tokens, runOnce, the recording of an exploration's
 * failures, the shrinker's candidates and the timeline all go through, so the
 * same schedule gives the same run from each of them.
 * @remarks Since 0.1.0
 */
export function runSchedule(program: Program, run: ScheduleToRun): ScheduleRun {
  const chooser = new ReplayChooser(run.schedule, run.lenient, run.picks, run.decisions);
  const exec = new Execution(program, { record: run.record ?? false, maxSteps: run.maxSteps, weak: weakModelOf(run.memoryModel) }).run(chooser);
  return chooser.diverged === undefined ? { exec } : { exec, diverged: chooser.diverged };
}
