import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbProgram } from '../engine/arbitraries.js';
import { fromInstrs, outcomes, sorted, type Instr } from '../engine/programs.js';
import { Execution } from '../../../src/engine/execution.js';
import { exploreProgram } from '../../../src/engine/explore-program.js';
import { checkLitmus, litmusProgram, parseExists, type LitmusTest } from '../../../src/engine/litmus/litmus.js';
import {
  atomic_fetch_add, atomic_fetch_add_acquire, atomic_fetch_add_relaxed, cmpxchg_acquire, cmpxchg_release, READ_ONCE, smp_load_acquire, smp_mb,
  smp_store_release, WRITE_ONCE, xchg, xchg_acquire, xchg_relaxed, xchg_release,
} from '../../../src/engine/litmus/ops.js';
import type { Op } from '../../../src/engine/op.js';
import { checkMemoryModel } from '../../../src/engine/memory-model/choice.js';
import { weakModelOf } from '../../../src/engine/memory-model/model.js';
import { WeakMemory } from '../../../src/engine/memory-model/weak-memory.js';
import { ReplayChooser } from '../../../src/engine/strategies.js';
import { decodeToken, encodeToken } from '../../../src/engine/token.js';
import { explore } from '../../../src/explore.js';
import { runOnce } from '../../../src/run-once.js';
import type { RaceSpec } from '../../../src/spec.js';
import { kernelLitmusTests } from './kernel-litmus.js';

const byName = (name: string): LitmusTest => kernelLitmusTests.find((t) => t.name === name)!;

