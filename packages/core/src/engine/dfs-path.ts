import type { Op } from './op.js';
import type { Alternative } from './memory-model/choice.js';

// The exhaustive search's path: the stack of states from the root to the
// current run's last step, with what is done, still to do and asleep at each.

/** A state on the current path. */
export interface Node {
  /** Enabled threads (bitmask). */
  enabled: number;
  /** Threads still to explore from here. */
  backtrack: number;
  /** Threads explored from here. */
  done: number;
  /** Threads whose next step is known redundant here. */
  sleep: number;
  /** Thread taken on the current path. */
  chosen: number;
  /** Each thread's next op here. */
  pending: (Op | undefined)[];
  /** Preemptions on the path up to and including this node's choice. */
  preemptions: number;
  /** Weak memory model: alternatives the chosen thread's step listed (-1: it asked for none). */
  alts: number;
  /** The indexes of the listed alternatives the memory model allows (computed at the first visit). */
  allowed?: number[] | undefined;
  /** The alternative taken on the current path: an index into `allowed`, then into `offered`. */
  alt: number;
  /** Stores performed after this step that its load was offered (load buffering). */
  offered: Alternative[] | undefined;
  /** Stores offered to this step's load that a run could not take (`Chooser.offer`'s `allowed` said no). */
  refused?: Alternative[] | undefined;
  /** Sharding: threads whose branch from here another shard explores (assigned at the split). */
  foreign: number;
  /** Sharding: the remaining alternatives of this step belong to another shard. */
  foreignAlts: boolean;
}

/** A branch still to explore at a node of the stack: a thread, or the remaining alternatives of the step taken. */
export interface Pending {
  readonly node: Node;
  readonly thread: number;
}

/** The branches still to explore on the path, from the root down. */
export function pendingOf(stack: readonly Node[], nThreads: number): Pending[] {
  const out: Pending[] = [];
  for (const n of stack) {
    if (n.alt + 1 < n.alts + (n.offered?.length ?? 0)) out.push({ node: n, thread: -1 });
    const todo = n.backtrack & ~n.done & ~n.sleep & n.enabled;
    for (let t = 0; t < nThreads; t++) if (((todo >>> t) & 1) === 1) out.push({ node: n, thread: t });
  }
  return out;
}

/** Preemptions on the path up to depth `d` if thread `t` is chosen there. */
export function preemptionsWith(stack: Node[], d: number, t: number): number {
  const before = d > 0 ? stack[d - 1]!.preemptions : 0;
  if (d === 0) return 0;
  const prev = stack[d - 1]!.chosen;
  return before + (prev !== t && ((stack[d]!.enabled >>> prev) & 1) === 1 ? 1 : 0);
}

/** The lowest thread of a bitmask. */
export function lowest(mask: number): number {
  return 31 - Math.clz32(mask & -mask);
}

/** A bitmask as a list of threads: `{0, 2}`. */
export function maskList(mask: number): string {
  const out: number[] = [];
  for (let i = 0; i < 31; i++) if (((mask >>> i) & 1) === 1) out.push(i);
  return `{${out.join(', ')}}`;
}
