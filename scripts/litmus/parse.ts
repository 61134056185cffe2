/**
 * A parser for herd7's C litmus format (the `C name` header, the `{ init }`
 * block, `P0(int *x, ...) { ... }` bodies, then `locations [...]`,
 * `filter (...)` and one `exists`, `~exists` or `forall` clause), as the
 * tests of tools/memory-model/litmus-tests and paulmckrcu/litmus write it.
 * It keeps each thread's statements as C text; convert.ts decides what they mean.
 */

/** herd7's verdict as a `Result:` line records it (Always: every execution satisfies the clause). */
export type RecordedVerdict = 'Never' | 'Sometimes' | 'Always';

export interface ParsedThread {
  readonly id: number;
  /** Parameter names (`int *x` gives `x`), in order. */
  readonly params: readonly string[];
  /** The body's statements and compound statements, comments removed, split at top-level `;` and `}`. */
  readonly statements: readonly string[];
}

export interface ParsedLitmus {
  readonly name: string;
  /** The `Result:` line's first word, when it is a verdict, and what follows it on the line. */
  readonly result?: { readonly verdict: RecordedVerdict; readonly rest: string };
  /** The raw `Result:` text when it is no verdict (Maybe, DEADLOCK, ...). */
  readonly resultOther?: string;
  /** The init block's entries, as `lhs = rhs` text pairs (rhs undefined for `int x;`). */
  readonly init: readonly { readonly lhs: string; readonly rhs?: string }[];
  readonly threads: readonly ParsedThread[];
  /** Undefined when the test has no such clause (a test that only checks for deadlock). */
  readonly quantifier?: 'exists' | '~exists' | 'forall';
  readonly condition: string;
  readonly filter?: string;
  readonly locations?: string;
}

/** A C litmus test the parser cannot read: says what and where. */
export class LitmusSyntaxError extends Error {}

const RESULT = /Result:\s*([A-Za-z]+)([^\n]*)/;

/**
 * Removes C comments and herd's `(* ... *)` comments, keeping line structure.
 * `(*` opens a comment only where C cannot have it: `READ_ONCE(*v)` and `if (*r0)` are C.
 */
export function stripComments(src: string): string {
  let out = '';
  let i = 0;
  const blank = (to: number): void => {
    out += src.slice(i, to).replace(/[^\n]/g, ' ');
    i = to;
  };
  while (i < src.length) {
    if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      blank(end < 0 ? src.length : end + 2);
    } else if (src.startsWith('//', i)) {
      const end = src.indexOf('\n', i);
      blank(end < 0 ? src.length : end);
    } else if (src.startsWith('(*', i) && !/[A-Za-z0-9_(,=][ \t]*$/.test(out.slice(-40))) {
      const end = src.indexOf('*)', i + 2);
      blank(end < 0 ? src.length : end + 2);
    } else out += src[i++];
  }
  return out;
}

/** The index of the bracket that closes the one at `open`. */
export function matching(src: string, open: number): number {
  const pairs: Record<string, string> = { '{': '}', '(': ')', '[': ']' };
  const close = pairs[src[open]!]!;
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    if (src[i] === src[open]) depth++;
    else if (src[i] === close && --depth === 0) return i;
  }
  throw new LitmusSyntaxError(`unbalanced '${src[open]}' at offset ${open}`);
}

/** Splits a thread body into statements: at top-level `;`, and after each top-level `{...}` block. */
export function splitStatements(body: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '(' || c === '[') i = matching(body, i);
    else if (c === '{') {
      i = matching(body, i);
      // `if (...) { } else { }` stays one statement.
      if (/^\s*else\b/.test(body.slice(i + 1))) continue;
      out.push(body.slice(start, i + 1));
      start = i + 1;
    } else if (c === ';') {
      out.push(body.slice(start, i));
      start = i + 1;
    }
  }
  if (body.slice(start).trim() !== '') out.push(body.slice(start));
  return out.map((s) => s.trim().replace(/\s+/g, ' ')).filter((s) => s !== '');
}

