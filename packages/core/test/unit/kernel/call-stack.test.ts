import { describe, expect, it } from 'vitest';
import { CallStack, threadCall } from '../../../src/kernel/call-stack.js';
import { explore, GFP_KERNEL, stepwise, type Kernel, type RaceSpec } from '../../../src/index.js';
import type { KGen } from '../../../src/kernel/context.js';
import { LOAD, op, type Op } from '../../../src/engine/op.js';

/**
 * The call stack (src/kernel/call-stack.ts) runs kernel code that yields its callees' generators:
 * it must give the ops, values, return values and exceptions that `yield*` would.
 */

const ld = (loc: number): Op => op(LOAD, { loc, fn: `ld ${loc}` });

/** Drives an iterator, answering each op with its location times ten; returns the ops' locations and the result. */
function drive(gen: Iterator<Op, unknown, number>): { locs: number[]; result: unknown } {
  const locs: number[] = [];
  let r = gen.next(0);
  while (r.done !== true) {
    locs.push(r.value.loc);
    r = gen.next(r.value.loc * 10);
  }
  return { locs, result: r.value };
}

// The same program written both ways: `yield*` (as the source reads) and yielded callees (as the build writes it).
function* leafStar(loc: number): KGen<number> {
  return (yield ld(loc)) + 1;
}
function* midStar(base: number): KGen<number> {
  const a = yield* leafStar(base);
  const b = yield* leafStar(base + 1);
  if (a + b > 60) throw new Error(`too big: ${a + b}`);
  return a + b;
}
function* topStar(log: string[]): KGen<number> {
  let sum = yield ld(1);
  try {
    sum += yield* midStar(2);
    sum += yield* midStar(5);
  } catch (e) {
    log.push(String(e));
    sum += yield ld(9);
  } finally {
    log.push('finally');
  }
  return sum;
}

function* leafCalls(loc: number): KGen<number> {
  return ((yield ld(loc)) as number) + 1;
}
function* midCalls(base: number): KGen<number> {
  const a = (yield leafCalls(base) as never) as number;
  const b = (yield leafCalls(base + 1) as never) as number;
  if (a + b > 60) throw new Error(`too big: ${a + b}`);
  return a + b;
}
function* topCalls(log: string[]): KGen<number> {
  let sum = (yield ld(1)) as number;
  try {
    sum += (yield midCalls(2) as never) as number;
    sum += (yield midCalls(5) as never) as number;
  } catch (e) {
    log.push(String(e));
    sum += (yield ld(9)) as number;
  } finally {
    log.push('finally');
  }
  return sum;
}

describe('CallStack', () => {
  it('gives the ops, values, exceptions and return value of the yield* chain', () => {
    const logStar: string[] = [];
    const logCalls: string[] = [];
    const star = drive(topStar(logStar));
    const calls = drive(new CallStack(topCalls(logCalls)));
    expect(calls).toEqual(star);
    expect(logCalls).toEqual(logStar);
    // The second call threw (51 + 61 > 60) into its caller, which caught it and took one more step.
    expect(star.locs).toEqual([1, 2, 3, 5, 6, 9]);
    expect(logStar).toEqual(['Error: too big: 112', 'finally']);
  });

  it('throws what no call catches out of next(), and closes the calls in progress on return()', () => {
    function* thrower(): KGen<number> {
      yield ld(1);
      throw new Error('boom');
    }
    function* caller(): KGen<number> {
      return (yield thrower() as never) as number;
    }
    const s = new CallStack(caller());
    expect(s.next(0).value).toMatchObject({ loc: 1 });
    expect(() => s.next(10)).toThrow('boom');

    const closed: string[] = [];
    function* inner(): KGen<number> {
      try {
        return (yield ld(3)) as number;
      } finally {
        closed.push('inner');
      }
    }
    function* outer(): KGen<number> {
      try {
        return (yield inner() as never) as number;
      } finally {
        closed.push('outer');
      }
    }
    // A hand-written iterator as a call: driven as a generator would be.
    const handWritten = (): KGen<number> => {
      let step = 0;
      const it = {
        next: (v?: number): IteratorResult<Op, number> => (step++ === 0 ? { done: false, value: ld(4) } : { done: true, value: (v ?? 0) + 1 }),
        return: (v: number): IteratorResult<Op, number> => ({ done: true, value: v }),
        throw: (e: unknown): IteratorResult<Op, number> => { throw e; },
        [Symbol.iterator]: () => it,
      };
      return it as unknown as KGen<number>;
    };
    function* viaHand(): KGen<number> {
      return ((yield handWritten() as never) as number) * 2;
    }
    expect(drive(new CallStack(viaHand()))).toEqual({ locs: [4], result: 82 });

    const t = new CallStack(outer());
    expect(t.next(0).value).toMatchObject({ loc: 3 });
    expect(t.return(7)).toEqual({ done: true, value: 7 });
    expect(closed).toEqual(['inner', 'outer']);
    expect(t.next(0)).toEqual({ done: true, value: undefined });
  });
});

