/**
 * From a parsed C litmus test to the model's litmus form: a JSON-able test
 * whose threads are lists of primitive calls (run.ts turns it into a
 * LitmusTest of packages/core/src/engine/litmus). A test that needs what the
 * model cannot express is skipped, naming each missing primitive or feature.
 */
import { matching, splitStatements, type ParsedLitmus, type RecordedVerdict } from './parse.ts';
import { parseExpr, registersOf } from './expr.ts';
import { PRIMITIVES } from './primitives.ts';

/**
 * One step of a converted thread: a primitive call (its result into `reg`), a
 * register set to a constant, a register computed from registers (expr.ts),
 * or an `if` on such an expression. An argument is a number or the text of an
 * expression over registers and locations (a location's name is its address);
 * plain C accesses are the calls plain_load/plain_store.
 */
export type Instr =
  | { readonly fn: string; readonly args: readonly (string | number)[]; readonly reg?: string }
  | { readonly set: string; readonly value: number }
  | { readonly let: string; readonly expr: string }
  | { readonly if: string; readonly then: readonly Instr[]; readonly else?: readonly Instr[] };

/** A converted test, as committed under test-data/litmus/. */
export interface ConvertedLitmus {
  readonly name: string;
  /** The file's path in the collection. */
  readonly source: string;
  /** herd7's verdict, from the test's `Result:` line. */
  readonly result: RecordedVerdict;
  /** herd7 flags a data race (`DATARACE` after the verdict on the Result line). */
  readonly dataRace?: boolean;
  readonly locations: readonly string[];
  /** Initial values: a number, or a location's name for a pointer to it. */
  readonly init: Readonly<Record<string, number | string>>;
  /** Registers set in the init block (`0:r1=1`, `0:r1=x`), per thread. */
  readonly registers?: readonly Readonly<Record<string, number | string>>[];
  readonly threads: readonly (readonly Instr[])[];
  readonly quantifier: 'exists' | '~exists' | 'forall';
  /** The clause's proposition, in parseExists syntax. */
  readonly condition: string;
  readonly filter?: string;
  /** Schedules the exhaustive exploration took when the data was generated (the CI subset leaves out the costly ones). */
  readonly schedules?: number;
}

export type Conversion = { readonly ok: true; readonly test: ConvertedLitmus } | { readonly ok: false; readonly missing: readonly string[] };

// Feature names for what is not a primitive call (listed in the skip table beside primitive names).
export const FEATURE = {
  loop: 'loop or goto (while/for/do/switch)',
  nested: 'a call nested in an expression or argument',
  plainNested: 'a plain read nested in an expression',
  struct: 'struct field or array access',
  paramWrite: 'assignment to a pointer parameter',
  pointerInit: 'init value neither a number nor a location',
  pointerCond: 'condition value neither a number nor a location',
} as const;

/** The location at index 0 of a test with pointers, so that no location's address is 0 (NULL). */
export const NULL_LOCATION = '__null';

/** Whether some instruction computes with a location's address or accesses memory through a register. */
function threadsUsePointers(threads: readonly (readonly Instr[])[], locations: readonly string[]): boolean {
  const uses = (i: Instr): boolean => {
    if ('set' in i) return false;
    if ('let' in i) return [...registersOf(parseExpr(i.expr))].some((n) => locations.includes(n));
    if ('if' in i) return [...registersOf(parseExpr(i.if))].some((n) => locations.includes(n)) || i.then.some(uses) || (i.else ?? []).some(uses);
    // A location passed as a value, or an access through a register (its value may be a pointer).
    const kinds = PRIMITIVES[i.fn]?.args ?? [];
    return i.args.some((a, k) => typeof a === 'string' && (kinds[k] === 'int' ? [...registersOf(parseExpr(a))].some((n) => locations.includes(n)) : !locations.includes(a)));
  };
  return threads.some((t) => t.some(uses));
}

const INT = /^-?(?:0x[0-9a-fA-F]+|\d+)[uUlL]*$/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TYPE_WORDS = new Set([
  'const', 'volatile', 'unsigned', 'signed', 'long', 'short', 'int', 'char', 'bool', '_Bool', 'intptr_t', 'uintptr_t', 'atomic_t', 'atomic_long_t',
  'spinlock_t', 'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', 'size_t', 'struct', 'srcu_struct', 'void',
]);

const toInt = (s: string): number => Number(s.replace(/[uUlL]+$/, ''));

/** Splits at top-level commas. */
function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (s.slice(start).trim() !== '') out.push(s.slice(start).trim());
  return out;
}

