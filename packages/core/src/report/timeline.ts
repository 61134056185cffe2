import type { Execution, TraceStep, World } from '../engine/execution.js';
import { runSchedule } from '../engine/run-schedule.js';
import type { MemoryModel, Pick as ModelPick } from '../engine/memory-model/choice.js';
import { CHOICE, isWrite, LOAD, RMW, WAIT, type Op } from '../engine/op.js';
import { decodeToken, ReplayTokenError } from '../engine/token.js';
import { violationsOf, type HistoryEvent, type Violation, type ViolationKind } from '../checkers/violation.js';
import { failureDiagram, type Failure } from '../failure.js';
import { specFingerprint } from '../spec-fingerprint.js';
import type { LocationName } from '../kernel/describe-location.js';
import { specProgram, type RaceSpec, type SpecWorld } from '../spec.js';
import { racingPairs } from './racing-pairs.js';
import { stepLabel } from '../engine/diagram.js';
import type { Decision } from '../engine/decision.js';

/** What a step does to its word. @remarks Since 0.1.0 */
export type TimelineOpKind = 'load' | 'store' | 'rmw' | 'lock' | 'unlock' | 'wait' | 'fence' | 'yield' | 'choice';

const OP_KINDS: readonly TimelineOpKind[] = ['load', 'store', 'rmw', 'lock', 'unlock', 'wait', 'fence', 'yield', 'choice'];

/** A word of memory a step touches, named by page and field where it is a struct page word. @remarks Since 0.1.0 */
export interface TimelineLocation extends LocationName {
  /** The engine's location (a word index). */
  readonly loc: number;
}

/** A thread of the run: one lane of the timeline. @remarks Since 0.1.0 */
export interface TimelineThread {
  readonly tid: number;
  readonly name: string;
  /** A kernel daemon (the RCU callback thread) rather than one of the spec's threads. */
  readonly daemon: boolean;
  /** Steps the thread took. */
  readonly steps: number;
}

/** One step of the failing run. @remarks Since 0.1.0 */
export interface TimelineStep {
  /** Its place in the run, from 0. Messages and page histories count steps from 1: their `step 93` is index 92. */
  readonly index: number;
  /** The thread (lane) that took it. */
  readonly tid: number;
  readonly op: TimelineOpKind;
  /** The kernel-level operation the step belongs to (`put_page_testzero`), or ''. */
  readonly fn: string;
  /** The step as the race diagram shows it: `PageHead(P0) == false`. */
  readonly label: string;
  /** The thread's kernel call frames at this step, outermost first: `__free_pages(P0, 2)`. */
  readonly frames: readonly string[];
  /** The value loaded, the old value of an atomic, or the value stored. */
  readonly value: number;
  /** The value as the kernel function shows it (`false`, `1`), for loads, atomics and waits that show one. */
  readonly shown?: string;
  /** True when the step writes its word (store, atomic, lock, unlock). */
  readonly write: boolean;
  /** The word it touches; absent for fences and scheduling points. */
  readonly location?: TimelineLocation;
  /** A second word the step writes (the upper half a 64-bit store clears). */
  readonly location2?: TimelineLocation;
  /** True when the scheduler switched to this thread while the previous one could have gone on. */
  readonly preemption: boolean;
  /** The steps of other threads this one races with (their indexes, ascending). */
  readonly races: readonly number[];
}

/** Two racing accesses to the same word. @remarks Since 0.1.0 */
export interface TimelineRace {
  /** The earlier step's index. */
  readonly a: number;
  /** The later step's index. */
  readonly b: number;
  readonly location: TimelineLocation;
}

/** A violation, placed on the timeline. @remarks Since 0.1.0 */
export interface TimelineViolation {
  readonly kind: ViolationKind;
  readonly message: string;
  /** The thread that was running (`setup`, `teardown`, or a thread name). */
  readonly thread: string;
  /** The step count when it was detected, as messages give it. */
  readonly step: number;
  /** The lane of that thread, or -1 when it is not a thread of the run (setup, teardown, a deadlock). */
  readonly tid: number;
  /** The index of the step after which it was detected (-1: before any step). */
  readonly after: number;
  readonly pfn?: number;
  readonly invariant?: string;
}