/** Parses a C litmus test; `text` is the file's content. */
export function parseCLitmus(text: string): ParsedLitmus {
  const header = /^\s*(\S+)\s+(\S+)/.exec(text);
  if (header === null) throw new LitmusSyntaxError('empty file: expected a "C name" header line');
  if (header[1] !== 'C') throw new LitmusSyntaxError(`not a C litmus test: its header names the ${header[1]} architecture`);
  const name = header[2]!;
  const recorded = RESULT.exec(text);
  let result: ParsedLitmus['result'];
  let resultOther: string | undefined;
  if (recorded !== null) {
    const word = recorded[1]!;
    if (word === 'Never' || word === 'Sometimes' || word === 'Always') result = { verdict: word, rest: recorded[2]!.replace(/\*\)\s*$/, '').trim() };
    else resultOther = `${word}${recorded[2]!}`.replace(/\*\)\s*$/, '').trim();
  }
  const src = stripComments(text);
  // The init block: the first `{` after the header lines (quoted strings there hold no braces).
  const afterHeader = src.indexOf('\n');
  const open = src.indexOf('{', afterHeader);
  if (open < 0) throw new LitmusSyntaxError('no "{ init }" block after the header');
  const close = matching(src, open);
  const init = src
    .slice(open + 1, close)
    .split(';')
    .map((e) => e.trim().replace(/\s+/g, ' '))
    .filter((e) => e !== '')
    .map((e) => {
      const eq = e.indexOf('=');
      return eq < 0 ? { lhs: e } : { lhs: e.slice(0, eq).trim(), rhs: e.slice(eq + 1).trim() };
    });
  const threads: ParsedThread[] = [];
  let pos = close + 1;
  const threadRe = /\bP(\d+)\s*\(/g;
  for (;;) {
    threadRe.lastIndex = pos;
    const m = threadRe.exec(src);
    if (m === null || src.slice(pos, m.index).trim() !== '') break;
    const paren = m.index + m[0].length - 1;
    const endParams = matching(src, paren);
    const bodyOpen = src.indexOf('{', endParams);
    if (bodyOpen < 0 || src.slice(endParams + 1, bodyOpen).trim() !== '') throw new LitmusSyntaxError(`P${m[1]}: expected "{" after its parameters`);
    const bodyClose = matching(src, bodyOpen);
    const params = src
      .slice(paren + 1, endParams)
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '' && p !== 'void')
      .map((p) => {
        const id = /([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(p);
        if (id === null) throw new LitmusSyntaxError(`P${m[1]}: cannot read parameter '${p}'`);
        return id[1]!;
      });
    threads.push({ id: Number(m[1]), params, statements: splitStatements(src.slice(bodyOpen + 1, bodyClose)) });
    pos = bodyClose + 1;
  }
  if (threads.length === 0) throw new LitmusSyntaxError('no thread: expected "P0(...) { ... }" after the init block');
  threads.forEach((t, i) => {
    if (t.id !== i) throw new LitmusSyntaxError(`threads must be P0, P1, ... in order: found P${t.id} in place ${i}`);
  });
  // The final clauses.
  let tail = src.slice(pos).trim();
  let filter: string | undefined;
  let locations: string | undefined;
  let quantifier: ParsedLitmus['quantifier'] | undefined;
  let condition = '';
  while (tail !== '') {
    const kw = /^(locations|filter|~\s*exists|exists|forall)\b\s*/.exec(tail);
    if (kw === null) throw new LitmusSyntaxError(`unexpected text after the threads: '${tail.slice(0, 40)}'`);
    const word = kw[1]!.replace(/\s+/g, '');
    tail = tail.slice(kw[0].length);
    if (word === 'locations') {
      if (tail[0] !== '[') throw new LitmusSyntaxError('locations: expected "["');
      const end = matching(tail, 0);
      locations = tail.slice(1, end).trim();
      tail = tail.slice(end + 1).trim();
      continue;
    }
    // filter and the quantified clause run to the next keyword or the end.
    const next = /\b(locations|filter|exists|forall)\b/.exec(tail);
    let end = next === null ? tail.length : next.index;
    if (next !== null && tail[end - 1] === '~') end--;
    const body = tail.slice(0, end).trim().replace(/\s+/g, ' ');
    tail = tail.slice(end).trim();
    if (word === 'filter') filter = body;
    else {
      if (quantifier !== undefined) throw new LitmusSyntaxError('more than one exists/forall clause');
      quantifier = word as ParsedLitmus['quantifier'];
      condition = body;
    }
  }
  return { name, result, resultOther, init, threads, quantifier, condition, filter, locations };
}