/** Strips leading type words from a declaration; undefined when `s` does not start with one. */
function stripType(s: string): string | undefined {
  const words = s.split(' ');
  let i = 0;
  while (i < words.length - 1 && TYPE_WORDS.has(words[i]!)) i++;
  // `struct foo x`: the tag after struct is a type word too.
  if (i > 0 && words[i - 1] === 'struct' && i < words.length - 1) i++;
  return i === 0 ? undefined : words.slice(i).join(' ');
}

/** Converts one parsed test; `source` is its path in the collection. */
export function convertLitmus(p: ParsedLitmus, source: string): Conversion {
  const missing = new Set<string>();
  if (p.result === undefined) missing.add(p.resultOther === undefined ? 'no Result line' : `no herd verdict recorded (Result: ${p.resultOther})`);
  const locations: string[] = [];
  const addLoc = (n: string): void => {
    if (!locations.includes(n)) locations.push(n);
  };
  const init: Record<string, number | string> = {};
  const registers: Record<string, number | string>[] = p.threads.map(() => ({}));
  // An init value is a number or a location's name (its address: `y=x`, `int *y = &x`).
  const pointers: { name: string; to: string }[] = [];
  const initValue = (rhs: string | undefined): number | string | undefined => {
    if (rhs === undefined) return 0;
    const v = stripCasts(rhs).replace(/\s+/g, '').replace(/^&/, '');
    if (INT.test(v)) return toInt(v);
    return IDENT.test(v) ? v : undefined;
  };
  for (const { lhs, rhs } of p.init) {
    const name = (stripType(lhs) ?? lhs).replace(/\s+/g, '').replace(/^\*+/, '');
    const reg = /^(?:P)?(\d+):([A-Za-z_][A-Za-z0-9_]*)$/.exec(name);
    const v = initValue(rhs);
    if (v === undefined) {
      missing.add(`${FEATURE.pointerInit}: '${rhs}'`);
      continue;
    }
    if (typeof v === 'string') pointers.push({ name, to: v });
    if (reg !== null) {
      const t = registers[Number(reg[1])];
      if (t === undefined) throw new Error(`init sets ${name}, but the test has no thread P${reg[1]}`);
      t[reg[2]!] = v;
    } else if (IDENT.test(name)) {
      addLoc(name);
      init[name] = v;
    } else missing.add(`${FEATURE.pointerInit}: '${lhs}'`);
  }
  const threads = p.threads.map((t) => {
    t.params.forEach(addLoc);
    return convertThread(t.params, t.statements, missing);
  });
  // A location that only appears as a pointer's target is a location too.
  for (const { to } of pointers) addLoc(to);
  const valueNames: string[] = [];
  for (const clause of [p.condition, p.filter ?? '']) {
    for (const atom of clause.replace(/\s+/g, '').split(/\/\\|\\\/|[()~]/).filter((a) => a !== '' && a !== 'true' && a !== 'false')) {
      const m = /^(?:(\d+):)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(atom);
      if (m === null) missing.add(`condition '${atom}'`);
      else {
        if (!INT.test(m[3]!)) {
          if (IDENT.test(m[3]!)) valueNames.push(m[3]!);
          else missing.add(`${FEATURE.pointerCond}: '${atom}'`);
        }
        if (m[1] === undefined) addLoc(m[2]!);
      }
    }
  }
  for (const n of valueNames) if (!locations.includes(n)) missing.add(`${FEATURE.pointerCond}: '${n}' is no location`);
  if (/\b(true|false)\b/.test(p.condition)) missing.add('true/false in the condition');
  if (p.quantifier === undefined) missing.add('no exists, ~exists or forall clause');
  if (missing.size > 0) return { ok: false, missing: [...missing].sort() };
  // A pointer is its location's index: with pointers about, index 0 is kept for NULL ((void *)0 points nowhere).
  if (pointers.length > 0 || valueNames.length > 0 || threadsUsePointers(threads, locations)) locations.unshift(NULL_LOCATION);
  const norm = (c: string): string => c.replace(/\s+/g, '').replace(/=(-?(?:0x[0-9a-fA-F]+|\d+))[uUlL]*/g, (_m, v: string) => `=${toInt(v)}`);
  const test: ConvertedLitmus = {
    name: p.name, source, result: p.result!.verdict, ...(/\bDATARACE\b/.test(p.result!.rest) ? { dataRace: true } : {}), locations, init, threads,
    quantifier: p.quantifier!, condition: norm(p.condition),
    ...(registers.some((r) => Object.keys(r).length > 0) ? { registers } : {}),
    ...(p.filter === undefined ? {} : { filter: norm(p.filter) }),
  };
  return { ok: true, test };
}

