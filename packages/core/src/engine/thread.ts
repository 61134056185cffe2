import type { Op } from './op.js';

// Threads as the engine runs them: the body a program gives, the state during a run, a recorded step.

/** A thread body: a generator that yields one op per step. */
export type ThreadGen = Generator<Op, unknown, number>;

/** A thread as the engine sees it. */
export interface ThreadBody {
  readonly name: string;
  readonly start: () => ThreadGen;
  /**
   * A daemon (the RCU callback thread) does not keep a run alive: once every
   * other thread has finished, daemons run while they are enabled, then the run ends.
   */
  readonly daemon?: boolean;
}

/** One step of a recorded run. */
export interface TraceStep {
  readonly tid: number;
  readonly op: Op;
  /** The value loaded or the old value of an RMW; the stored value for a STORE. */
  readonly value: number;
  /** The thread's call frames at this step, outermost first (if the world tracks them). */
  readonly frames: readonly string[];
  /** Which outermost call of its thread the step belongs to (0 when the world does not number calls). */
  readonly call?: number;
}

/** Per-thread state during a run. */
export interface ThreadState {
  readonly id: number;
  readonly name: string;
  readonly daemon: boolean;
  gen: ThreadGen;
  pending: Op | undefined;
  done: boolean;
  steps: number;
  lastLoadLoc: number;
  lastLoadStep: number;
  lastLoadValue: number;
}
