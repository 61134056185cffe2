/**
 * Values that remember the reads they come from, so that a thread written as
 * ordinary generator code gets LKMM's address, data and control dependencies
 * without naming them. A thread run through `withValues` gets a `Val` back
 * from every op that reads (a load, an RMW, srcu_read_lock()): the value and
 * the step index of that read. The op builders of ops.ts take a `Val`
 * wherever they take a location or a value and turn it into the op's `addr`
 * or `data` dependency; the helpers here (`add`, `eq`, ...) compute new values
 * that keep the dependencies of their operands; `when(v)` is an `if` on a
 * value, and every op after it in the thread depends on v's reads (`ctrl`).
 * @remarks Since 0.1.0
 */
import { FENCE, LOAD, LOCK, RMW, WAIT, type Op, type OpDeps } from '../op.js';

/** A value and the reads (step indexes in its thread) it was computed from. */
export class Val {
  constructor(readonly value: number, readonly from: readonly number[] = []) {}

  valueOf(): number {
    return this.value;
  }

  toString(): string {
    return String(this.value);
  }
}

/** A number, or a value with its dependencies. */
export type Value = number | Val;

/** The number a value stands for. */
export function num(v: Value): number {
  return typeof v === 'number' ? v : v.value;
}

/** The reads a value depends on. */
export function from(v: Value): readonly number[] {
  return typeof v === 'number' ? [] : v.from;
}

const merge = (...vs: Value[]): number[] => [...new Set(vs.flatMap(from))].sort((a, b) => a - b);

// Arithmetic that keeps dependencies (herd's registers: a value computed from a read depends on it).
export const add = (a: Value, b: Value): Val => new Val((num(a) + num(b)) | 0, merge(a, b));
export const sub = (a: Value, b: Value): Val => new Val((num(a) - num(b)) | 0, merge(a, b));
export const and = (a: Value, b: Value): Val => new Val(num(a) & num(b), merge(a, b));
export const or = (a: Value, b: Value): Val => new Val(num(a) | num(b), merge(a, b));
export const xor = (a: Value, b: Value): Val => new Val(num(a) ^ num(b), merge(a, b));
/** 1 when equal, else 0; depends on both. */
export const eq = (a: Value, b: Value): Val => new Val(num(a) === num(b) ? 1 : 0, merge(a, b));
export const ne = (a: Value, b: Value): Val => new Val(num(a) !== num(b) ? 1 : 0, merge(a, b));

/** The thread running now under `withValues` (a generator runs synchronously inside `next`). */
interface Context {
  ctrl: number[];
}
let current: Context | undefined;

/**
 * `if (when(v))`: true when v is not 0; the ops the thread performs after it
 * depend on v's reads by control (linux-kernel.cat's ctrl: from a read to
 * every event po-after the branch on its value). Outside a `withValues`
 * thread it is only the test.
 */
export function when(v: Value): boolean {
  if (current !== undefined) for (const r of from(v)) if (!current.ctrl.includes(r)) current.ctrl.push(r);
  return num(v) !== 0;
}

/** True for ops whose result is a value read from memory (or an SRCU cookie). */
function reads(o: Op): boolean {
  return o.kind === LOAD || o.kind === RMW || o.kind === WAIT || o.kind === LOCK || (o.kind === FENCE && o.fence === 'srcu-lock');
}

/**
 * Runs a thread written with values: each op it yields gets the thread's
 * control dependencies so far, and each read's result comes back as a `Val`
 * naming that read (by the step index of the op in the thread: every yield is
 * one step).
 */
export function* withValues(body: Generator<Op, void, Val>): Generator<Op, void, number> {
  const ctx: Context = { ctrl: [] };
  let index = 0;
  let sent: Val | undefined;
  for (;;) {
    const outer = current;
    current = ctx;
    let r: IteratorResult<Op, void>;
    try {
      r = sent === undefined ? body.next(undefined as unknown as Val) : body.next(sent);
    } finally {
      current = outer;
    }
    if (r.done === true) return;
    let o = r.value;
    if (ctx.ctrl.length > 0) o = { ...o, deps: { ...o.deps, ctrl: [...(o.deps?.ctrl ?? []), ...ctx.ctrl] } };
    const step = index++;
    const v = yield o;
    sent = new Val(v, reads(o) ? [step] : []);
  }
}

/** An op's `addr` and `data` dependencies from the values it was given (undefined when none). */
export function depsOf(addr: Value | undefined, ...data: Value[]): OpDeps | undefined {
  const a = addr === undefined ? [] : from(addr);
  const d = merge(...data);
  if (a.length === 0 && d.length === 0) return undefined;
  return { ...(a.length > 0 ? { addr: a } : {}), ...(d.length > 0 ? { data: d } : {}) };
}
