import { Execution } from './engine/execution.js';
import { exploreProgram, type EngineResult, type StopReason, type Strategy } from './engine/explore.js';
import { renderDiagram } from './engine/diagram.js';
import { shrinkSchedule } from './engine/shrink.js';
import { ReplayChooser, countPreemptions } from './engine/strategies.js';
import { decodeToken, encodeToken, fingerprintOf, ReplayTokenError } from './engine/token.js';
import { violationsOf, type Violation, type ViolationKind } from './checkers/violation.js';
import { specProgram, validateSpec, type RaceSpec } from './spec.js';
import { formatFailure } from './report.js';
import { checkMemoryModel, type MemoryModel, type Pick } from './engine/memory-model/choice.js';
import { picksOf, weakModelOf } from './engine/memory-model/model.js';

/** Options of `explore`. @remarks Since 0.1.0 */
export interface ExploreOptions {
  /** How schedules are chosen (default `exhaustive`). */
  readonly strategy?: Strategy;
  /** Seed for random, pct and pos (default 1). */
  readonly seed?: number;
  /** Most schedules to run (default: 10 000 for random/pct, 200 000 for exhaustive). */
  readonly maxSchedules?: number;
  /** Wall-clock budget in ms (default 10 000). */
  readonly timeBudgetMs?: number;
  /** PCT depth (default 3). */
  readonly depth?: number;
  /** Exhaustive: at most this many preemptions per schedule (turns reduction off). */
  readonly preemptionBound?: number;
  /** Exhaustive: partial-order reduction (default true). */
  readonly reduction?: boolean;
  /** Steps per run before `step-limit` (default 20 000). */
  readonly maxSteps?: number;
  /** Stop at the first failing schedule (default true); false collects one failure per kind. */
  readonly stopOnFirst?: boolean;
  /** Stop once every one of these kinds has been found (overrides stopOnFirst). */
  readonly until?: readonly ViolationKind[];
  /** Shrink failures to the fewest preemptions and steps (default true). */
  readonly shrink?: boolean;
  /** Replay this token instead of exploring. */
  readonly replay?: string;
  /** Split the exploration across shards. */
  readonly shard?: { readonly index: number; readonly count: number };
  /**
   * Memory model (default: the spec's, else `sc`). `lkmm`: the Linux-kernel memory
   * model, where loads may read older stores and stores may land out of order as
   * LKMM allows; exhaustive exploration covers those choices too, and failures
   * shrink with their choices kept (docs/memory-model.md).
   */
  readonly memoryModel?: MemoryModel;
}

/** A failing schedule, shrunk, with its diagram and replay token. @remarks Since 0.1.0 */
export interface Failure {
  readonly violation: Violation;
  /** Every violation of the failing run. */
  readonly violations: readonly Violation[];
  /** Reproduces the run: `runOnce(spec, { replay })`. */
  readonly replay: string;
  /** The race diagram, one column per thread. */
  readonly diagram: string;
  /** The schedule (thread index per step). */
  readonly schedule: readonly number[];
  readonly preemptions: number;
  readonly steps: number;
  /** Steps and preemptions before shrinking. */
  readonly unshrunk: { readonly preemptions: number; readonly steps: number };
  /** The whole report: violation, diagram, history, token. */
  readonly report: string;
}

/** What exploring a spec found. @remarks Since 0.1.0 */
export interface Exploration {
  readonly spec: string;
  /** The first violation of each kind found. */
  readonly violations: readonly Violation[];
  /** The kinds found, sorted. */
  readonly kinds: readonly ViolationKind[];
  /** Schedules run. */
  readonly schedules: number;
  /** Runs abandoned: redundant schedules, and under `lkmm` executions the model forbids (not counted in `schedules`). */
  readonly pruned: number;
  /** True when every schedule (up to the reduction) was explored. */
  readonly complete: boolean;
  readonly strategy: Strategy;
  readonly elapsedMs: number;
  /** The first failure, if any. */
  readonly failure?: Failure;
  /** One failure per kind found. */
  readonly failures: readonly Failure[];
  /** Why the exploration stopped before covering its space, if it did. */
  readonly stopped?: StopReason;
}

/** explore()'s defaults, for tools that scale them (a nightly budget). @remarks Since 0.1.0 */
export const EXPLORE_DEFAULTS = {
  strategy: 'exhaustive' as Strategy,
  maxSchedules: { exhaustive: 200_000, random: 10_000, pct: 10_000, pos: 10_000 },
  timeBudgetMs: 10_000,
} as const;

