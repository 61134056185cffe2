/**
 * Runs a converted test (convert.ts) under the model: builds the engine's
 * LitmusTest from it and computes herd7's three-valued verdict on the
 * clause's proposition (Never: no execution satisfies it; Always: every one
 * does; Sometimes otherwise), over the executions the filter keeps. The engine
 * is passed in, so the vitest test runs it from source and the generator
 * script from the built package.
 */
import type { checkLitmus as CheckLitmus, LitmusTest, LitmusThread, parseExists as ParseExists, withDeps as WithDeps } from '../../packages/core/src/engine/litmus/litmus.js';
import type { Val as ValClass, Value } from '../../packages/core/src/engine/litmus/values.js';
import type * as LitmusOps from '../../packages/core/src/engine/litmus/ops.js';
import type { Op } from '../../packages/core/src/engine/op.js';
import type { ConvertedLitmus, Instr } from './convert.ts';
import type { RecordedVerdict } from './parse.ts';
import { evalExpr, parseExpr, registersOf, type Expr } from './expr.ts';
import { PRIMITIVES, resultOf, type Primitive } from './primitives.ts';

export interface LitmusEngine {
  readonly checkLitmus: typeof CheckLitmus;
  readonly parseExists: typeof ParseExists;
  readonly litmus: typeof LitmusOps;
  readonly withDeps: typeof WithDeps;
  readonly Val: typeof ValClass;
}

export interface ModelVerdict {
  readonly verdict: RecordedVerdict;
  /** herd's data-race flag: some execution has a data race (linux-kernel.cat's flag). */
  readonly dataRace: boolean;
  readonly complete: boolean;
  readonly schedules: number;
}

type OpFactory = (...args: Value[]) => Op;
/** An argument: a constant or an expression over registers and locations. */
type Arg = number | Expr;
type Step =
  | { readonly set: string; readonly value: number }
  | { readonly let: string; readonly expr: Expr }
  | { readonly if: Expr; readonly then: readonly Step[]; readonly else: readonly Step[] }
  | { readonly call: OpFactory; readonly prim: Primitive; readonly args: readonly Arg[]; readonly reg?: string };

