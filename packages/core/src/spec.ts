import type { Op } from './engine/op.js';
import type { MemoryModel } from './engine/memory-model/choice.js';
import { StopRun, type Execution, type Program, type ThreadBody, type World } from './engine/execution.js';
import { Kernel, type KernelConfig, type KernelSnapshot } from './kernel/kernel.js';
import { describeLocation, type LocationName } from './kernel/describe-location.js';
import { setFailAlloc, type FailAlloc } from './kernel/fail-page-alloc.js';
import { safeString } from './engine/safe-string.js';
import { CallStack } from './kernel/call-stack.js';

/** The world of a spec's run: the engine's World, and names for its locations (for reports). */
export interface SpecWorld extends World {
  /** Names a location: a struct page field (`P0->_refcount`) or a global word (`zone->lock`). */
  describeLoc(loc: number): LocationName;
}

/** A thread of a race spec: kernel-style code as a generator. */
export type SpecThread<S> = (k: Kernel, s: S) => Generator<Op, unknown, number>;

/**
 * A race spec: build a kernel, set it up, run threads against it, tear down.
 * `setup` and `teardown` run alone (no interleaving); they may be plain
 * functions or generator functions that call kernel functions with `yield*`.
 * @remarks Since 0.1.0
 */
export interface RaceSpec<S = unknown> {
  readonly name: string;
  readonly kernel?: KernelConfig;
  readonly setup?: (k: Kernel) => S | Generator<Op, S, number>;
  readonly threads: Readonly<Record<string, SpecThread<S>>>;
  readonly teardown?: (k: Kernel, s: S) => void | Generator<Op, void, number>;
  /** The memory model the threads run under (default `sc`); `explore`'s `memoryModel` option overrides it. */
  readonly memoryModel?: MemoryModel;
}

function isGenerator(x: unknown): x is Generator<Op, unknown, number> {
  return typeof x === 'object' && x !== null && typeof (x as Generator).next === 'function' && typeof (x as Generator).throw === 'function';
}

/**
 * Setup's result is shared by every run that starts from the snapshot, so it is
 * frozen: a thread that writes to it gets a TypeError (a thread-error) instead of
 * silently changing later runs. Keep per-run state in kernel words.
 */
function deepFreeze<T>(x: T): T {
  if (x === null || typeof x !== 'object' || Object.isFrozen(x)) return x;
  const proto = Object.getPrototypeOf(x) as unknown;
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) return x;
  Object.freeze(x);
  for (const v of Object.values(x as object)) deepFreeze(v);
  return x;
}

/** Runs setup or teardown code; an error it throws is the spec's thread-error, not the engine's. */
function guarded<R>(exec: Execution, phase: string, body: () => R): R {
  try {
    return body();
  } catch (e) {
    if (e instanceof StopRun) throw e;
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : safeString(e);
    exec.report('thread-error', `${phase} threw ${msg}`, { error: e, thread: phase });
    throw new StopRun();
  }
}

/** Checks a spec's shape and says what is wrong. */
export function validateSpec(spec: RaceSpec<never>): void {
  if (spec === null || typeof spec !== 'object') throw new TypeError(`a race spec must be an object { name, setup?, threads, teardown? }, got ${safeString(spec)}`);
  if (typeof spec.name !== 'string' || spec.name.length === 0) throw new TypeError('a race spec needs a non-empty name');
  if (spec.threads === null || typeof spec.threads !== 'object') throw new TypeError(`race spec ${spec.name}: threads must be an object of generator functions { name: function*(k, s) {...} }`);
  const names = Object.keys(spec.threads);
  if (names.length === 0) throw new TypeError(`race spec ${spec.name} has no threads: give at least one in threads: { name: function*(k, s) {...} }`);
  if (names.length > 30) throw new RangeError(`race spec ${spec.name} has ${names.length} threads; at most 30 are supported`);
  for (const n of names) {
    if (typeof spec.threads[n] !== 'function') throw new TypeError(`race spec ${spec.name}: thread ${n} must be a generator function, got ${typeof spec.threads[n]}`);
  }
  if (spec.setup !== undefined && typeof spec.setup !== 'function') throw new TypeError(`race spec ${spec.name}: setup must be a function`);
  if (spec.teardown !== undefined && typeof spec.teardown !== 'function') throw new TypeError(`race spec ${spec.name}: teardown must be a function`);
}

