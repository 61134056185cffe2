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
 * or an `if` on such an expression.
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
  readonly locations: readonly string[];
  readonly init: Readonly<Record<string, number>>;
  /** Registers set in the init block (`0:r1=1`), per thread. */
  readonly registers?: readonly Readonly<Record<string, number>>[];
  readonly threads: readonly (readonly Instr[])[];
  readonly quantifier: 'exists' | '~exists' | 'forall';
  /** The clause's proposition, in parseExists syntax. */
  readonly condition: string;
  readonly filter?: string;
}

export type Conversion = { readonly ok: true; readonly test: ConvertedLitmus } | { readonly ok: false; readonly missing: readonly string[] };

// Feature names for what is not a primitive call (listed in the skip table beside primitive names).
export const FEATURE = {
  ctrl: 'a write after an if on a value read (control dependency)',
  loop: 'loop (while/for/do/switch)',
  data: 'a value read from memory written or passed on (data dependency)',
  addr: 'access through a register (address dependency)',
  plain: 'plain access',
  pointerInit: 'pointer-valued location (init)',
  pointerCond: 'pointer value in the condition',
  pointerReg: 'pointer-valued register',
  pointerValue: 'a pointer stored as a value',
} as const;

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
  const init: Record<string, number> = {};
  const registers: Record<string, number>[] = p.threads.map(() => ({}));
  for (const { lhs, rhs } of p.init) {
    const name = (stripType(lhs) ?? lhs).replace(/\s+/g, '');
    const reg = /^(?:P)?(\d+):([A-Za-z_][A-Za-z0-9_]*)$/.exec(name);
    if (rhs !== undefined && !INT.test(rhs)) {
      missing.add(FEATURE.pointerInit);
      continue;
    }
    if (reg !== null) {
      const t = registers[Number(reg[1])];
      if (t === undefined) throw new Error(`init sets ${name}, but the test has no thread P${reg[1]}`);
      t[reg[2]!] = rhs === undefined ? 0 : toInt(rhs);
    } else if (IDENT.test(name)) {
      addLoc(name);
      init[name] = rhs === undefined ? 0 : toInt(rhs);
    } else missing.add(FEATURE.pointerInit);
  }
  const threads = p.threads.map((t) => {
    t.params.forEach(addLoc);
    return convertThread(t.params, t.statements, missing);
  });
  for (const clause of [p.condition, p.filter ?? '']) {
    for (const atom of clause.replace(/\s+/g, '').split(/\/\\|\\\/|[()~]/).filter((a) => a !== '' && a !== 'true' && a !== 'false')) {
      const m = /^(?:(\d+):)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(atom);
      if (m === null) missing.add(`condition '${atom}'`);
      else if (!INT.test(m[3]!)) missing.add(FEATURE.pointerCond);
      else if (m[1] === undefined) addLoc(m[2]!);
    }
  }
  if (/\b(true|false)\b/.test(p.condition)) missing.add('true/false in the condition');
  if (p.quantifier === undefined) missing.add('no exists, ~exists or forall clause');
  if (missing.size > 0) return { ok: false, missing: [...missing].sort() };
  const norm = (c: string): string => c.replace(/\s+/g, '').replace(/=(-?(?:0x[0-9a-fA-F]+|\d+))[uUlL]*/g, (_m, v: string) => `=${toInt(v)}`);
  const test: ConvertedLitmus = {
    name: p.name, source, result: p.result!.verdict, locations, init, threads,
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

function convertThread(params: readonly string[], statements: readonly string[], missing: Set<string>): Instr[] {
  let out: Instr[] = [];
  /** An if on a value read came before in program order: a write from here on would be control dependent. */
  let underCtrl = false;
  const regs = new Set<string>();
  /** Registers whose value came from a read: using one in an access would need a dependency. */
  const fromRead = new Set<string>();
  const isLoc = (n: string): boolean => params.includes(n);
  /** What an expression the parser cannot take needs: a plain access through a parameter, or an address dependency through a register. */
  const unreadable = (text: string, what: string): string =>
    params.some((p) => new RegExp(`\\*\\s*${p}\\b`).test(text)) ? FEATURE.plain : [...regs].some((r) => new RegExp(`\\*\\s*${r}\\b`).test(text)) ? FEATURE.addr : `${what} '${text}'`;
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
      const a = args[i]!.replace(/\s+/g, '');
      if (kind === 'int') {
        if (INT.test(a)) out.push(toInt(a));
        else {
          let dep = false;
          try {
            dep = [...registersOf(parseExpr(a))].some((x) => fromRead.has(x));
          } catch {
            // Not an expression over registers: named below.
          }
          missing.add(
            dep || /[A-Za-z_]\s*\(/.test(a) ? FEATURE.data : isLoc(a) || /^&/.test(a) ? FEATURE.pointerValue : unreadable(a, `argument of ${fn}`),
          );
          ok = false;
        }
        return;
      }
      const name = prim.deref ? (a.startsWith('*') ? a.slice(1) : undefined) : a;
      if (name !== undefined && isLoc(name)) out.push(name);
      else {
        missing.add(name !== undefined && regs.has(name) ? FEATURE.addr : `location argument '${a}' of ${fn}`);
        ok = false;
      }
    });
    if (reg !== undefined && prim.returns === 'none') throw new Error(`'${text}' has no value, but is assigned to ${reg}`);
    if (underCtrl && prim.access !== 'load' && prim.access !== 'fence') {
      missing.add(FEATURE.ctrl);
      ok = false;
    }
    if (!ok) return undefined;
    return reg === undefined ? { fn, args: out } : { fn, args: out, reg };
  };
  /** `reg = rhs`: a call, a constant, or something the model cannot express. */
  const assign = (reg: string, rhs: string): void => {
    regs.add(reg);
    if (INT.test(rhs)) {
      out.push({ set: reg, value: toInt(rhs) });
      fromRead.delete(reg);
    } else if (/^[A-Za-z_][A-Za-z0-9_]*\s*\(/.test(rhs) && rhs.endsWith(')') && !/^[A-Za-z_][A-Za-z0-9_]*\s*\(.*\)\s*[-+*/%<>=!&|^?]/.test(rhs)) {
      const i = call(rhs, reg);
      if (i !== undefined) out.push(i);
      fromRead.add(reg);
    } else if (/^\*?\s*[A-Za-z_][A-Za-z0-9_]*$/.test(rhs) && isLoc(rhs.replace(/[*\s]/g, ''))) {
      missing.add(FEATURE.plain);
      fromRead.add(reg);
    } else {
      let used: Set<string>;
      try {
        used = registersOf(parseExpr(rhs));
      } catch {
        missing.add(unreadable(rhs, 'expression'));
        fromRead.add(reg);
        return;
      }
      const locs = [...used].filter(isLoc);
      if (locs.length > 0) {
        missing.add(FEATURE.plain);
        fromRead.add(reg);
        return;
      }
      out.push({ let: reg, expr: rhs });
      if ([...used].some((x) => fromRead.has(x))) fromRead.add(reg);
      else fromRead.delete(reg);
    }
  };
  const conditional = (s: string): void => {
    const parts = splitIf(s);
    let used: Set<string>;
    try {
      used = registersOf(parseExpr(parts.cond));
    } catch {
      missing.add(unreadable(parts.cond, 'if condition'));
      return;
    }
    if ([...used].some(isLoc)) {
      missing.add(FEATURE.plain);
      return;
    }
    if ([...used].some((x) => fromRead.has(x))) underCtrl = true;
    const then = block(parts.then);
    const other = parts.else === undefined ? undefined : block(parts.else);
    out.push(other === undefined ? { if: parts.cond, then } : { if: parts.cond, then, else: other });
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
    if (/^(while|for|do|else|switch)\b/.test(s) || s.startsWith('{')) {
      missing.add(FEATURE.loop);
      return;
    }
    const decl = stripType(s);
    if (decl !== undefined) {
      for (const d of splitArgs(decl)) {
        const eq = d.indexOf('=');
        const lhs = (eq < 0 ? d : d.slice(0, eq)).trim();
        if (lhs.startsWith('*')) {
          missing.add(FEATURE.pointerReg);
          continue;
        }
        if (!IDENT.test(lhs)) throw new Error(`cannot read the declaration '${s}'`);
        regs.add(lhs);
        if (eq >= 0) assign(lhs, d.slice(eq + 1).trim());
      }
      return;
    }
    const asg = /^(\*?\s*[A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)\s*(.*)$/.exec(s);
    if (asg !== null) {
      const lhs = asg[1]!.replace(/\s+/g, '');
      if (lhs.startsWith('*') || isLoc(lhs)) missing.add(FEATURE.plain);
      else assign(lhs, asg[2]!.trim());
      return;
    }
    const i = call(s, undefined);
    if (i !== undefined) out.push(i);
    else if (!/^[A-Za-z_][A-Za-z0-9_]*\s*\(.*\)$/.test(s)) missing.add(`statement '${s}'`);
  };
  return block(statements);
}
