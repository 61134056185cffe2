import { describe, expect, it } from 'vitest';
import { checkLitmus, parseExists, withDeps } from '../../../src/engine/litmus/litmus.js';
import { READ_ONCE, srcu_read_lock, srcu_read_unlock, WRITE_ONCE } from '../../../src/engine/litmus/ops.js';
import { add, eq, num, Val, when, withValues } from '../../../src/engine/litmus/values.js';
import type { Op } from '../../../src/engine/op.js';

/** Drives a generator of ops by hand, answering each with `answers[i]`; returns the ops it yielded. */
function drive(g: Generator<Op, void, number>, answers: number[]): Op[] {
  const ops: Op[] = [];
  let r = g.next(0);
  let i = 0;
  while (r.done !== true) {
    ops.push(r.value);
    r = g.next(answers[i++] ?? 0);
  }
  return ops;
}

describe('values that carry their reads', () => {
  it('a value read becomes an address or data dependency of the op it flows into, by step index', () => {
    const ops = drive(withValues((function* () {
      yield WRITE_ONCE(0, 5); // step 0
      const p = yield READ_ONCE(1); // step 1
      const v = yield READ_ONCE(p); // step 2, addr on 1
      yield WRITE_ONCE(3, add(v, 1)); // step 3, data on 2
    })()), [0, 7, 4]);
    expect(ops.map((o) => o.deps)).toEqual([undefined, undefined, { addr: [1] }, { data: [2] }]);
    expect(ops[2]!.loc).toBe(7);
    expect(ops[3]!.a).toBe(5);
  });

  it('when() gives every later op a control dependency, and only when the value came from a read', () => {
    const ops = drive(withValues((function* () {
      const a = yield READ_ONCE(0);
      if (when(eq(a, 1))) yield WRITE_ONCE(1, 1);
      yield WRITE_ONCE(2, 1);
      if (when(1)) yield WRITE_ONCE(3, 1);
    })()), [1]);
    expect(ops.slice(1).map((o) => o.deps)).toEqual([{ ctrl: [0] }, { ctrl: [0] }, { ctrl: [0] }]);
  });

  it('outside withValues, when() is the test alone and values are numbers', () => {
    expect(when(new Val(0, [3]))).toBe(false);
    expect(num(add(new Val(2, [1]), new Val(3, [4])))).toBe(5);
    expect(add(new Val(2, [4]), new Val(3, [1])).from).toEqual([1, 4]);
  });

  it('srcu_read_unlock() depends on the cookie srcu_read_lock() returned', () => {
    const ops = drive(withValues((function* () {
      const i = yield srcu_read_lock(9);
      yield srcu_read_unlock(9, i);
    })()), [0]);
    expect(ops[1]!.deps).toEqual({ data: [0] });
    expect(ops[1]!.loc).toBe(9);
  });
});

describe('pointer-valued locations in litmus tests', () => {
  it('exists compares a register with a location by name', () => {
    const c = parseExists('0:r0=y /\\ x=1', ['x', 'y']);
    expect(c([{ r0: 1 }], (n) => (n === 'x' ? 1 : 0))).toBe(true);
    expect(c([{ r0: new Val(0) }], (n) => (n === 'x' ? 1 : 0))).toBe(false);
    expect(() => parseExists('0:r0=w', ['x', 'y'])).toThrow(/'w' is neither a number nor a location \(locations: x, y\)/);
  });

  it('init names the location a pointer points to, and an unknown one is a clear error', () => {
    const test = {
      name: 'ptr', result: 'Never' as const, locations: ['x', 'p'], init: { x: 3, p: 'x' },
      threads: [withDeps(function* (l, r) { const q = yield READ_ONCE(l.p!); r.r0 = yield READ_ONCE(q); })],
      exists: '0:r0=0',
    };
    expect(checkLitmus(test).outcomes).toEqual(['0:r0=3']);
    expect(() => checkLitmus({ ...test, init: { p: 'nowhere' } })).toThrow(/init gives p the address of unknown location nowhere \(declare it in locations\)/);
  });
});