describe('memoryModel', () => {
  it('is sequential consistency by default: MP and SB never show their weak outcomes', () => {
    expect(checkLitmus(byName('MP+poonceonces'), { memoryModel: 'sc' }).verdict).toBe('Never');
    expect(checkLitmus(byName('SB+poonceonces'), { memoryModel: 'sc' }).verdict).toBe('Never');
    expect(checkLitmus(byName('LB+poonceonces'), { memoryModel: 'sc' }).verdict).toBe('Never');
  });

  it('leaves an SC run on the engine\'s plain path (no weak model is made)', () => {
    expect(weakModelOf(undefined)).toBeUndefined();
    expect(weakModelOf('sc')).toBeUndefined();
    expect(new Execution(litmusProgram(byName('MP+poonceonces'))).weak).toBeUndefined();
  });

  it('rejects an unknown memory model, naming the valid ones', () => {
    expect(() => checkMemoryModel('tso')).toThrow(/unknown memoryModel 'tso': use 'sc'.*or 'lkmm'/);
  });

  it('finds the same outcomes with the partial-order reduction off', () => {
    for (const name of ['MP+poonceonces', 'MP+fencewmbonceonce+fencermbonceonce', 'LB+poonceonces', 'LB+poacquireonce+pooncerelease', 'R+fencembonceonces', 'WRC+poonceonces+Once', 'Z6.0+pooncelock+pooncelock+pombonce']) {
      const t = byName(name);
      const full = checkLitmus(t, { reduction: false });
      expect(full.verdict, name).toBe(t.result);
      expect(full.outcomes, name).toEqual(checkLitmus(t).outcomes);
    }
  });

  it('explores every outcome of SB, the weak one included, and no incoherent one', () => {
    const r = checkLitmus(byName('SB+poonceonces'));
    expect(r.outcomes).toEqual(['0:r0=0 1:r0=0', '0:r0=0 1:r0=1', '0:r0=1 1:r0=0', '0:r0=1 1:r0=1']);
    expect(checkLitmus(byName('CoWW+poonceonce')).outcomes).toEqual(['x=2']);
  });

  it('makes load buffering a choice: a load reads a store that a later step performs', () => {
    const r = checkLitmus(byName('LB+poonceonces'));
    expect(r.verdict).toBe('Sometimes');
    expect(r.witness).toMatch(/READ_ONCE\(x\) = 1 {2}<-rf P1/);
    expect(r.witness).toMatch(/READ_ONCE\(y\) = 1 {2}<-rf P0/);
  });

  it('replays a witness from its schedule and choices', () => {
    const test = byName('IRIW+poonceonces+OnceOnce');
    const r = checkLitmus(test);
    const program = litmusProgram(test);
    const exec = new Execution(program, { weak: weakModelOf('lkmm') }).run(new ReplayChooser(r.replay!.schedule, false, r.replay!.picks));
    expect(exec.pruned).toBe(false);
    expect(parseExists(test.exists)(program.registersOf(exec), (n) => exec.memory.words[test.locations.indexOf(n)]!)).toBe(true);
  });

  it('never starts a run down a choice LKMM forbids: the alternatives offered are consistent ones', () => {
    const r = checkLitmus(byName('SB+fencembonceonces'));
    expect(r.verdict).toBe('Never');
    expect(r.pruned).toBe(0);
  });

  it('keeps a fully ordered xchg ordered like smp_mb, and a failed one unordered', () => {
    const sb = (mid: (x: number) => ReturnType<typeof smp_mb>): LitmusTest => ({
      name: 'SB+xchg', result: 'Never', locations: ['x', 'y', 'z'], exists: '0:r0=0 /\\ 1:r0=0',
      threads: [
        function* (l, r) { yield WRITE_ONCE(l.x!, 1); yield mid(l.z!); r.r0 = yield READ_ONCE(l.y!); },
        function* (l, r) { yield WRITE_ONCE(l.y!, 1); yield mid(l.z!); r.r0 = yield READ_ONCE(l.x!); },
      ],
    });
    expect(checkLitmus(sb(() => smp_mb())).verdict).toBe('Never');
    expect(checkLitmus(sb((z) => xchg(z, 1))).verdict).toBe('Never');
  });

  it('orders the _release write and the _acquire read of atomics, and not the _relaxed ones', () => {
    const mp = (writer: (flag: number) => Op, reader: (flag: number) => Op): LitmusTest => ({
      name: 'MP+atomics', result: 'Never', locations: ['buf', 'flag'], exists: '1:r0=1 /\\ 1:r1=0',
      threads: [
        function* (l) { yield WRITE_ONCE(l.buf!, 1); yield writer(l.flag!); },
        function* (l, r) { r.r0 = yield reader(l.flag!); r.r1 = yield READ_ONCE(l.buf!); },
      ],
    });
    const verdict = (w: (f: number) => Op, rd: (f: number) => Op): string => checkLitmus(mp(w, rd)).verdict;
    expect(verdict((f) => xchg_release(f, 1), (f) => atomic_fetch_add_acquire(0, f))).toBe('Never');
    expect(verdict((f) => xchg(f, 1), (f) => atomic_fetch_add(0, f))).toBe('Never');
    expect(verdict((f) => xchg_relaxed(f, 1), (f) => atomic_fetch_add_acquire(0, f))).toBe('Sometimes');
    expect(verdict((f) => xchg_release(f, 1), (f) => atomic_fetch_add_relaxed(0, f))).toBe('Sometimes');
    expect(verdict((f) => xchg_acquire(f, 1), (f) => atomic_fetch_add_acquire(0, f))).toBe('Sometimes');
    expect(verdict((f) => cmpxchg_release(f, 0, 1), (f) => cmpxchg_acquire(f, 1, 2))).toBe('Never');
    expect(verdict((f) => smp_store_release(f, 1), (f) => smp_load_acquire(f))).toBe('Never');
  });

  it('lets random exploration choose stores too', () => {
    const test = byName('SB+poonceonces');
    const program = litmusProgram(test);
    const exists = parseExists(test.exists);
    let seen = false;
    exploreProgram(program, {
      strategy: 'random', memoryModel: 'lkmm', maxSchedules: 200, seed: 7, stopOnFirst: false,
      onRun(exec) {
        if (exists(program.registersOf(exec), () => 0)) seen = true;
      },
    });
    expect(seen).toBe(true);
  });

  it('records its graph: events, reads-from and each location\'s store history', () => {
    const test = byName('MP+poonceonces');
    const exec = new Execution(litmusProgram(test), { weak: weakModelOf('lkmm') }).run({ choose: (_e, en) => en[0]! });
    const g = (exec.weak as WeakMemory).graph;
    expect(g.co.get(0)!.map((id) => g.events[id]!.value)).toEqual([0, 1]);
    expect(g.events.filter((e) => e.kind === 0).every((e) => e.rf >= 0)).toBe(true);
  });
});

