import { BREAK, CONTINUE, truthy, type Completion, type CStmt, type FnContext, type Frame, type Gen } from './context.js';
import { compileExpr, field } from './expr.js';
import { typeOf, CONFIG_OPTIONS } from './names.js';
import { unknownConfig } from './builtins.js';
import type { Node } from './parser.js';

/**
 * C statements: blocks, declarations, if, while, do, for, return, break,
 * continue, goto to a label of an enclosing block, and #ifdef/#if on a kernel
 * config option (decided at run time by the kernel's config, e.g. memcg).
 */

const STATEMENT_NAMES: Readonly<Record<string, string>> = {
  switch_statement: 'switch',
  case_statement: 'case',
  attributed_statement: 'an attributed statement',
  seh_try_statement: '__try',
  preproc_def: '#define',
  preproc_function_def: '#define',
  preproc_include: '#include',
  preproc_call: 'a preprocessor directive',
  type_definition: 'typedef',
  struct_specifier: 'a struct definition',
  gnu_asm_expression: 'inline assembly',
};

const named = (n: Node): Node[] => n.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');

export function compileStmt(ctx: FnContext, node: Node): CStmt {
  switch (node.type) {
    case 'compound_statement': {
      ctx.push();
      try { return block(ctx, named(node)); } finally { ctx.pop(); }
    }
    case 'expression_statement': {
      const e = named(node)[0];
      if (e === undefined) return function* () { return undefined; };
      const x = compileExpr(ctx, e);
      return function* (f) { yield* x.run(f); return undefined; };
    }
    case 'declaration': return declaration(ctx, node);
    case 'if_statement': return ifStmt(ctx, node);
    case 'while_statement': {
      const cond = compileExpr(ctx, field(ctx, node, 'condition'));
      const body = loopBody(ctx, field(ctx, node, 'body'));
      return function* (f) {
        while (truthy(yield* cond.run(f))) {
          const c = yield* body(f);
          if (c === BREAK) break;
          if (c !== undefined && c !== CONTINUE) return c;
        }
        return undefined;
      };
    }
    case 'do_statement': {
      const body = loopBody(ctx, field(ctx, node, 'body'));
      const cond = compileExpr(ctx, field(ctx, node, 'condition'));
      return function* (f) {
        do {
          const c = yield* body(f);
          if (c === BREAK) break;
          if (c !== undefined && c !== CONTINUE) return c;
        } while (truthy(yield* cond.run(f)));
        return undefined;
      };
    }
    case 'for_statement': return forStmt(ctx, node);
    case 'return_statement': {
      const e = named(node)[0];
      const x = e === undefined ? undefined : compileExpr(ctx, e);
      return function* (f) { return { c: 'return', value: x === undefined ? undefined : yield* x.run(f) }; };
    }
    case 'break_statement':
      if (ctx.loopDepth === 0) throw ctx.error(node, "'break' outside a loop");
      return function* () { return BREAK; };
    case 'continue_statement':
      if (ctx.loopDepth === 0) throw ctx.error(node, "'continue' outside a loop");
      return function* () { return CONTINUE; };
    case 'goto_statement': {
      const label = field(ctx, node, 'label').text;
      if (!ctx.labelStack.some((s) => s.has(label))) {
        throw ctx.error(node, `goto ${label}: no label '${label}' in this block or an enclosing one (a goto into a nested block is not supported)`);
      }
      const c: Completion = { c: 'goto', label };
      return function* () { return c; };
    }
    case 'labeled_statement': {
      const inner = named(node).filter((n) => n.type !== 'statement_identifier');
      return inner[0] === undefined ? function* () { return undefined; } : compileStmt(ctx, inner[0]);
    }
    case 'preproc_ifdef': case 'preproc_if': return preproc(ctx, node);
    case ';': return function* () { return undefined; };
    default: {
      const what = STATEMENT_NAMES[node.type];
      throw ctx.error(node, `${what ?? `the statement '${node.type}'`} is not supported by the C front end`);
    }
  }
}