describe('threadCall', () => {
  it('is a call stack of its own outside one, and the bare generator inside one, with the same ops and values', () => {
    expect(threadCall(midCalls(2))).toBeInstanceOf(CallStack);
    const made: unknown[] = [];
    // A thread body on a call stack, delegating to its calls (`yield* k.f()`): the calls they make reach the stack.
    function* body(log: string[]): KGen<number> {
      const top = threadCall(topCalls(log));
      made.push(top);
      return yield* top;
    }
    const logStar: string[] = [];
    const logThread: string[] = [];
    expect(drive(new CallStack(body(logThread), true))).toEqual(drive(topStar(logStar)));
    expect(logThread).toEqual(logStar);
    expect(made[0]).not.toBeInstanceOf(CallStack);
  });
});

describe('spec threads on a call stack', () => {
  it('reports a kernel call yielded instead of delegated to', () => {
    const spec: RaceSpec = { name: 'yields a call', threads: { *A(k) { yield k.alloc_pages(GFP_KERNEL, 0) as never; }, *B(k) { yield* k.alloc_pages(GFP_KERNEL, 0); } } };
    const e = explore(spec, { shrink: false });
    expect(e.violations[0]?.kind).toBe('thread-error');
    expect(e.violations[0]?.message).toMatch(/thread A yielded .*not a pagecheck op: call kernel functions with yield\*, not yield/);
  });

  it('gives a stepwise call made in a thread as ops alone, and the same steps as yield*', () => {
    const seen: string[] = [];
    function* record<R>(gen: KGen<R>): KGen<R> {
      let r = gen.next(0);
      while (r.done !== true) {
        seen.push(typeof r.value.kind === 'number' ? 'op' : 'call');
        r = gen.next(yield r.value);
      }
      return r.value;
    }
    // A second thread: the first runs while threads are scheduled, not as a one-thread spec's sequential run.
    function* other(k: Kernel): KGen<void> {
      const p = yield* k.alloc_pages(GFP_KERNEL, 0);
      if (p !== null) yield* k.__free_pages(p, 0);
    }
    const viaRecord: RaceSpec = { name: 'record', kernel: { pages: 8 }, threads: { *A(k) { const p = yield* record(stepwise(k.alloc_pages(GFP_KERNEL, 1))); if (p !== null) yield* k.__free_pages(p, 1); }, B: other } };
    const plain: RaceSpec = { name: 'plain', kernel: { pages: 8 }, threads: { *A(k) { const p = yield* k.alloc_pages(GFP_KERNEL, 1); if (p !== null) yield* k.__free_pages(p, 1); }, B: other } };
    const a = explore(viaRecord, { shrink: false, strategy: 'random', seed: 1, maxSchedules: 20 });
    const b = explore(plain, { shrink: false, strategy: 'random', seed: 1, maxSchedules: 20 });
    expect(a.violations).toEqual([]);
    expect(b.violations).toEqual([]);
    expect(seen.length).toBeGreaterThan(5);
    expect(seen.every((s) => s === 'op')).toBe(true);
  });
});