/** The page_owner-style history of the page a violation concerns. @remarks Since 0.1.0 */
export interface TimelineHistory {
  readonly pfn: number;
  /** How the diagrams name it (`P0`, `pfn:a`). */
  readonly page: string;
  /** Oldest first; an event's `step` counts steps from 1 (-1: setup). */
  readonly events: readonly HistoryEvent[];
}

/** A failing schedule laid out for the HTML report: lanes, steps, races, the violation. @remarks Since 0.1.0 */
export interface Timeline {
  readonly spec: string;
  /** The failure's replay token. */
  readonly replay: string;
  readonly memoryModel: MemoryModel;
  readonly threads: readonly TimelineThread[];
  readonly steps: readonly TimelineStep[];
  /** Every pair of racing accesses, sorted by `a`, then `b`. */
  readonly races: readonly TimelineRace[];
  /** The failure's violation. */
  readonly violation: TimelineViolation;
  /** Every violation of the run, the failure's first. */
  readonly violations: readonly TimelineViolation[];
  readonly history?: TimelineHistory;
  readonly preemptions: number;
  /** The text race diagram of the failure. */
  readonly diagram: string;
}

/** Options of `timeline`. @remarks Since 0.1.0 */
export interface TimelineOptions {
  /** The `maxSteps` the failure was explored with, if not the default (needed for a `step-limit` failure). */
  readonly maxSteps?: number;
}

/**
 * The timeline of a failure: replays its schedule (and memory-model choices)
 * on the spec with every step recorded, and returns each thread's steps, with
 * their kernel calls, the values they saw, the words they touched by page and
 * field, and which steps race with which; the violation placed after the step
 * that exposed it; the page history and the replay token. `timelineHtml`
 * renders it.
 *
 * Throws a ReplayTokenError when the failure was made from another spec (or
 * the spec changed since), and an Error when the replay does not show the
 * failure's violation again.
 * @example
 * ```ts
 * const failure = explore(spec).failure;
 * if (failure !== undefined) writeFileSync('race.html', timelineHtml(timeline(spec, failure)));
 * ```
 * @remarks Since 0.1.0
 */
export function timeline<S>(spec: RaceSpec<S>, failure: Failure, options: TimelineOptions = {}): Timeline {
  const token = tokenOf(failure.replay);
  const fp = specFingerprint(spec);
  if (token.fingerprint !== fp) {
    throw new ReplayTokenError(`timeline: the failure (replay ${failure.replay}) was made from a different spec than '${spec.name}' as it is now (fingerprint ${token.fingerprint}, spec has ${fp})`);
  }
  const memoryModel: MemoryModel = token.weak ? 'lkmm' : 'sc';
  const maxSteps = options.maxSteps ?? (failure.violation.kind === 'step-limit' ? failure.steps : undefined);
  // A token with choices was made with failAlloc: 'explore' (its allocations' outcomes replay with it).
  const program = specProgram(spec, true, token.decisions === undefined ? {} : { failAlloc: 'explore' });
  const { exec } = runSchedule(program, { schedule: failure.schedule, picks: token.picks, decisions: token.decisions, lenient: true, record: true, maxSteps, memoryModel });
  const found = violationsOf(exec).find((v) => v.kind === failure.violation.kind);
  if (found === undefined || exec.trace === undefined) {
    const saw = exec.violations.map((v) => v.kind).join(', ') || 'no violation';
    throw new Error(`timeline: replaying the failing schedule of '${spec.name}' (replay ${failure.replay}) showed ${saw}, not its ${failure.violation.kind}`);
  }
  const world = exec.world as World & Partial<Pick<SpecWorld, 'describeLoc'>>;
  const trace = exec.trace;
  const locationOf = (loc: number): TimelineLocation => ({ loc, ...(world.describeLoc?.(loc) ?? { name: `word ${loc}` }) });
  const pairs = racingPairs(trace);
  const partners: number[][] = trace.map(() => []);
  for (const p of pairs) {
    partners[p.a]!.push(p.b);
    partners[p.b]!.push(p.a);
  }
  const steps = trace.map((s, i) => stepOf(world, s, i, partners[i]!.sort((x, y) => x - y), locationOf, isPreemption(exec, i)));
  const lanes = exec.threads.map((t): TimelineThread => ({ tid: t.id, name: t.name, daemon: t.daemon, steps: t.steps }));
  const place = (v: Violation): TimelineViolation => ({
    kind: v.kind,
    message: v.message,
    thread: v.thread,
    step: v.step,
    tid: lanes.findIndex((t) => t.name === v.thread),
    after: afterStep(v, trace.length),
    ...(v.pfn === undefined ? {} : { pfn: v.pfn }),
    ...(v.invariant === undefined ? {} : { invariant: v.invariant }),
  });
  const violation = place(failure.violation);
  const v = failure.violation;
  return {
    spec: spec.name,
    replay: failure.replay,
    memoryModel,
    threads: lanes,
    steps,
    races: pairs.map((p) => ({ a: p.a, b: p.b, location: locationOf(p.loc) })),
    violation,
    violations: [violation, ...violationsOf(exec).filter((x) => x.kind !== v.kind).map(place)],
    ...(v.pfn === undefined || v.history === undefined || v.history.length === 0
      ? {}
      : { history: { pfn: v.pfn, page: world.describe?.(v.pfn) ?? `pfn:${v.pfn.toString(16)}`, events: v.history.map((e) => ({ ...e })) } }),
    preemptions: failure.preemptions,
    // Rendered from this replay, as runOnce and explore render theirs: the same token gives the same diagram.
    diagram: failureDiagram(exec, found),
  };
}