/** A block's statements; goto jumps to a label among them (found by the enclosing block when not here). */
function block(ctx: FnContext, nodes: readonly Node[]): CStmt {
  const labels = new Map<string, number>();
  nodes.forEach((n, i) => { if (n.type === 'labeled_statement') labels.set(field(ctx, n, 'label').text, i); });
  ctx.labelStack.push(new Set(labels.keys()));
  let stmts: CStmt[];
  try { stmts = nodes.map((n) => compileStmt(ctx, n)); } finally { ctx.labelStack.pop(); }
  return function* (f: Frame): Gen<Completion> {
    let i = 0;
    while (i < stmts.length) {
      const c = yield* (stmts[i] as CStmt)(f);
      if (c === undefined) { i++; continue; }
      if (c.c === 'goto') {
        const at = labels.get(c.label);
        if (at !== undefined) { i = at; continue; }
      }
      return c;
    }
    return undefined;
  };
}

function loopBody(ctx: FnContext, node: Node): CStmt {
  ctx.loopDepth++;
  try { return compileStmt(ctx, node); } finally { ctx.loopDepth--; }
}

function declaration(ctx: FnContext, node: Node): CStmt {
  const spec = field(ctx, node, 'type');
  const struct = spec.type === 'struct_specifier' ? spec.childForFieldName('name')?.text : undefined;
  if (spec.type === 'struct_specifier' && spec.childForFieldName('body') !== null) throw ctx.error(spec, 'a struct definition is not supported');
  const parts: CStmt[] = [];
  for (const d of node.childrenForFieldName('declarator').filter((n): n is Node => n !== null)) {
    let decl = d.type === 'init_declarator' ? field(ctx, d, 'declarator') : d;
    const value = d.type === 'init_declarator' ? field(ctx, d, 'value') : undefined;
    let pointer = false;
    while (decl.type === 'pointer_declarator') {
      if (pointer) throw ctx.error(decl, 'pointers to pointers are not supported');
      pointer = true;
      decl = field(ctx, decl, 'declarator');
    }
    if (decl.type === 'array_declarator') throw ctx.error(decl, 'arrays are not supported: the model has no local arrays');
    if (decl.type === 'function_declarator') throw ctx.error(decl, 'a function declaration inside a function is not supported');
    if (decl.type !== 'identifier') throw ctx.error(decl, `the declarator '${decl.type}' is not supported`);
    const type = typeOf(spec.text, struct, pointer);
    if (typeof type === 'string') throw ctx.error(spec, `${type} is not supported`);
    if (value?.type === 'initializer_list') throw ctx.error(value, 'an initializer list is not supported');
    // The initializer is compiled before the name is declared: `int x = x;` names the outer x, as C scoping goes one way or the other only in corner cases.
    const init = value === undefined ? undefined : compileExpr(ctx, value);
    const { slot } = ctx.declare(decl, decl.text, type);
    parts.push(init === undefined
      ? function* (f) { f.v[slot] = undefined; return undefined; }
      : function* (f) { f.v[slot] = yield* init.run(f); return undefined; });
  }
  return function* (f) { for (const p of parts) yield* p(f); return undefined; };
}

function ifStmt(ctx: FnContext, node: Node): CStmt {
  const cond = compileExpr(ctx, field(ctx, node, 'condition'));
  const then = compileStmt(ctx, field(ctx, node, 'consequence'));
  let alt = node.childForFieldName('alternative');
  if (alt?.type === 'else_clause') alt = named(alt)[0] ?? null;
  const other = alt === null || alt === undefined ? undefined : compileStmt(ctx, alt);
  return function* (f) {
    if (truthy(yield* cond.run(f))) return yield* then(f);
    return other === undefined ? undefined : yield* other(f);
  };
}

