import type { Op } from '../engine/op.js';
import type { KGen } from './context.js';
import { GeneratorLike } from './generator-like.js';

/**
 * A thread's kernel call, run as one iterator over its own stack of calls.
 *
 * Kernel code calls a kernel function by yielding the callee's generator (`yield this.f$g(...)`: the
 * build writes `yield* this.f(...)` so, build/sync-twins.mjs) instead of delegating to it with
 * `yield*`. This iterator keeps the calls in progress on a stack: it resumes only the innermost
 * call at each step, pushes a callee when a call yields one, and hands a finished callee's return
 * value (or its exception) back to its caller. With `yield*`, each step's op and result would pass
 * through every call in progress, about ten nanoseconds per call: kernel steps are six calls deep on
 * average. The ops, their order and the values each call sees are those of the `yield*` chain.
 * @internal
 */
export class CallStack<R> extends GeneratorLike<R> implements Generator<Op, R, number> {
  private readonly stack: KGen<unknown>[];

  /**
   * @param gen the outermost call.
   * @param thread `gen` is a thread's body (user code): a kernel call it yields with `yield` instead of
   *   delegating to it with `yield*` is not run, but handed on as the thread's step, for the engine to
   *   report as the mistake it is.
   */
  constructor(gen: KGen<R>, private readonly thread = false) {
    super();
    this.stack = [gen];
  }

  next(value?: number): IteratorResult<Op, R> {
    resuming++;
    try {
      return this.resume(false, value);
    } finally {
      resuming--;
    }
  }

  throw(e: unknown): IteratorResult<Op, R> {
    resuming++;
    try {
      return this.resume(true, e);
    } finally {
      resuming--;
    }
  }

  /** Resumes the innermost call with a step's result (or throws `input` into it) and runs to the next op. */
  private resume(throwing: boolean, input: unknown): IteratorResult<Op, R> {
    const stack = this.stack;
    for (;;) {
      const top = stack[stack.length - 1];
      if (top === undefined) {
        if (throwing) throw input;
        return { done: true, value: undefined as R };
      }
      let r: IteratorResult<unknown, unknown>;
      try {
        // A call is a generator: its next() is the generators' own, called directly (a megamorphic load otherwise).
        r = throwing ? top.throw(input) : (generatorNext.call(top, input) as IteratorResult<unknown, unknown>);
      } catch (e) {
        if (!throwing && !isGenerator(top)) {
          // A hand-written iterator (a wrapper may return one), which the generators' next() refused before running anything: run it in a generator.
          stack[stack.length - 1] = delegate(top);
          continue;
        }
        // The callee threw: its caller sees the exception where it called it.
        stack.pop();
        throwing = true;
        input = e;
        continue;
      }
      if (r.done === true) {
        stack.pop();
        if (stack.length === 0) return r as IteratorResult<Op, R>;
        throwing = false;
        input = r.value;
        continue;
      }
      const v = r.value as Op | KGen<unknown>;
      if (v !== null && typeof v === 'object' && typeof (v as Op).kind !== 'number' && typeof (v as KGen<unknown>).next === 'function') {
        // A thread body that yields the call it just made (`yield k.f()`): a step that is no op, which the engine reports.
        if (this.thread && v === lastDirect && stack.length === 1) return r as IteratorResult<Op, R>;
        // A call: the callee runs until its first op.
        stack.push(v as KGen<unknown>);
        throwing = false;
        input = undefined;
        continue;
      }
      return r as IteratorResult<Op, R>;
    }
  }

  return(value: R): IteratorResult<Op, R> {
    // The calls in progress end innermost first, each one's finally blocks run.
    const stack = this.stack;
    while (stack.length > 0) stack.pop()!.return(undefined);
    return { done: true, value };
  }

}

/** How many call stacks are running a step now: code they run is inside one, and its calls can be pushed on it. */
let resuming = 0;
/** The last call {@link threadCall} returned as a bare generator. */
let lastDirect: object | undefined;

/**
 * A kernel call made while threads are scheduled, as the caller should get it. Made by code that a call
 * stack is running (kernel code, a variant's or a wrapper's, a spec thread's body: spec.ts runs each on
 * one), it is the bare generator: the caller delegates to it with `yield*`, so the calls it yields reach
 * that call stack, which pushes them, and each later step resumes only the innermost call, not the
 * callers in between. Made by anything else (a thread body the engine resumes itself), it is a call
 * stack of its own. Either way the thread takes the same steps, in the same order, with the same values.
 * @internal
 */
export function threadCall<R>(gen: KGen<R>): KGen<R> {
  if (resuming === 0) return new CallStack(gen);
  lastDirect = gen;
  return gen;
}

/** `gen` is the bare generator of a call {@link threadCall} just returned (which yields calls besides ops). @internal */
export function isDirectCall(gen: object): boolean {
  return resuming > 0 && gen === lastDirect;
}

/** %GeneratorPrototype%: the prototype of every generator function's prototype. */
const GeneratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf((function* () {})())) as { next: (v?: unknown) => unknown };
const generatorNext = GeneratorPrototype.next;

function isGenerator(it: object): boolean {
  return Object.getPrototypeOf(Object.getPrototypeOf(it)) === GeneratorPrototype;
}

/** A generator that delegates to `it`. */
function* delegate<T>(it: KGen<T>): KGen<T> {
  return yield* it;
}
