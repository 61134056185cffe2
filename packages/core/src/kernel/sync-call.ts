import type { Op } from '../engine/op.js';
import type { Kernel, KGen } from './context.js';
import { CallStack, isDirectCall, threadCall } from './call-stack.js';
import { GeneratorLike } from './generator-like.js';

/**
 * Kernel calls that run at once where no other thread can run: the sequential fast path.
 *
 * Every kernel generator function `f` of a module is put on the kernel as three functions:
 * - `f$g`: the generator method itself, which kernel code calls with `yield this.f$g(...)`, handing
 *   the callee's generator to the call stack that runs it (call-stack.ts; the build's transform,
 *   ../../build/sync-twins.mjs, writes `yield* this.f(...)` so);
 * - `f$sync`: its sync twin, the same body with each `yield op` performed at once by
 *   `exec.stepSequential` and each `yield*` of a kernel function a call of that function's twin;
 * - `f`: the public entry. Called by a thread while the engine schedules threads, it returns the
 *   generator of `f$g` on a {@link CallStack}. Called anywhere else (setup, teardown, outside any run for `k.run`), it
 *   returns a {@link KernelCall}: a generator-like object that runs nothing until it is iterated.
 *   Iterated inside a sequential run (setup, teardown, `k.run`), when no other thread can run
 *   between two steps, it runs `f$sync` to the end at its first `next()`: the same steps, performed
 *   in the same order through the same `perform`, checkers and page history, without suspending a
 *   generator at each. Iterated elsewhere (by hand, or by a thread that got it from setup), it
 *   drives `f$g` step by step, on a call stack.
 *
 * A variant's override or wrapper replaces the three (installKernelCall): its `f$sync` drives the
 * user's generator with `exec.driveSync`, since user code has no twin. Without the transform (code
 * loaded from the sources by another tool), `f$sync` falls back to driving `f$g` the same way.
 */

type GenFn = (this: Kernel, ...args: unknown[]) => KGen<unknown>;
type SyncFn = (this: Kernel, ...args: unknown[]) => unknown;

/**
 * The sync fast path: on unless a test turns it off to compare the two paths. `stepwise` counts the
 * stepwise calls running now: kernel calls they make are stepwise too.
 * @internal
 */
export const fastPath = { enabled: true, stepwise: 0 };

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined }) as IteratorReturnResult<undefined>;

/** What a kernel function returns: a lazy call, run as a generator by a thread or at once in a sequential run. @internal */
export class KernelCall<R> extends GeneratorLike<R> implements Generator<Op, R, number> {
  /** The generator once iterated as one; `null` once run at once or finished. */
  private gen: KGen<R> | null | undefined = undefined;
  /** Set by {@link stepwise}: always a generator, even in a sequential run. */
  stepwise = false;

  /** `holder[genKey]` and `holder[syncKey]`, called on `k`: the kernel's own (looked up when iterated) or a wrapper's original. */
  constructor(
    private readonly k: Kernel,
    private readonly holder: object,
    private readonly genKey: string,
    private readonly syncKey: string,
    private readonly args: unknown[],
  ) {
    super();
  }

  next(value?: number): IteratorResult<Op, R> {
    const g = this.gen;
    if (g === null) return DONE as IteratorResult<Op, R>;
    if (g !== undefined && !this.stepwise) return g.next(value as number);
    const fns = this.holder as Record<string, (...a: unknown[]) => unknown>;
    if (g === undefined && this.k.exec.seq !== undefined && !this.stepwise && fastPath.stepwise === 0 && fastPath.enabled) {
      this.gen = null;
      return { done: true, value: fns[this.syncKey]!.apply(this.k, this.args) as R };
    }
    if (!this.stepwise) return (this.gen = new CallStack(fns[this.genKey]!.apply(this.k, this.args) as KGen<R>)).next(value as number);
    // A stepwise call: the kernel calls it makes while it runs are stepwise too.
    fastPath.stepwise++;
    try {
      return (this.gen ??= new CallStack(fns[this.genKey]!.apply(this.k, this.args) as KGen<R>)).next(value as number);
    } finally {
      fastPath.stepwise--;
    }
  }