function forStmt(ctx: FnContext, node: Node): CStmt {
  ctx.push();
  try {
    const initNode = node.childForFieldName('initializer');
    const init = initNode === null ? undefined : initNode.type === 'declaration' ? declaration(ctx, initNode) : exprStmt(ctx, initNode);
    const condNode = node.childForFieldName('condition');
    const cond = condNode === null ? undefined : compileExpr(ctx, condNode);
    const updNode = node.childForFieldName('update');
    const upd = updNode === null ? undefined : compileExpr(ctx, updNode);
    const body = loopBody(ctx, field(ctx, node, 'body'));
    return function* (f) {
      if (init !== undefined) yield* init(f);
      for (;;) {
        if (cond !== undefined && !truthy(yield* cond.run(f))) break;
        const c = yield* body(f);
        if (c === BREAK) break;
        if (c !== undefined && c !== CONTINUE) return c;
        if (upd !== undefined) yield* upd.run(f);
      }
      return undefined;
    };
  } finally { ctx.pop(); }
}

function exprStmt(ctx: FnContext, node: Node): CStmt {
  const x = compileExpr(ctx, node);
  return function* (f) { yield* x.run(f); return undefined; };
}

type Config = (f: Frame) => boolean;

/** A preprocessor condition: defined(CONFIG_X), CONFIG_X, IS_ENABLED(CONFIG_X), !, &&, ||, 0, 1. */
function condition(ctx: FnContext, node: Node): Config {
  switch (node.type) {
    case 'identifier': {
      const answer = CONFIG_OPTIONS.get(node.text);
      if (answer === undefined) throw ctx.error(node, unknownConfig(node.text));
      return (f) => answer(f.k);
    }
    case 'preproc_defined': {
      const id = named(node)[0];
      if (id === undefined) throw ctx.error(node, 'defined() without a name');
      return condition(ctx, id);
    }
    case 'number_literal': { const v = node.text !== '0'; return () => v; }
    case 'parenthesized_expression': return condition(ctx, named(node)[0] ?? node);
    case 'unary_expression': {
      if (field(ctx, node, 'operator').type !== '!') break;
      const c = condition(ctx, field(ctx, node, 'argument'));
      return (f) => !c(f);
    }
    case 'binary_expression': {
      const op = field(ctx, node, 'operator').type;
      if (op !== '&&' && op !== '||') break;
      const a = condition(ctx, field(ctx, node, 'left'));
      const b = condition(ctx, field(ctx, node, 'right'));
      return op === '&&' ? (f) => a(f) && b(f) : (f) => a(f) || b(f);
    }
    case 'call_expression': {
      const fn = field(ctx, node, 'function').text;
      const arg = named(field(ctx, node, 'arguments'))[0];
      if ((fn === 'IS_ENABLED' || fn === 'IS_BUILTIN') && arg !== undefined) return condition(ctx, arg);
      break;
    }
    default: break;
  }
  throw ctx.error(node, `the preprocessor condition '${node.text}' is not supported: use defined(CONFIG_...), IS_ENABLED(CONFIG_...), !, && and ||`);
}

/** #ifdef / #ifndef / #if ... #elif ... #else ... #endif around statements. */
function preproc(ctx: FnContext, node: Node): CStmt {
  let cond: Config;
  if (node.type === 'preproc_ifdef') {
    const c = condition(ctx, field(ctx, node, 'name'));
    cond = node.child(0)?.type === '#ifndef' ? (f) => !c(f) : c;
  } else {
    cond = condition(ctx, field(ctx, node, 'condition'));
  }
  const alt = node.childForFieldName('alternative');
  // Nodes are fresh objects on each access: compare their ids.
  const skip = new Set([alt, node.childForFieldName('name'), node.childForFieldName('condition')].filter((n): n is Node => n !== null).map((n) => n.id));
  const body = named(node).filter((n) => !skip.has(n.id));
  const then = block(ctx, body);
  let other: CStmt | undefined;
  if (alt !== null) {
    if (alt.type === 'preproc_else') other = block(ctx, named(alt));
    else if (alt.type === 'preproc_elif') other = preproc(ctx, alt);
    else throw ctx.error(alt, `${alt.type} is not supported: use #elif or #else`);
  }
  return function* (f) {
    if (cond(f)) return yield* then(f);
    return other === undefined ? undefined : yield* other(f);
  };
}
