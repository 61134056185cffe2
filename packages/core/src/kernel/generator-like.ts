import type { Op } from '../engine/op.js';

/**
 * What a kernel call object shares with a generator besides next/return/throw: it is its own
 * iterator, `using` ends it, and it calls itself a Generator (so `yield*` and inspection treat
 * it as one). `CallStack` and `KernelCall` extend it.
 */
export abstract class GeneratorLike<R> {
  abstract next(sent?: number): IteratorResult<Op, R>;
  abstract return(value: R): IteratorResult<Op, R>;
  abstract throw(e: unknown): IteratorResult<Op, R>;

  [Symbol.iterator](): this {
    return this;
  }

  [Symbol.dispose](): void {
    this.return(undefined as R);
  }

  get [Symbol.toStringTag](): string {
    return 'Generator';
  }
}