/** The result of one schedule. @remarks Since 0.1.0 */
export type Run = Exploration;

/** The spec's fingerprint: its name, thread names and sources, and kernel configuration. */
export function specFingerprint<S>(spec: RaceSpec<S>): string {
  const text = [
    spec.name,
    ...Object.entries(spec.threads).map(([n, f]) => `${n}:${String(f)}`),
    String(spec.setup ?? ''),
    String(spec.teardown ?? ''),
    JSON.stringify(spec.kernel ?? {}, (_k, v: unknown) => (typeof v === 'function' ? String(v) : v)),
  ].join('\u0000');
  return fingerprintOf(text);
}

/**
 * Explores the schedules of a race spec and reports what breaks.
 * @remarks Since 0.1.0
 */
export function explore<S>(spec: RaceSpec<S>, options: ExploreOptions = {}): Exploration {
  validateSpec(spec as RaceSpec<never>);
  if (options.replay !== undefined) return runOnce(spec, { replay: options.replay, maxSteps: options.maxSteps });
  const strategy = options.strategy ?? EXPLORE_DEFAULTS.strategy;
  if (!['random', 'pct', 'pos', 'exhaustive'].includes(strategy)) {
    throw new Error(`unknown strategy '${String(strategy)}': use 'random', 'pct', 'pos' or 'exhaustive' (or pass replay: token)`);
  }
  const program = specProgram(spec);
  const memoryModel = checkMemoryModel(options.memoryModel ?? spec.memoryModel);
  const result = exploreProgram(program, {
    memoryModel,
    strategy,
    seed: options.seed,
    maxSchedules: options.maxSchedules ?? EXPLORE_DEFAULTS.maxSchedules[strategy as 'exhaustive' | 'random' | 'pct' | 'pos'],
    timeBudgetMs: options.timeBudgetMs ?? EXPLORE_DEFAULTS.timeBudgetMs,
    depth: options.depth,
    preemptionBound: options.preemptionBound,
    reduction: options.reduction,
    maxSteps: options.maxSteps,
    stopOnFirst: options.stopOnFirst,
    until: options.until,
    shard: options.shard,
  });
  return finish(spec, program, result, strategy, { ...options, memoryModel });
}

function finish<S>(spec: RaceSpec<S>, program: ReturnType<typeof specProgram<S>>, result: EngineResult, strategy: Strategy, options: { shrink?: boolean; maxSteps?: number; memoryModel: MemoryModel }): Exploration {
  const mm = options.memoryModel;
  const fp = specFingerprint(spec);
  const nThreads = Object.keys(spec.threads).length;
  const failures: Failure[] = result.failures.map((f) => {
    const shrinking = options.shrink !== false && nThreads > 1;
    let schedule = f.schedule;
    let unshrunk: { preemptions: number; steps: number } | undefined;
    if (shrinking) {
      const before = replayRun(program, schedule, options.maxSteps, mm, f.picks, false);
      unshrunk = { preemptions: countPreemptions(before.schedule, before.enabledAt), steps: before.schedule.length };
      schedule = shrinkSchedule(program, schedule, f.violation.kind, { maxSteps: options.maxSteps, memoryModel: mm, ...(f.picks === undefined ? {} : { picks: f.picks }) }).schedule;
    }
    const exec = replayRecorded(program, schedule, options.maxSteps, mm, f.picks);
    // Without shrinking the recorded replay is the unshrunk run itself.
    unshrunk ??= { preemptions: countPreemptions(exec.schedule, exec.enabledAt), steps: exec.schedule.length };
    const violation = violationsOf(exec).find((v) => v.kind === f.violation.kind) ?? (f.violation as Violation);
    // A run whose setup failed started no thread: the token still names the spec's threads, so it decodes.
    const replay = encodeToken(fp, exec.threads.length > 0 ? exec.threads.length : nThreads, exec.schedule, mm === 'sc' ? undefined : (picksOf(exec).picks ?? []));
    const tid = exec.threads.findIndex((t) => t.name === violation.thread);
    const diagram = renderDiagram(exec, tid < 0 ? {} : { violation: { tid, text: `>>> ${violation.kind}` } });
    const preemptions = countPreemptions(exec.schedule, exec.enabledAt);
    const report = formatFailure(spec.name, { violation, diagram, replay, preemptions, steps: exec.schedule.length });
    return { violation, violations: violationsOf(exec).slice(), replay, diagram, schedule: exec.schedule.slice(), preemptions, steps: exec.schedule.length, unshrunk, report };
  });
  const violations = failures.map((f) => f.violation);
  const kinds = [...new Set(result.failures.map((f) => f.violation.kind as ViolationKind))].sort();
  return {
    spec: spec.name,
    violations,
    kinds,
    schedules: result.schedules,
    pruned: result.pruned,
    complete: result.complete,
    strategy,
    elapsedMs: result.elapsedMs,
    ...(failures[0] === undefined ? {} : { failure: failures[0] }),
    ...(result.stopped === undefined ? {} : { stopped: result.stopped }),
    failures,
  };
}

