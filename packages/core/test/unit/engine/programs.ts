/**
 * Engine-level programs for the engine's tests: threads that yield ops on a
 * plain word memory, with no kernel model in between.
 */
import { Execution, type Chooser, type Program, type ThreadBody, type ThreadGen } from '../../../src/engine/execution.js';
import { exploreProgram, type EngineOptions, type EngineResult } from '../../../src/engine/explore-program.js';
import { Memory } from '../../../src/engine/memory.js';
import { FENCE, LOAD, LOCK, op, RMW, RMW_ADD, RMW_CMPXCHG, STORE, UNLOCK, WAIT, YIELD, type Op, type RmwKind } from '../../../src/engine/op.js';

/** A thread of a test program. */
export interface TestThread {
  readonly name: string;
  readonly start: () => ThreadGen;
  readonly daemon?: boolean;
}

/** A program over `size` words: `setup` may preset memory; every run starts from a fresh memory. */
export function program(name: string, size: number, threads: readonly TestThread[], setup?: (words: Int32Array) => void): Program {
  return {
    name,
    init(exec: Execution) {
      const memory = new Memory(size);
      exec.attach(memory);
      setup?.(memory.words);
      const bodies: ThreadBody[] = threads.map((t) => ({ name: t.name, start: t.start, daemon: t.daemon === true }));
      return { memory, threads: bodies };
    },
  };
}

export const load = (loc: number, fn = ''): Op => op(LOAD, { loc, fn });
export const store = (loc: number, value: number, paired = false): Op => op(STORE, { loc, a: value, paired });
export const rmw = (loc: number, kind: RmwKind, a: number, b = 0): Op => op(RMW, { loc, rmw: kind, a, b });
export const lock = (loc: number, mask = 1): Op => op(LOCK, { loc, a: mask, fn: 'spin_lock' });
export const unlock = (loc: number, mask = 1): Op => op(UNLOCK, { loc, a: mask, fn: 'spin_unlock' });
export const wait = (loc: number, mask: number, expected: number): Op => op(WAIT, { loc, a: mask, b: expected });
export const pause = (): Op => op(YIELD, {});
export const fence = (): Op => op(FENCE, { fence: 'mb' });

/** Picks the lowest enabled thread: each thread runs to completion (or until it blocks) in order. */
export const inOrder: Chooser = { choose: (_e, enabled) => enabled[0]! };

/** Runs a program once under a chooser, recording the trace. */
export function runWith(p: Program, chooser: Chooser = inOrder, maxSteps?: number): Execution {
  return new Execution(p, { record: true, maxSteps }).run(chooser);
}

/**
 * What a run ended in: the violation that stopped it (kind and thread), or
 * the final memory. A stopped run's memory depends on which independent steps
 * happened to run before the stop, so only its violation counts.
 */
export function outcome(e: Execution): string {
  const v = e.violations[0];
  if (v !== undefined) return `${v.kind} in ${v.thread}`;
  return `memory ${Array.from(e.memory.words).join(',')}`;
}

/** The outcomes, schedules and result of an exploration that does not stop at failures. */
export function outcomes(p: Program, options: Partial<EngineOptions> = {}): { outcomes: Set<string>; schedules: string[]; result: EngineResult } {
  const set = new Set<string>();
  const schedules: string[] = [];
  const result = exploreProgram(p, {
    strategy: 'exhaustive',
    stopOnFirst: false,
    ...options,
    onRun: (e, index) => {
      set.add(outcome(e));
      schedules.push(e.schedule.join(''));
      options.onRun?.(e, index);
    },
  });
  return { outcomes: set, schedules, result };
}

/** Sorted, for readable equality failures. */
export function sorted(s: Iterable<string>): string[] {
  return [...s].sort();
}

/**
 * A tiny instruction language for generated programs. Each thread has one
 * register `r`; a thread's last step stores `r` to its private word, so the
 * final memory shows what every thread read.
 */
export type Instr =
  | { readonly k: 'load'; readonly loc: number }
  | { readonly k: 'store'; readonly loc: number; readonly c: number }
  | { readonly k: 'add'; readonly loc: number; readonly c: number }
  | { readonly k: 'cas'; readonly loc: number; readonly expect: number; readonly c: number }
  | { readonly k: 'inc'; readonly loc: number }
  | { readonly k: 'locked'; readonly lock: number; readonly body: readonly Instr[] }
  | { readonly k: 'wait'; readonly loc: number; readonly value: number }
  | { readonly k: 'throwIf'; readonly value: number }
  | { readonly k: 'skipIf'; readonly value: number }
  | { readonly k: 'storeC'; readonly loc: number; readonly c: number };

/** Shared words 0..2, lock words 3..4, then one private word per thread. */
export const SHARED = 3;
export const LOCKS = 2;

/** Steps an instruction takes. */
export function stepsOf(i: Instr): number {
  switch (i.k) {
    case 'inc':
      return 2;
    case 'locked':
      return 2 + i.body.reduce((n, b) => n + stepsOf(b), 0);
    case 'throwIf':
    case 'skipIf':
      return 0;
    default:
      return 1;
  }
}

function* interpret(instrs: readonly Instr[], own: number): Generator<Op, void, number> {
  let r = 0;
  function* exec(list: readonly Instr[]): Generator<Op, void, number> {
    let skip = false;
    for (const i of list) {
      if (skip) {
        skip = false;
        continue;
      }
      switch (i.k) {
        case 'load':
          r = yield load(i.loc);
          break;
        case 'store':
          yield store(i.loc, r + i.c);
          break;
        case 'storeC':
          // A constant: the value stored does not depend on the values read.
          yield store(i.loc, i.c);
          break;
        case 'add':
          r = yield rmw(i.loc, RMW_ADD, i.c);
          break;
        case 'cas':
          r = yield rmw(i.loc, RMW_CMPXCHG, i.expect, i.c);
          break;
        case 'inc': {
          const v = yield load(i.loc);
          yield store(i.loc, v + 1, true);
          break;
        }
        case 'locked':
          yield lock(SHARED + i.lock);
          yield* exec(i.body);
          yield unlock(SHARED + i.lock);
          break;
        case 'wait':
          r = yield wait(i.loc, -1, i.value);
          break;
        case 'throwIf':
          if (r === i.value) throw new Error(`r is ${i.value}`);
          break;
        case 'skipIf':
          // Control flow on a value read: the next instruction runs only when r is not `value`.
          skip = r === i.value;
          break;
      }
    }
  }
  yield* exec(instrs);
  yield store(own, r);
}

/** A program from instruction lists, one per thread (threads T0, T1, ...). */
export function fromInstrs(threads: readonly (readonly Instr[])[]): Program {
  const size = SHARED + LOCKS + threads.length;
  return program('generated', size, threads.map((instrs, t) => ({ name: `T${t}`, start: () => interpret(instrs, SHARED + LOCKS + t) })));
}