/** Splits `if (c) A else B` (A, B braced or single statements) into its parts. */
function splitIf(s: string): { cond: string; then: string[]; else?: string[] } {
  const open = s.indexOf('(');
  const close = matching(s, open);
  const block = (text: string): { stmts: string[]; rest: string } => {
    const t = text.trim();
    if (t.startsWith('{')) {
      const end = matching(t, 0);
      return { stmts: splitStatements(t.slice(1, end)), rest: t.slice(end + 1).trim() };
    }
    // A single statement, up to a top-level else.
    let depth = 0;
    for (let i = 0; i < t.length; i++) {
      const c = t[i]!;
      if ('([{'.includes(c)) depth++;
      else if (')]}'.includes(c)) depth--;
      else if (depth === 0 && /^else\b/.test(t.slice(i)) && /\s$/.test(t.slice(0, i))) return { stmts: [t.slice(0, i).trim()], rest: t.slice(i) };
    }
    return { stmts: [t], rest: '' };
  };
  const then = block(s.slice(close + 1));
  if (then.rest === '') return { cond: s.slice(open + 1, close).trim(), then: then.stmts };
  if (!/^else\b/.test(then.rest)) throw new Error(`cannot read the if statement '${s}'`);
  const other = then.rest.slice(4).trim();
  return { cond: s.slice(open + 1, close).trim(), then: then.stmts, else: other.startsWith('{') ? block(other).stmts : [other] };
}

