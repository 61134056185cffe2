import { describe, expect, it } from 'vitest';
import { Execution, type Chooser } from '../../../src/engine/execution.js';
import { Memory } from '../../../src/engine/memory.js';
import {
  LOAD, op, RMW_ADD, RMW_ADD_UNLESS, RMW_ANDNOT, RMW_CMPXCHG, RMW_OR, RMW_XCHG, STORE, WAIT, type Op,
} from '../../../src/engine/op.js';
import { ReplayChooser } from '../../../src/engine/strategies.js';
import { inOrder, load, lock, outcomes, pause, program, rmw, runWith, store, unlock, wait } from './programs.js';

/** Runs one thread that yields `ops` in turn and collects what each yield returned. */
function results(ops: readonly Op[], preset: readonly number[] = []): { values: number[]; words: number[] } {
  const values: number[] = [];
  const p = program('single', 8, [{
    name: 'T',
    *start() {
      for (const o of ops) values.push(yield o);
    },
  }], (w) => preset.forEach((v, i) => (w[i] = v)));
  const e = runWith(p);
  expect(e.violations).toEqual([]);
  return { values, words: Array.from(e.memory.words) };
}

describe('Execution', () => {
  describe('ops', () => {
    it('loads the word and stores the value given', () => {
      const { values, words } = results([load(0), store(0, 7), load(0), store(1, -3)], [5]);
      expect(values).toEqual([5, 7, 7, -3]);
      expect(words.slice(0, 2)).toEqual([7, -3]);
    });

    it('clears the second word of a two-word store', () => {
      const { words } = results([op(STORE, { loc: 0, a: 9, loc2: 1 })], [1, 2]);
      expect(words.slice(0, 2)).toEqual([9, 0]);
    });

    it('performs each atomic read-modify-write flavour and returns the old value', () => {
      const cases: [Op, number, number][] = [
        // op, word before, word after
        [rmw(0, RMW_ADD, 3), 4, 7],
        [rmw(0, RMW_ADD, 1), 0x7fffffff, -0x80000000],
        [rmw(0, RMW_OR, 0b0101), 0b0011, 0b0111],
        [rmw(0, RMW_ANDNOT, 0b0101), 0b0111, 0b0010],
        [rmw(0, RMW_XCHG, 42), 9, 42],
        [rmw(0, RMW_CMPXCHG, 9, 42), 9, 42],
        [rmw(0, RMW_CMPXCHG, 8, 42), 9, 9],
        [rmw(0, RMW_ADD_UNLESS, 1, 0), 2, 3],
        [rmw(0, RMW_ADD_UNLESS, 1, 0), 0, 0],
        [rmw(0, RMW_ADD_UNLESS, -1, 1), 1, 1],
      ];
      for (const [o, before, after] of cases) {
        const { values, words } = results([o], [before]);
        expect({ rmw: o.rmw, a: o.a, b: o.b, old: values[0], now: words[0] }).toEqual({ rmw: o.rmw, a: o.a, b: o.b, old: before, now: after });
      }
    });

    it('sets the lock bits on LOCK and clears only them on UNLOCK', () => {
      const { words } = results([lock(0, 0b100), lock(1, 0b1)], [0b011, 0]);
      expect(words.slice(0, 2)).toEqual([0b111, 0b1]);
      const after = results([lock(0, 0b100), unlock(0, 0b100)], [0b011]);
      expect(after.words[0]).toBe(0b011);
    });

    it('returns the word from a WAIT that can proceed, by mask or by predicate', () => {
      const { values } = results([wait(0, 0b10, 0b10), op(WAIT, { loc: 0, pred: (w) => w > 5 })], [0b110]);
      expect(values).toEqual([0b110, 0b110]);
    });

    it('records the value read and the value stored in the trace', () => {
      const p = program('trace', 2, [{ name: 'T', *start() { yield store(0, 4); yield rmw(0, RMW_ADD, 1); yield load(0); } }]);
      const e = runWith(p);
      expect(e.trace!.map((s) => s.value)).toEqual([4, 4, 5]);
      expect(e.schedule).toEqual([0, 0, 0]);
      expect(e.step).toBe(3);
    });
  });

  describe('blocking', () => {
    it('keeps a thread that wants a held lock disabled until the holder unlocks', () => {
      const seen: number[][] = [];
      const p = program('lock', 3, [
        { name: 'A', *start() { yield lock(0); yield store(1, 1); yield store(1, 2); yield unlock(0); } },
        { name: 'B', *start() { yield lock(0); const v = yield load(1); yield store(2, v); yield unlock(0); } },
      ]);
      // A takes the lock, then the chooser prefers B whenever it can run.
      const chooser: Chooser = {
        everyStep: true,
        choose: (e, enabled) => {
          seen.push(enabled.slice());
          return e.step === 0 ? 0 : enabled[enabled.length - 1]!;
        },
      };
      const e = runWith(p, chooser);
      expect(e.violations).toEqual([]);
      expect(seen.slice(0, 4)).toEqual([[0, 1], [0], [0], [0]]);
      expect(e.schedule).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
      expect(e.memory.words[2]).toBe(2);
    });

    it('never lets a thread see the inside of another thread\'s critical section', () => {
      const p = program('critical', 3, [
        { name: 'A', *start() { yield lock(0); yield store(1, 1); yield store(1, 2); yield unlock(0); } },
        { name: 'B', *start() { yield lock(0); const v = yield load(1); yield store(2, v); yield unlock(0); } },
      ]);
      const r = outcomes(p, { reduction: false });
      expect([...r.outcomes].sort()).toEqual(['memory 0,2,0', 'memory 0,2,2']);
    });

    it('reports a deadlock when two threads take two locks in opposite orders', () => {
      const p = program('abba', 2, [
        { name: 'A', *start() { yield lock(0); yield lock(1); yield unlock(1); yield unlock(0); } },
        { name: 'B', *start() { yield lock(1); yield lock(0); yield unlock(0); yield unlock(1); } },
      ]);
      const e = runWith(p, new ReplayChooser([0, 1], true));
      expect(e.violations).toHaveLength(1);
      const v = e.violations[0]!;
      expect(v.kind).toBe('deadlock');
      expect(v.message).toBe('every live thread is blocked: A waits for spin_lock(word 1), held by B; B waits for spin_lock(word 0), held by A');
      expect(v.step).toBe(2);
      // Run one after the other, the same program is fine.
      expect(runWith(p).violations).toEqual([]);
      expect(outcomes(p).outcomes).toContain('deadlock in A, B');
    });

    it('reports a deadlock when the only live thread waits for a word nothing will change', () => {
      const p = program('wait', 1, [{ name: 'A', *start() { yield wait(0, 1, 1); } }]);
      const e = runWith(p);
      expect(e.violations.map((v) => v.kind)).toEqual(['deadlock']);
    });
  });

  describe('run limits and errors', () => {
    it('stops a thread that spins forever with step-limit', () => {
      const p = program('spin', 1, [
        { name: 'done', *start() { yield store(0, 1); } },
        { name: 'spinner', *start() { for (;;) yield pause(); } },
      ]);
      const e = runWith(p, inOrder, 100);
      expect(e.violations).toHaveLength(1);
      const v = e.violations[0]!;
      expect(v.kind).toBe('step-limit');
      expect(v.thread).toBe('spinner');
      expect(v.message).toMatch(/exceeded 100 steps; still running: spinner \(99 steps\)/);
      expect(e.schedule).toHaveLength(100);
    });

    it('reports a thread that throws as thread-error, naming the thread and keeping the error', () => {
      const boom = new RangeError('boom');
      const p = program('throws', 1, [
        { name: 'ok', *start() { yield store(0, 1); } },
        { name: 'bad', *start() { yield load(0); throw boom; } },
      ]);
      const e = runWith(p);
      expect(e.violations).toHaveLength(1);
      const v = e.violations[0]!;
      expect(v).toMatchObject({ kind: 'thread-error', thread: 'bad', error: boom });
      expect(v.message).toBe('thread bad threw RangeError: boom');
    });

    it('reports a thread that throws before its first step', () => {
      const p = program('throws-early', 1, [
        { name: 'ok', *start() { yield store(0, 1); } },
        { name: 'bad', *start() { throw new Error('no'); } },
      ]);
      const e = runWith(p);
      expect(e.violations.map((v) => [v.kind, v.thread])).toEqual([['thread-error', 'bad']]);
      expect(e.step).toBe(0);
    });

    it('reports a thread that yields something that is not an op, saying to use yield*', () => {
      const p = program('not-an-op', 1, [
        { name: 'T', *start() { yield load(0); yield 42 as unknown as Op; } },
      ]);
      const e = runWith(p);
      expect(e.violations).toHaveLength(1);
      expect(e.violations[0]).toMatchObject({ kind: 'thread-error', thread: 'T' });
      expect(e.violations[0]!.message).toMatch(/thread T yielded 42, not a pagecheck op: call kernel functions with yield\*, not yield/);
      expect(e.violations[0]!.error).toBeInstanceOf(TypeError);
    });
  });

  describe('lost updates', () => {
    // A increments word 0 non-atomically; B increments it atomically.
    const incs = program('increments', 1, [
      { name: 'A', *start() { const v = yield load(0); yield store(0, v + 1, true); } },
      { name: 'B', *start() { yield rmw(0, RMW_ADD, 1); } },
    ]);

    it('reports a non-atomic store that overwrites another thread\'s update made after the load', () => {
      const e = runWith(incs, new ReplayChooser([0, 1, 0], true));
      expect(e.violations).toHaveLength(1);
      const v = e.violations[0]!;
      expect(v.kind).toBe('lost-update');
      expect(v.thread).toBe('A');
      // Steps count from 1, as in diagrams: A's load is step 1, B's update step 2, A's store step 3.
      expect(v.message).toBe('non-atomic store overwrites the update B made at step 2 after A loaded the word at step 1');
      expect(v.step).toBe(3);
      expect(e.schedule).toHaveLength(3);
    });

    it('does not report it when the other write happens before the load', () => {
      const e = runWith(incs, new ReplayChooser([1, 0, 0], true));
      expect(e.violations).toEqual([]);
      expect(e.memory.words[0]).toBe(2);
    });

    it('does not report it when the other write happens after the store', () => {
      const e = runWith(incs, new ReplayChooser([0, 0, 1], true));
      expect(e.violations).toEqual([]);
      expect(e.memory.words[0]).toBe(2);
    });

    it('does not report a store that is not marked paired', () => {
      const unpaired = program('unpaired', 1, [
        { name: 'A', *start() { const v = yield load(0); yield store(0, v + 1); } },
        { name: 'B', *start() { yield rmw(0, RMW_ADD, 1); } },
      ]);
      const e = runWith(unpaired, new ReplayChooser([0, 1, 0], true));
      expect(e.violations).toEqual([]);
      expect(e.memory.words[0]).toBe(1);
    });

    it('is found by exploring every schedule', () => {
      const r = outcomes(incs);
      expect([...r.outcomes].sort()).toEqual(['lost-update in A', 'memory 2']);
    });
  });

  describe('daemon threads', () => {
    it('runs a daemon that is ready after the other threads finish, then ends the run', () => {
      const p = program('daemon', 3, [
        { name: 'worker', *start() { yield store(0, 1); } },
        {
          name: 'rcu',
          daemon: true,
          *start() {
            for (;;) {
              yield wait(0, 1, 1);
              yield store(0, 0);
              yield rmw(1, RMW_ADD, 1);
            }
          },
        },
      ]);
      const e = runWith(p);
      expect(e.violations).toEqual([]);
      expect(Array.from(e.memory.words)).toEqual([0, 1, 0]);
      expect(e.schedule).toEqual([0, 1, 1, 1]);
      expect(e.phase).toBe('done');
    });

    it('does not count a blocked daemon as deadlocked, but still reports blocked live threads', () => {
      const p = program('daemon-deadlock', 2, [
        { name: 'stuck', *start() { yield wait(1, 1, 1); } },
        { name: 'rcu', daemon: true, *start() { yield wait(0, 1, 1); } },
      ]);
      const e = runWith(p);
      expect(e.violations).toHaveLength(1);
      expect(e.violations[0]!.kind).toBe('deadlock');
      expect(e.violations[0]!.message).toMatch(/blocked: stuck/);
      expect(e.violations[0]!.message).not.toMatch(/rcu/);
    });
  });

  describe('Memory', () => {
    it('rejects a size that is not a positive integer', () => {
      expect(() => new Memory(0)).toThrow(/positive integer, got 0/);
      expect(() => new Memory(1.5)).toThrow(RangeError);
    });

    it('records the last writer of each word once tracking', () => {
      const p = program('track', 2, [
        { name: 'A', *start() { yield store(0, 1); } },
        { name: 'B', *start() { yield load(0); yield store(1, 1); } },
      ]);
      const e = new Execution(p).run(inOrder);
      expect(Array.from(e.memory.lastWriter!)).toEqual([0, 1]);
      expect(Array.from(e.memory.lastWriteStep!)).toEqual([0, 2]);
    });
  });

  it('treats a LOAD as a read: two loads of the same word do not race in the trace', () => {
    const p = program('reads', 1, [
      { name: 'A', *start() { yield op(LOAD, { loc: 0 }); } },
      { name: 'B', *start() { yield op(LOAD, { loc: 0 }); } },
    ]);
    expect(outcomes(p).result.schedules).toBe(1);
  });
});