  return(value: R): IteratorResult<Op, R> {
    const g = this.gen;
    this.gen = null;
    return g === undefined || g === null ? { done: true, value } : g.return(value);
  }

  throw(e: unknown): IteratorResult<Op, R> {
    const g = this.gen;
    if (g === undefined || g === null) {
      this.gen = null;
      throw e;
    }
    return g.throw(e);
  }

}

/**
 * A kernel call that yields its steps one by one even inside a sequential run (setup, teardown,
 * `k.run`), for code that drives it by hand to see each step (`gen.next()` in a loop). Without it,
 * a kernel call iterated in a sequential run runs to its end at its first `next()`: its steps are
 * performed, checked and counted as always, but not handed to the code iterating it. The kernel
 * calls a stepwise call makes (a variant's code included) are stepwise too. Other generators are
 * returned as they are.
 * @example
 * ```ts
 * const labels: string[] = [];
 * function* record<R>(gen: KGen<R>): KGen<R> {
 *   let r = gen.next();
 *   while (r.done !== true) { labels.push(r.value.fn); r = gen.next(yield r.value); }
 *   return r.value;
 * }
 * k.run(record(stepwise(k.alloc_pages(GFP_KERNEL, 0))));
 * ```
 * @remarks Since 0.1.0
 */
export function stepwise<R>(gen: KGen<R>): KGen<R> {
  // The kernel calls it makes are stepwise too (KernelCall.next).
  if (gen instanceof KernelCall) gen.stepwise = true;
  // A thread's call as a bare generator (call-stack.ts threadCall) yields the calls it makes: on a call stack of its own it yields ops alone.
  else if (isDirectCall(gen)) return new CallStack(gen);
  return gen;
}

/** The public entry of kernel function `name`: a lazy call of `name$g` or `name$sync`. */
function entry(name: string): (this: Kernel, ...args: unknown[]) => KGen<unknown> {
  const g = `${name}$g`;
  const s = `${name}$sync`;
  return function (this: Kernel, ...args: unknown[]): KGen<unknown> {
    const exec = this.exec;
    // Called by a thread while threads are scheduled: the generator on a call stack (call-stack.ts), with no lazy object to resume through at each step.
    if (exec.phase === 'threads' && exec.seq === undefined) return threadCall((this as unknown as Record<string, GenFn>)[g]!.apply(this, args) as KGen<unknown>);
    return new KernelCall(this, this, g, s, args);
  };
}

/** Kernel function `name` of `k` as it is now (for a wrapper's `original`): a lazy call of today's generator and twin, whatever replaces them later. */
export function currentCall(k: Kernel, name: string): (...args: unknown[]) => KGen<unknown> {
  const self = k as unknown as Record<string, unknown>;
  const fns = { g: self[`${name}$g`], s: self[`${name}$sync`] };
  return (...args: unknown[]): KGen<unknown> => {
    if (k.exec.phase === 'threads' && k.exec.seq === undefined) return threadCall((fns.g as GenFn).apply(k, args) as KGen<unknown>);
    return new KernelCall(k, fns, 'g', 's', args);
  };
}

/** A twin for a generator function that has none: drives the generator in the sequential run. */
export function driven(fn: GenFn): SyncFn {
  return function (this: Kernel, ...args: unknown[]): unknown {
    return this.exec.driveSync(new CallStack(fn.apply(this, args)));
  };
}

/** Puts kernel function `name` on `target` (the prototype, or one kernel for a variant): its generator, its twin, its entry. */
export function installKernelCall(target: object, name: string, gen: GenFn, sync: SyncFn | undefined): void {
  const define = (key: string, value: unknown): void => {
    Object.defineProperty(target, key, { value, writable: true, configurable: true });
  };
  define(`${name}$g`, gen);
  define(`${name}$sync`, sync ?? driven(gen));
  const e = entry(name);
  // The entry takes the generator's parameters (cfront reads a kernel function's arity from its length).
  Object.defineProperty(e, 'length', { value: gen.length });
  Object.defineProperty(e, 'name', { value: name });
  define(name, e);
}

/** True for a generator function (a kernel function written `*name(...) { ... }`). */
export function isGeneratorFunction(fn: unknown): fn is GenFn {
  return typeof fn === 'function' && fn.constructor.name === 'GeneratorFunction';
}