function replayRecorded(program: ReturnType<typeof specProgram>, schedule: readonly number[], maxSteps: number | undefined, mm: MemoryModel, picks: readonly Pick[] | undefined): Execution {
  return replayRun(program, schedule, maxSteps, mm, picks, true);
}

/** Replays a schedule leniently; `record` keeps the trace (and call frames) a diagram needs. */
function replayRun(program: ReturnType<typeof specProgram>, schedule: readonly number[], maxSteps: number | undefined, mm: MemoryModel, picks: readonly Pick[] | undefined, record: boolean): Execution {
  return new Execution(program, { record, maxSteps, weak: weakModelOf(mm) }).run(new ReplayChooser(schedule, true, picks));
}

/** Options of `runOnce`. */
export interface RunOnceOptions {
  /** A replay token from a failure: reproduces that run exactly (under the memory model it was made with). */
  readonly replay?: string;
  readonly maxSteps?: number;
  /** Memory model of a run without a token (default: the spec's, else `sc`). */
  readonly memoryModel?: MemoryModel;
}

/**
 * Runs one schedule: the one a replay token names, or else each thread to
 * completion in turn (a sequential run).
 * @remarks Since 0.1.0
 */
export function runOnce<S>(spec: RaceSpec<S>, options: RunOnceOptions = {}): Run {
  validateSpec(spec as RaceSpec<never>);
  const program = specProgram(spec);
  let schedule: readonly number[] = [];
  let picks: readonly Pick[] | undefined;
  let memoryModel = checkMemoryModel(options.memoryModel ?? spec.memoryModel);
  let strict = false;
  if (options.replay !== undefined) {
    const t = decodeToken(options.replay);
    const fp = specFingerprint(spec);
    if (t.fingerprint !== fp) {
      throw new ReplayTokenError(`replay token ${options.replay} was made from a different spec than '${spec.name}' as it is now (fingerprint ${t.fingerprint}, spec has ${fp}): the spec or its kernel changed since the failure; explore again to get a new token`);
    }
    schedule = t.schedule;
    picks = t.picks;
    memoryModel = picks === undefined ? 'sc' : 'lkmm';
    strict = true;
  }
  const chooser = new ReplayChooser(schedule, !strict, picks);
  const start = performance.now();
  const exec = new Execution(program, { record: true, maxSteps: options.maxSteps, weak: weakModelOf(memoryModel) }).run(chooser);
  if (strict && exec.threads.length > 0 && decodeToken(options.replay!).threads !== exec.threads.length) {
    throw new ReplayTokenError(`replay token is for ${decodeToken(options.replay!).threads} threads; spec '${spec.name}' runs ${exec.threads.length}`);
  }
  if (strict && chooser.diverged !== undefined) {
    const d = chooser.diverged;
    if (d.wanted < 0) throw new ReplayTokenError(`replay token for '${spec.name}' ends at step ${d.step} but the run goes on: the token was cut short, or the spec changed since it was made`);
    throw new ReplayTokenError(`replay of '${spec.name}' diverged at step ${d.step}: the token wants thread ${d.wanted} but only ${d.enabled.join(', ')} can run; the spec no longer behaves as when the token was made`);
  }
  const result: EngineResult = {
    schedules: 1,
    complete: true,
    failures: exec.violations.length === 0 ? [] : dedupe(violationsOf(exec)).map((v) => ({ violation: v, violations: exec.violations.slice(), schedule: exec.schedule.slice(), index: 0, ...(picks === undefined ? {} : { picks }) })),
    elapsedMs: performance.now() - start,
    pruned: 0,
    maxStepsSeen: exec.schedule.length,
  };
  return finish(spec, program, result, 'replay', { shrink: false, maxSteps: options.maxSteps, memoryModel });
}

function dedupe(vs: readonly Violation[]): Violation[] {
  const seen = new Set<string>();
  return vs.filter((v) => (seen.has(v.kind) ? false : (seen.add(v.kind), true)));
}