/** Removes C casts (`(int)`, `(char **)`, `(void *)`): values are words to the model. */
export function stripCasts(s: string): string {
  return s.replace(/\(\s*((?:[A-Za-z_][A-Za-z0-9_]*\s*)+)(\**)\s*\)(?=\s*[-A-Za-z0-9_(*&!~])/g, (m, words: string, stars: string) => {
    const ws = words.trim().split(/\s+/);
    return stars !== '' || ws.every((w) => TYPE_WORDS.has(w)) || ws[0] === 'struct' ? '' : m;
  });
}

function convertThread(params: readonly string[], statements: readonly string[], missing: Set<string>): Instr[] {
  let out: Instr[] = [];
  const regs = new Set<string>();
  const isLoc = (n: string): boolean => params.includes(n);
  /**
   * An expression over registers and locations (a location's name is its
   * address), as the runner evaluates it; undefined (with `missing` told why)
   * when it is none.
   */
  const expression = (text: string, what: string): string | undefined => {
    const t = stripCasts(text).replace(/&\s*([A-Za-z_][A-Za-z0-9_]*)\b/g, (m, n: string) => (isLoc(n) ? n : m)).trim();
    let used: Set<string>;
    try {
      used = registersOf(parseExpr(t));
    } catch {
      missing.add(
        /[A-Za-z_]\s*\(/.test(t) ? FEATURE.nested
          : /(^|[^A-Za-z0-9_)\s]|^\s*)\s*\*\s*[A-Za-z_(]/.test(t) ? FEATURE.plainNested
          : /->|\.|\[/.test(t) ? FEATURE.struct
          : `${what} '${text}'`,
      );
      return undefined;
    }
    const unknown = [...used].filter((n) => !isLoc(n) && !regs.has(n));
    if (unknown.length > 0) {
      missing.add(`${what} '${text}' (names ${unknown.join(', ')}, neither a parameter nor a register)`);
      return undefined;
    }
    return t.replace(/\s+/g, ' ');
  };
  /** An argument: a number when constant, else the expression's text. */
  const operand = (text: string, what: string): string | number | undefined => {
    const t = stripCasts(text).replace(/\s+/g, '');
    if (INT.test(t)) return toInt(t);
    return expression(text, what);
  };
  /** A call `fn(args)` into `reg`, or undefined (with `missing` told why) when it cannot be converted. */
  const call = (text: string, reg: string | undefined): Instr | undefined => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*\((.*)\)$/.exec(text);
    if (m === null) return undefined;
    const fn = m[1]!;
    const prim = PRIMITIVES[fn];
    if (prim === undefined) {
      missing.add(fn);
      return undefined;
    }
    const args = splitArgs(m[2]!);
    if (args.length !== prim.args.length) throw new Error(`${fn} takes ${prim.args.length} argument(s), found ${args.length} in '${text}'`);
    const out: (string | number)[] = [];
    let ok = true;
    prim.args.forEach((kind, i) => {
      let a = stripCasts(args[i]!).trim();
      if (kind === 'loc' && prim.deref === true) {
        if (!a.startsWith('*')) {
          missing.add(`location argument '${args[i]!}' of ${fn} (expected *x)`);
          ok = false;
          return;
        }
        a = a.slice(1);
      }
      const v = operand(a, kind === 'loc' ? `location argument of ${fn}` : `argument of ${fn}`);
      if (v === undefined) ok = false;
      else out.push(v);
    });
    if (reg !== undefined && prim.returns === 'none') throw new Error(`'${text}' has no value, but is assigned to ${reg}`);
    if (!ok) return undefined;
    return reg === undefined ? { fn, args: out } : { fn, args: out, reg };
  };
  /** `reg = rhs`: a call, a plain read, a constant or an expression over registers and locations. */
  const assign = (reg: string, text: string): void => {
    regs.add(reg);
    const rhs = stripCasts(text).trim();
    const deref = /^\*\s*(.+)$/.exec(rhs);
    if (INT.test(rhs)) out.push({ set: reg, value: toInt(rhs) });
    else if (/^[A-Za-z_][A-Za-z0-9_]*\s*\(/.test(rhs) && rhs.endsWith(')') && matching(rhs, rhs.indexOf('(')) === rhs.length - 1) {
      const i = call(rhs, reg);
      if (i !== undefined) out.push(i);
    } else if (deref !== null) {
      const at = operand(deref[1]!, 'plain read of');
      if (at !== undefined) out.push({ fn: 'plain_load', args: [at], reg });
    } else {
      const e = expression(rhs, 'expression');
      if (e !== undefined) out.push({ let: reg, expr: e });
    }
  };
  const conditional = (s: string): void => {
    const parts = splitIf(s);
    const cond = expression(parts.cond, 'if condition');
    if (cond === undefined) return;
    const then = block(parts.then);
    const other = parts.else === undefined ? undefined : block(parts.else);
    out.push(other === undefined ? { if: cond, then } : { if: cond, then, else: other });
  };
  /** Converts a list of statements into a fresh list of instructions. */
  const block = (stmts: readonly string[]): Instr[] => {
    const saved = out;
    out = [];
    const merged: string[] = [];
    for (const s of stmts) {
      // `if (c) A; else B;` was split at the `;`.
      if (/^else\b/.test(s) && merged.length > 0 && /^if\b/.test(merged[merged.length - 1]!)) merged[merged.length - 1] += ` ${s}`;
      else merged.push(s);
    }
    merged.forEach(statement);
    const r = out;
    out = saved;
    return r;
  };
  const statement = (s: string): void => {
    if (/^if\s*\(/.test(s)) {
      conditional(s);
      return;
    }
    if (/^(while|for|do|else|switch|goto)\b/.test(s) || /^[A-Za-z_][A-Za-z0-9_]*\s*:/.test(s)) {
      missing.add(FEATURE.loop);
      return;
    }
    if (s.startsWith('{')) {
      out.push(...block(splitStatements(s.slice(1, matching(s, 0)))));
      return;
    }
    const decl = stripType(s);
    if (decl !== undefined) {
      for (const d of splitArgs(decl)) {
        const eq = d.indexOf('=');
        // `int *r1 = ...`: a register holding a pointer.
        const lhs = (eq < 0 ? d : d.slice(0, eq)).trim().replace(/^\*+\s*/, '');
        if (!IDENT.test(lhs)) throw new Error(`cannot read the declaration '${s}'`);
        regs.add(lhs);
        if (eq >= 0) assign(lhs, d.slice(eq + 1).trim());
      }
      return;
    }
    const asg = /^(\*?\s*(?:\([^()]*\)\s*)?[A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)\s*(.*)$/.exec(s);
    if (asg !== null) {
      const lhs = stripCasts(asg[1]!).replace(/\s+/g, '');
      if (lhs.startsWith('*')) {
        // `*x = v`: a plain write.
        const at = operand(lhs.slice(1), 'plain write to');
        const v = operand(asg[2]!.trim(), 'value of a plain write');
        if (at !== undefined && v !== undefined) out.push({ fn: 'plain_store', args: [at, v] });
      } else if (isLoc(lhs)) missing.add(FEATURE.paramWrite);
      else assign(lhs, asg[2]!.trim());
      return;
    }
    const i = call(s, undefined);
    if (i !== undefined) out.push(i);
    else if (!/^[A-Za-z_][A-Za-z0-9_]*\s*\(.*\)$/.test(s)) missing.add(`statement '${s}'`);
  };
  return block(statements);
}