/**
 * The fingerprint and memory-model choices of a failure's token. A failure in setup
 * has a token for no threads, which decodeToken refuses; its fingerprint and model
 * are still read (it has no steps to replay).
 */
function tokenOf(replay: string): { fingerprint: string; weak: boolean; picks?: readonly ModelPick[]; decisions?: readonly Decision[] } {
  try {
    const t = decodeToken(replay);
    return { fingerprint: t.fingerprint, weak: t.picks !== undefined, ...(t.picks === undefined ? {} : { picks: t.picks }), ...(t.decisions === undefined ? {} : { decisions: t.decisions }) };
  } catch (e) {
    const parts = replay.split('.');
    if (parts[0] !== 'pc1' || parts[2] !== '0') throw e;
    return { fingerprint: (parts[1] ?? '').split('-')[0]!, weak: parts.length === 5 };
  }
}

function stepOf(world: World, s: TraceStep, index: number, races: readonly number[], locationOf: (loc: number) => TimelineLocation, preemption: boolean): TimelineStep {
  const o = s.op;
  const shows = o.show !== undefined && (o.kind === LOAD || o.kind === RMW || o.kind === WAIT || o.kind === CHOICE);
  return {
    index,
    tid: s.tid,
    op: OP_KINDS[o.kind]!,
    fn: o.fn,
    label: stepLabel(world, o, s.value),
    frames: s.frames.slice(),
    value: s.value,
    ...(shows ? { shown: o.show!(s.value) } : {}),
    write: isWrite(o),
    ...(o.loc >= 0 ? { location: locationOf(o.loc) } : {}),
    ...(o.loc2 >= 0 ? { location2: locationOf(o.loc2) } : {}),
    preemption,
    races,
  };
}


/**
 * The index of the step after which a violation was detected. Its `step` is the
 * number of the step it was found at, counting from 1: checks in kernel code run
 * between steps, after step `step` (index `step - 1`); a lost update is found while
 * its store (index `step - 1`) is performed. Setup's violations come before any step.
 */
function afterStep(v: Violation, n: number): number {
  if (v.step < 0) return -1;
  return Math.max(-1, Math.min(v.step - 1, n - 1));
}

/** The step switched threads while the previous thread could have gone on (as countPreemptions counts). */
function isPreemption(exec: Execution, i: number): boolean {
  if (i === 0) return false;
  const prev = exec.schedule[i - 1]!;
  return exec.schedule[i] !== prev && ((exec.enabledAt[i]! >>> prev) & 1) === 1;
}
