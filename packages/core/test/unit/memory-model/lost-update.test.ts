import { describe, expect, it } from 'vitest';
import { atomic_fetch_add, READ_ONCE, smp_load_acquire, smp_store_release, WRITE_ONCE } from '../../../src/engine/litmus/ops.js';
import { op, LOAD, STORE, type Op } from '../../../src/engine/op.js';
import { explore } from '../../../src/explore.js';
import type { RaceSpec } from '../../../src/spec.js';

// A non-atomic read-modify-write: a plain load, then the thread's paired store.
const load = (loc: number): Op => op(LOAD, { loc, fn: 'load' });
const pairedStore = (loc: number, v: number): Op => op(STORE, { loc, a: v, paired: true, fn: '__set_bit' });

type S = { x: number; f: number };
const setup: RaceSpec<S>['setup'] = (k) => ({ x: k.m.allocGlobal('x'), f: k.m.allocGlobal('f') });

describe('lost-update under memoryModel lkmm', () => {
  it('finds a paired load+store racing with another thread\'s atomic RMW, as sequential consistency does', () => {
    const spec: RaceSpec<S> = {
      name: 'non-atomic set_bit vs atomic add',
      setup,
      threads: {
        *a(_k, s) { const v = yield load(s.x); yield pairedStore(s.x, v | 1); },
        *b(_k, s) { yield atomic_fetch_add(2, s.x); },
      },
    };
    expect(explore(spec).kinds).toEqual(['lost-update']);
    const e = explore(spec, { memoryModel: 'lkmm' });
    expect(e.kinds).toEqual(['lost-update']);
    expect(e.failure!.violation.message).toMatch(/non-atomic store (a made at step \d+ )?overwrites the update b made at step \d+/);
  });

  it('finds it against a plain store too, and not when the other thread only reads', () => {
    const racing: RaceSpec<S> = {
      name: 'non-atomic set_bit vs WRITE_ONCE',
      setup,
      threads: {
        *a(_k, s) { const v = yield load(s.x); yield pairedStore(s.x, v | 1); },
        *b(_k, s) { yield WRITE_ONCE(s.x, 2); },
      },
    };
    expect(explore(racing, { memoryModel: 'lkmm' }).kinds).toEqual(['lost-update']);
    const reading: RaceSpec<S> = {
      name: 'non-atomic set_bit vs READ_ONCE',
      setup,
      threads: {
        *a(_k, s) { const v = yield load(s.x); yield pairedStore(s.x, v | 1); },
        *b(_k, s) { yield READ_ONCE(s.x); },
      },
    };
    const e = explore(reading, { memoryModel: 'lkmm' });
    expect(e.kinds).toEqual([]);
    expect(e.complete).toBe(true);
  });

  // Message passing: a updates x only after it saw b's flag, so under sequential
  // consistency its load reads b's store and nothing is lost. Under LKMM the load
  // may read x's old value (no ordering between the stores, or the loads): the
  // paired store then goes after b's store in coherence order and overwrites it.
  const mp = (ordered: boolean): RaceSpec<S> => ({
    name: `lost update behind a flag${ordered ? ' (release/acquire)' : ''}`,
    setup,
    threads: {
      *a(_k, s) {
        const f = yield ordered ? smp_load_acquire(s.f) : READ_ONCE(s.f);
        if (f !== 1) return;
        const v = yield load(s.x);
        yield pairedStore(s.x, v | 1);
      },
      *b(_k, s) {
        yield WRITE_ONCE(s.x, 2);
        yield ordered ? smp_store_release(s.f, 1) : WRITE_ONCE(s.f, 1);
      },
    },
  });

  it('finds an update lost only by reordering, which sequential consistency never shows', () => {
    const sc = explore(mp(false));
    expect(sc.kinds).toEqual([]);
    expect(sc.complete).toBe(true);
    const e = explore(mp(false), { memoryModel: 'lkmm' });
    expect(e.kinds).toEqual(['lost-update']);
    expect(e.failure!.violation.thread).toBe('a');
  });

  it('does not fire when release/acquire orders the flag (every load reads b\'s store)', () => {
    const e = explore(mp(true), { memoryModel: 'lkmm', stopOnFirst: false });
    expect(e.kinds).toEqual([]);
    expect(e.complete).toBe(true);
  });

  it('says which store overwrote which update, and which load missed it (exhaustive search, every model)', () => {
    const spec: RaceSpec<S> = {
      name: 'non-atomic set_bit vs atomic add, messages',
      setup,
      threads: {
        *a(_k, s) { const v = yield load(s.x); yield pairedStore(s.x, v | 1); },
        *b(_k, s) { yield atomic_fetch_add(2, s.x); },
      },
    };
    const sc = explore(spec, { strategy: 'exhaustive' }).failure!.violation;
    expect(sc).toMatchObject({ kind: 'lost-update', thread: 'a', step: 3, message: 'non-atomic store overwrites the update b made at step 2 after a loaded the word at step 1' });
    // Under lkmm the first failing run places b's add after a's paired store in program time but before it in
    // coherence order: the message says the order, and the violation names a, whose store (step 2) lost the
    // update, whichever step showed it (b's, step 3), as under sc.
    const weak = explore(spec, { strategy: 'exhaustive', memoryModel: 'lkmm' }).failure!.violation;
    expect(weak).toMatchObject({
      kind: 'lost-update',
      thread: 'a',
      step: 2,
      message: "non-atomic store a made at step 2 overwrites the update b made at step 3 (coherence order puts it first) that a's load at step 1 did not read",
    });
    const flag = explore(mp(false), { strategy: 'exhaustive', memoryModel: 'lkmm' }).failure!.violation;
    expect(flag).toMatchObject({ kind: 'lost-update', thread: 'a', step: 5, message: 'non-atomic store overwrites the update b made at step 1 after a loaded the word at step 4' });
  });

  it('does not fire when the other store wrote the value the load read (nothing is lost), in either model', () => {
    const same: RaceSpec<S> = {
      name: 'non-atomic set_bit vs a store of the old value',
      setup,
      threads: {
        *a(_k, s) { const v = yield load(s.x); yield pairedStore(s.x, v | 1); },
        *b(_k, s) { yield WRITE_ONCE(s.x, 0); },
      },
    };
    for (const memoryModel of ['sc', 'lkmm'] as const) {
      const e = explore(same, { strategy: 'exhaustive', memoryModel, stopOnFirst: false });
      expect(e.kinds).toEqual([]);
      expect(e.complete).toBe(true);
    }
  });

  it('does not fire for two paired read-modify-writes of one thread', () => {
    const own: RaceSpec<S> = {
      name: 'two non-atomic updates in one thread',
      setup,
      threads: {
        *a(_k, s) {
          const v = yield load(s.x);
          yield pairedStore(s.x, v | 1);
          const w = yield load(s.x);
          yield pairedStore(s.x, w | 2);
        },
        *b(_k, s) { yield READ_ONCE(s.x); },
      },
    };
    for (const memoryModel of ['sc', 'lkmm'] as const) expect(explore(own, { strategy: 'exhaustive', memoryModel, stopOnFirst: false }).kinds).toEqual([]);
  });

  it('pairs a store with the load right before it: a load of another word in between breaks the pair, in either model', () => {
    const broken: RaceSpec<S> = {
      name: 'paired store after a load of another word',
      setup,
      threads: {
        *a(_k, s) { const v = yield load(s.x); yield load(s.f); yield pairedStore(s.x, v | 1); },
        *b(_k, s) { yield WRITE_ONCE(s.x, 2); },
      },
    };
    for (const memoryModel of ['sc', 'lkmm'] as const) expect(explore(broken, { strategy: 'exhaustive', stopOnFirst: false, memoryModel }).kinds).toEqual([]);
  });

  it('finds the update of thread 0 lost by thread 1 too (the first thread is no special case)', () => {
    const spec: RaceSpec<S> = {
      name: 'atomic add vs non-atomic set_bit, threads swapped',
      setup,
      threads: {
        *a(_k, s) { yield atomic_fetch_add(2, s.x); },
        *b(_k, s) { const v = yield load(s.x); yield pairedStore(s.x, v | 1); },
      },
    };
    for (const memoryModel of ['sc', 'lkmm'] as const) {
      const e = explore(spec, { strategy: 'exhaustive', memoryModel });
      expect(e.kinds).toEqual(['lost-update']);
      expect(e.failure!.violation.message).toMatch(/overwrites the update a made at step \d+/);
    }
  });

  it('does not count the thread\'s own store between its load and its paired store as a lost update', () => {
    const spec: RaceSpec<S> = {
      name: 'own store inside a non-atomic update',
      setup,
      threads: {
        *a(_k, s) { const v = yield load(s.x); yield WRITE_ONCE(s.x, 5); yield pairedStore(s.x, v | 1); },
        *b(_k, s) { yield READ_ONCE(s.x); },
      },
    };
    for (const memoryModel of ['sc', 'lkmm'] as const) expect(explore(spec, { strategy: 'exhaustive', memoryModel, stopOnFirst: false }).kinds).toEqual([]);
  });
});