/** How a spec's runs are made, beyond the spec: allocation failure injection. */
export interface ProgramOptions {
  readonly failAlloc?: FailAlloc | undefined;
}

/** The engine program for a spec: each run builds a fresh kernel. */
export function specProgram<S>(spec: RaceSpec<S>, reuseSetup = true, options: ProgramOptions = {}): Program {
  validateSpec(spec as RaceSpec<never>);
  // Setup runs once: later runs start from a snapshot of the kernel and the setup's result.
  let saved: { snap: KernelSnapshot; s: S } | undefined;
  let pooled: Kernel | undefined;
  // The world of the pooled kernel's runs: it names only the kernel and the setup's result, the same in each of them.
  let pooledWorld: SpecWorld | undefined;
  return {
    name: spec.name,
    init(exec: Execution): SpecWorld {
      // Runs that record no trace reuse one kernel object, reset from the snapshot.
      let k: Kernel;
      if (saved !== undefined && exec.trace === undefined && pooled !== undefined) {
        k = pooled;
        k.reset(exec, saved.snap);
        k.m.memory.resetTracking();
        if (pooledWorld !== undefined) {
          exec.attach(k.m.memory);
          setFailAlloc(k, options.failAlloc);
          return pooledWorld;
        }
      } else {
        k = new Kernel(spec.kernel ?? {}, exec, saved?.snap);
        if (saved !== undefined && exec.trace === undefined) pooled = k;
      }
      exec.attach(k.m.memory);
      setFailAlloc(k, options.failAlloc);
      let s: S = undefined as S;
      if (saved !== undefined) s = saved.s;
      else if (spec.setup !== undefined) {
        const setup = spec.setup;
        s = guarded(exec, 'setup', () => {
          const r = setup(k);
          return (isGenerator(r) ? exec.runSequential(r as Generator<Op, S, number>, 'setup') : r) as S;
        });
      }
      if (saved === undefined && reuseSetup && exec.violations.length === 0) saved = { snap: k.snapshot(), s: deepFreeze(s) };
      const threads: ThreadBody[] = Object.entries(spec.threads).map(([name, fn]): ThreadBody => ({
        name,
        start: () => {
          const g = fn(k, s);
          if (!isGenerator(g)) throw new TypeError(`thread ${name} is not a generator function: write it as function*(k, s) { ... }`);
          // On a call stack: the kernel calls the body makes (`yield* k.f(...)`) run on it (call-stack.ts threadCall).
          return new CallStack(g as Generator<Op, unknown, number>, true);
        },
      }));
      threads.push(...k.daemons());
      const world: SpecWorld = {
        memory: k.m.memory,
        threads,
        describe: (arg: number) => k.describe(arg),
        describeLoc: (loc: number) => describeLocation(k, loc),
        locationName: (loc: number) => describeLocation(k, loc).name,
        framesOf: (tid: number) => k.framesOf(tid),
        callOf: (tid: number) => k.callOf(tid),
        afterStep: k.checksEveryStep ? () => k.afterStep() : undefined,
        finish(ex: Execution): void {
          if (spec.teardown !== undefined) {
            const teardown = spec.teardown;
            guarded(ex, 'teardown', () => {
              const r = teardown(k, s);
              if (isGenerator(r)) ex.runSequential(r, 'teardown');
            });
          }
          k.finalChecks();
        },
      };
      if (k === pooled) pooledWorld = world;
      return world;
    },
  };
}
