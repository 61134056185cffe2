/**
 * C integer expressions over registers and constants (`r0 != 0`, `r1 + r2`,
 * `!r0`), as litmus tests compute registers from registers. A register
 * computed so is a local value: it makes no memory event, and so no
 * dependency, unless it then flows into an access (convert.ts tracks that).
 */
export type Expr =
  | { readonly k: 'num'; readonly v: number }
  | { readonly k: 'reg'; readonly name: string }
  | { readonly k: 'un'; readonly op: string; readonly a: Expr }
  | { readonly k: 'bin'; readonly op: string; readonly a: Expr; readonly b: Expr }
  | { readonly k: 'cond'; readonly c: Expr; readonly a: Expr; readonly b: Expr };

const BINARY: Readonly<Record<string, number>> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '>': 7, '<=': 7, '>=': 7, '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};
const TOKEN = /\s*(0x[0-9a-fA-F]+|\d+|[A-Za-z_][A-Za-z0-9_]*|\|\||&&|==|!=|<=|>=|<<|>>|[-+*/%<>&|^!~()?:])/y;

/** Parses an expression; throws a SyntaxError naming the text when it is not one. */
export function parseExpr(text: string): Expr {
  const toks: string[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (TOKEN.lastIndex < text.length && (m = TOKEN.exec(text)) !== null) toks.push(m[1]!);
  if (text.slice(TOKEN.lastIndex).trim() !== '') throw new SyntaxError(`expression '${text}': cannot read '${text.slice(TOKEN.lastIndex).trim()}'`);
  let i = 0;
  const fail = (): never => {
    throw new SyntaxError(`expression '${text}': unexpected ${toks[i] === undefined ? 'end' : `'${toks[i]}'`}`);
  };
  const primary = (): Expr => {
    const t = toks[i++];
    if (t === undefined) return fail();
    if (t === '(') {
      const e = ternary();
      if (toks[i++] !== ')') fail();
      return e;
    }
    if (t === '-' || t === '!' || t === '~' || t === '+') return { k: 'un', op: t, a: primary() };
    if (/^(0x[0-9a-fA-F]+|\d+)$/.test(t)) return { k: 'num', v: Number(t) };
    if (/^[A-Za-z_]/.test(t)) {
      if (toks[i] === '(') throw new SyntaxError(`expression '${text}': calls ${t}`);
      return { k: 'reg', name: t };
    }
    i--;
    return fail();
  };
  const binary = (min: number): Expr => {
    let a = primary();
    for (;;) {
      const op = toks[i];
      const p = op === undefined ? undefined : BINARY[op];
      if (p === undefined || p < min) return a;
      i++;
      a = { k: 'bin', op: op!, a, b: binary(p + 1) };
    }
  };
  const ternary = (): Expr => {
    const c = binary(1);
    if (toks[i] !== '?') return c;
    i++;
    const a = ternary();
    if (toks[i++] !== ':') fail();
    return { k: 'cond', c, a, b: ternary() };
  };
  const e = ternary();
  if (i !== toks.length) fail();
  return e;
}

/** The registers an expression reads. */
export function registersOf(e: Expr, out = new Set<string>()): Set<string> {
  if (e.k === 'reg') out.add(e.name);
  else if (e.k === 'un') registersOf(e.a, out);
  else if (e.k === 'bin') (registersOf(e.a, out), registersOf(e.b, out));
  else if (e.k === 'cond') (registersOf(e.c, out), registersOf(e.a, out), registersOf(e.b, out));
  return out;
}

const b = (x: boolean): number => (x ? 1 : 0);

/** Evaluates with C's int semantics (comparisons give 0 or 1, division truncates); unset registers are 0. */
export function evalExpr(e: Expr, r: Readonly<Record<string, number>>): number {
  switch (e.k) {
    case 'num':
      return e.v;
    case 'reg':
      return r[e.name] ?? 0;
    case 'un': {
      const a = evalExpr(e.a, r);
      return e.op === '-' ? -a : e.op === '!' ? b(a === 0) : e.op === '~' ? ~a : a;
    }
    case 'cond':
      return evalExpr(e.c, r) !== 0 ? evalExpr(e.a, r) : evalExpr(e.b, r);
    case 'bin': {
      const x = evalExpr(e.a, r);
      if (e.op === '&&') return b(x !== 0 && evalExpr(e.b, r) !== 0);
      if (e.op === '||') return b(x !== 0 || evalExpr(e.b, r) !== 0);
      const y = evalExpr(e.b, r);
      switch (e.op) {
        case '|': return x | y;
        case '^': return x ^ y;
        case '&': return x & y;
        case '==': return b(x === y);
        case '!=': return b(x !== y);
        case '<': return b(x < y);
        case '>': return b(x > y);
        case '<=': return b(x <= y);
        case '>=': return b(x >= y);
        case '<<': return x << y;
        case '>>': return x >> y;
        case '+': return x + y;
        case '-': return x - y;
        case '*': return Math.imul(x, y);
        case '/':
          if (y === 0) throw new RangeError('division by zero in a litmus register expression');
          return Math.trunc(x / y);
        case '%':
          if (y === 0) throw new RangeError('division by zero in a litmus register expression');
          return x % y;
      }
      throw new Error(`unknown operator ${e.op}`);
    }
  }
}