/** The engine's LitmusTest for a converted test (its `exists` is the clause's proposition). */
export function toLitmusTest(t: ConvertedLitmus, engine: LitmusEngine): LitmusTest {
  const ops = engine.litmus as unknown as Record<string, OpFactory | undefined>;
  const compile = (instrs: readonly Instr[], tid: number): Step[] =>
    instrs.map((i): Step => {
      if ('set' in i) return i;
      if ('let' in i) return { let: i.let, expr: parseExpr(i.expr) };
      if ('if' in i) return { if: parseExpr(i.if), then: compile(i.then, tid), else: compile(i.else ?? [], tid) };
      const prim = PRIMITIVES[i.fn];
      const factory = ops[prim?.op ?? i.fn];
      if (factory === undefined || prim === undefined) throw new Error(`${t.name}: P${tid} calls ${i.fn}, which the model's litmus ops (engine/litmus/ops.ts) do not define`);
      return { call: factory, prim, args: i.args.map((a) => (typeof a === 'number' ? a : parseExpr(a))), ...(i.reg === undefined ? {} : { reg: i.reg }) };
    });
  const { Val } = engine;
  /**
   * An expression's value with the reads of every register it names (herd's
   * registers carry their dependencies syntactically); a location's name is its address.
   */
  const value = (e: Arg, loc: Readonly<Record<string, number>>, r: Record<string, Value>): Value => {
    if (typeof e === 'number') return e;
    if (e.k === 'reg' && loc[e.name] === undefined) return r[e.name] ?? 0;
    const from = new Set<number>();
    const env: Record<string, number> = {};
    for (const n of registersOf(e)) {
      const v = loc[n] !== undefined ? loc[n] : (r[n] ?? 0);
      if (typeof v !== 'number') v.from.forEach((x) => from.add(x));
      env[n] = Number(v);
    }
    const n = evalExpr(e, env);
    return from.size === 0 ? n : new Val(n, [...from].sort((a, b) => a - b));
  };
  /** What a register assigned from the call receives, keeping the read's dependency. */
  const result = (p: Primitive, v: ValClass, args: readonly Value[]): Value => {
    const ints = p.args.flatMap((k, i) => (k === 'int' ? [args[i]!] : []));
    const n = resultOf(p, v.value, ints.map(Number));
    const from = [...new Set([...v.from, ...ints.flatMap((a) => (typeof a === 'number' ? [] : a.from))])].sort((a, b) => a - b);
    return p.returns === 'value' ? v : new Val(n, from);
  };
  /**
   * Runs steps; `ctrl` are the reads the enclosing `if`s branched on. As in
   * herd7's C front end, a control dependency reaches the accesses inside the
   * branches only, not those after the `if` statement (the engine's `when`
   * would give it to every later op of the thread).
   */
  function* exec(steps: readonly Step[], loc: Readonly<Record<string, number>>, r: Record<string, Value>, ctrl: readonly number[]): Generator<Op, void, ValClass> {
    for (const s of steps) {
      if ('set' in s) r[s.set] = s.value;
      else if ('let' in s) r[s.let] = value(s.expr, loc, r);
      else if ('if' in s) {
        const c = value(s.if, loc, r);
        const inner = typeof c === 'number' ? ctrl : [...new Set([...ctrl, ...c.from])].sort((a, b) => a - b);
        yield* exec(Number(c) !== 0 ? s.then : s.else, loc, r, inner);
      } else {
        const args = s.args.map((a) => value(a, loc, r));
        let o = s.call(...args);
        if (ctrl.length > 0) o = { ...o, deps: { ...o.deps, ctrl: [...ctrl] } };
        const v = yield o;
        if (s.reg !== undefined) r[s.reg] = result(s.prim, v, args);
      }
    }
  }
  const threads = t.threads.map((instrs, tid): LitmusThread => {
    const steps = compile(instrs, tid);
    return engine.withDeps(function* (loc, r) {
      for (const [k, v] of Object.entries(t.registers?.[tid] ?? {})) r[k] = typeof v === 'number' ? v : loc[v]!;
      yield* exec(steps, loc, r, []);
    });
  });
  return {
    name: t.name, source: t.source, result: t.result === 'Never' ? 'Never' : 'Sometimes',
    locations: t.locations, init: t.init, threads, exists: t.condition, ...(t.filter === undefined ? {} : { filter: t.filter }),
    ...(t.dataRace === true ? { dataRace: true } : {}),
  };
}

/** Explores every execution of a converted test under lkmm and gives herd7's verdict on its proposition. */
export function runConverted(t: ConvertedLitmus, engine: LitmusEngine, options: { readonly maxSchedules?: number } = {}): ModelVerdict {
  const r = engine.checkLitmus(toLitmusTest(t, engine), { memoryModel: 'lkmm', ...options });
  const dataRace = r.flags.includes('data-race');
  if (r.verdict === 'Never') return { verdict: 'Never', dataRace, complete: r.complete, schedules: r.schedules };
  // Sometimes or Always: does every outcome (the final values the clause names) satisfy it?
  const cond = engine.parseExists(t.condition, t.locations);
  const all = r.outcomes.every((o) => {
    const regs: Record<string, number>[] = [];
    const final: Record<string, number> = {};
    for (const kv of o.split(' ')) {
      const m = /^(?:(\d+):)?([^=]+)=(-?\d+)$/.exec(kv);
      if (m === null) throw new Error(`${t.name}: cannot read outcome '${o}'`);
      if (m[1] === undefined) final[m[2]!] = Number(m[3]);
      else (regs[Number(m[1])] ??= {})[m[2]!] = Number(m[3]);
    }
    return cond(regs, (n) => final[n] ?? 0);
  });
  return { verdict: all ? 'Always' : 'Sometimes', dataRace, complete: r.complete, schedules: r.schedules };
}

/** Whether the model's verdict and data-race flag are herd7's recorded ones. */
export const matches = (t: ConvertedLitmus, v: { readonly verdict?: RecordedVerdict; readonly dataRace?: boolean }): boolean =>
  v.verdict === t.result && (v.dataRace ?? false) === (t.dataRace ?? false);