describe('replay tokens under lkmm', () => {
  it('carry the memory-model choices as a fifth part', () => {
    const picks = [{ tid: 1, index: 0, alt: { tid: -1, index: 3, value: 0 } }, { tid: 0, index: 2, alt: { tid: 1, index: 1, value: -5 } }];
    const token = encodeToken('abc', 2, [0, 0, 1, 1], picks);
    expect(token).toBe('pc1.abc.2.a2b2.b0=@3:0,a2=b1:-5');
    expect(decodeToken(token).picks).toEqual(picks);
    expect(decodeToken('pc1.abc.2.a2b2.').picks).toEqual([]);
    expect(decodeToken('pc1.abc.2.a2b2').picks).toBeUndefined();
    expect(() => decodeToken('pc1.abc.2.a2b2.b0=x')).toThrow(/memory-model choice 'b0=x'/);
  });
});

describe('a race spec under memoryModel lkmm', () => {
  const spec: RaceSpec<{ buf: number; flag: number }> = {
    name: 'message passing without barriers',
    setup: (k) => ({ buf: k.m.allocGlobal('buf'), flag: k.m.allocGlobal('flag') }),
    threads: {
      *producer(_k, s) {
        yield WRITE_ONCE(s.buf, 1);
        yield WRITE_ONCE(s.flag, 1);
      },
      *consumer(_k, s) {
        const flag = yield READ_ONCE(s.flag);
        const buf = yield READ_ONCE(s.buf);
        if (flag === 1 && buf === 0) throw new Error('saw the flag but not the data');
      },
    },
  };

  it('finds nothing under sequential consistency', () => {
    expect(explore(spec).kinds).toEqual([]);
  });

  it('finds the reordering under lkmm, with a token that replays it', () => {
    const e = explore(spec, { memoryModel: 'lkmm' });
    expect(e.kinds).toEqual(['thread-error']);
    const token = e.failure!.replay;
    expect(token.split('.')).toHaveLength(5);
    expect(runOnce(spec, { replay: token }).kinds).toEqual(['thread-error']);
  });

  it('takes the model from the spec', () => {
    expect(explore({ ...spec, memoryModel: 'lkmm' }).kinds).toEqual(['thread-error']);
    expect(explore({ ...spec, memoryModel: 'lkmm' }, { memoryModel: 'sc' }).kinds).toEqual([]);
  });
});

describe('the partial-order reduction under lkmm, on generated programs', () => {
  // Seeded, so that a CI run does not pass or fail by the programs it draws, and each search given
  // a budget: a program whose values go around a load-buffering cycle through a computation the
  // model cannot see (a store of a value computed in plain JavaScript) offers a new value in every
  // run and does not end by itself (docs/memory-model.md). One did, drawn in a CI run, until a
  // paired store (`inc`: load, then store of the value plus one) counted as computed from its
  // load: T0 `r = y; y += 1 (atomic)`, T1 `y += 2 (atomic)`, T2 `inc y`. Programs either search
  // does not finish are set aside and counted (at most a tenth).
  it.each([1, 2])('reaches the outcomes plain DFS reaches (seed %i)', (seed) => {
    const budget = { memoryModel: 'lkmm', maxSchedules: 20_000, timeBudgetMs: 5_000 } as const;
    let unfinished = 0;
    fc.assert(
      fc.property(arbProgram, (threads) => {
        const p = fromInstrs(threads);
        const reduced = outcomes(p, budget);
        const plain = reduced.result.complete ? outcomes(p, { ...budget, reduction: false }) : reduced;
        if (!plain.result.complete) unfinished++;
        fc.pre(plain.result.complete);
        expect(sorted(reduced.outcomes)).toEqual(sorted(plain.outcomes));
      }),
      { numRuns: 150, seed },
    );
    expect(unfinished).toBeLessThanOrEqual(15);
  });

  it('ends on the program whose values went around a cycle through a paired store', () => {
    const threads: Instr[][] = [
      [
        { k: 'load', loc: 1 },
        { k: 'add', loc: 1, c: 1 },
      ],
      [{ k: 'add', loc: 1, c: 2 }],
      [{ k: 'inc', loc: 1 }],
    ];
    const r = outcomes(fromInstrs(threads), { memoryModel: 'lkmm', maxSchedules: 20_000, timeBudgetMs: 10_000 });
    expect(r.result.complete).toBe(true);
    expect(r.outcomes.size).toBe(7);
  });
});
