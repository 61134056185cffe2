/**
 * Runs a converted test (convert.ts) under the model: builds the engine's
 * LitmusTest from it and computes herd7's three-valued verdict on the
 * clause's proposition (Never: no execution satisfies it; Always: every one
 * does; Sometimes otherwise), over the executions the filter keeps. The engine
 * is passed in, so the vitest test runs it from source and the generator
 * script from the built package.
 */
import type { checkLitmus as CheckLitmus, LitmusTest, LitmusThread, parseExists as ParseExists } from '../../packages/core/src/engine/litmus/litmus.js';
import type * as LitmusOps from '../../packages/core/src/engine/litmus/ops.js';
import type { Op } from '../../packages/core/src/engine/op.js';
import type { ConvertedLitmus, Instr } from './convert.ts';
import type { RecordedVerdict } from './parse.ts';
import { evalExpr, parseExpr, type Expr } from './expr.ts';
import { PRIMITIVES, resultOf, type Primitive } from './primitives.ts';

export interface LitmusEngine {
  readonly checkLitmus: typeof CheckLitmus;
  readonly parseExists: typeof ParseExists;
  readonly litmus: typeof LitmusOps;
}

export interface ModelVerdict {
  readonly verdict: RecordedVerdict;
  readonly complete: boolean;
  readonly schedules: number;
}

type OpFactory = (...args: number[]) => Op;
type Step =
  | { readonly set: string; readonly value: number }
  | { readonly let: string; readonly expr: Expr }
  | { readonly if: Expr; readonly then: readonly Step[]; readonly else: readonly Step[] }
  | { readonly call: OpFactory; readonly prim: Primitive; readonly args: readonly (string | number)[]; readonly ints: readonly number[]; readonly reg?: string };

/** The engine's LitmusTest for a converted test (its `exists` is the clause's proposition). */
export function toLitmusTest(t: ConvertedLitmus, engine: LitmusEngine): LitmusTest {
  const ops = engine.litmus as unknown as Record<string, OpFactory | undefined>;
  const compile = (instrs: readonly Instr[], tid: number): Step[] =>
    instrs.map((i): Step => {
      if ('set' in i) return i;
      if ('let' in i) return { let: i.let, expr: parseExpr(i.expr) };
      if ('if' in i) return { if: parseExpr(i.if), then: compile(i.then, tid), else: compile(i.else ?? [], tid) };
      const factory = ops[i.fn];
      const prim = PRIMITIVES[i.fn];
      if (factory === undefined || prim === undefined) throw new Error(`${t.name}: P${tid} calls ${i.fn}, which the model's litmus ops (engine/litmus/ops.ts) do not define`);
      const ints = i.args.filter((a): a is number => typeof a === 'number');
      return { call: factory, prim, args: i.args, ints, ...(i.reg === undefined ? {} : { reg: i.reg }) };
    });
  function* exec(steps: readonly Step[], loc: Readonly<Record<string, number>>, r: Record<string, number>): Generator<Op, void, number> {
    for (const s of steps) {
      if ('set' in s) r[s.set] = s.value;
      else if ('let' in s) r[s.let] = evalExpr(s.expr, r);
      else if ('if' in s) yield* exec(evalExpr(s.if, r) !== 0 ? s.then : s.else, loc, r);
      else {
        const v: number = yield s.call(...s.args.map((a) => (typeof a === 'number' ? a : loc[a]!)));
        if (s.reg !== undefined) r[s.reg] = resultOf(s.prim, v, s.ints);
      }
    }
  }
  const threads = t.threads.map((instrs, tid): LitmusThread => {
    const steps = compile(instrs, tid);
    return function* (loc, r) {
      Object.assign(r, t.registers?.[tid] ?? {});
      yield* exec(steps, loc, r);
    };
  });
  return {
    name: t.name, source: t.source, result: t.result === 'Never' ? 'Never' : 'Sometimes',
    locations: t.locations, init: t.init, threads, exists: t.condition, ...(t.filter === undefined ? {} : { filter: t.filter }),
  };
}

/** Explores every execution of a converted test under lkmm and gives herd7's verdict on its proposition. */
export function runConverted(t: ConvertedLitmus, engine: LitmusEngine): ModelVerdict {
  const r = engine.checkLitmus(toLitmusTest(t, engine), { memoryModel: 'lkmm' });
  if (r.verdict === 'Never') return { verdict: 'Never', complete: r.complete, schedules: r.schedules };
  // Sometimes or Always: does every outcome (the final values the clause names) satisfy it?
  const cond = engine.parseExists(t.condition);
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
  return { verdict: all ? 'Always' : 'Sometimes', complete: r.complete, schedules: r.schedules };
}
