import { KERNEL_FUNCTIONS } from '../kernel/functions.js';
import { Kernel } from '../kernel/kernel.js';
import { builtin, BUILTIN_NAMES } from './builtins.js';
import { BOOL, INT, isBox, num, pure, truthy, type CExpr, type CType, type FnContext, type Frame, type Gen } from './context.js';
import { invoke } from './invoke.js';
import { CONSTANTS, OBJECT_FIELDS, WORD_FIELDS, typeOf } from './names.js';
import type { Node } from './parser.js';

/**
 * C expressions to model steps: a field of struct page, folio or slab is one
 * load (read) or store (assignment) step labelled with its C source line; a
 * call of a kernel function runs the model's function (its own steps); locals,
 * constants and arithmetic make no step.
 */

const KERNEL_NAMES: ReadonlySet<string> = new Set(KERNEL_FUNCTIONS);

/** Kernel functions whose result is a pointer to struct page words, for `f(x)->field`. */
const RETURNS: Readonly<Record<string, CType>> = {
  page_folio: { kind: 'words', struct: 'folio' },
  compound_head: { kind: 'words', struct: 'page' },
  alloc_pages: { kind: 'words', struct: 'page' },
  __folio_alloc: { kind: 'words', struct: 'folio' },
};

/** Constructs with no model meaning, by tree-sitter node type: what the error calls them. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  sizeof_expression: 'sizeof',
  alignof_expression: 'alignof',
  offsetof_expression: 'offsetof',
  string_literal: 'a string literal',
  concatenated_string: 'a string literal',
  char_literal: 'a character literal',
  compound_literal_expression: 'a compound literal',
  initializer_list: 'an initializer list',
  subscript_expression: 'array subscripts (the model has no arrays; use pointer arithmetic on struct page pointers)',
  generic_expression: '_Generic',
  gnu_asm_expression: 'inline assembly',
  extension_expression: '__extension__',
  statement_expression: 'a statement expression ({ ... })',
};

export function compileExpr(ctx: FnContext, node: Node): CExpr {
  switch (node.type) {
    case 'parenthesized_expression': return compileExpr(ctx, only(ctx, node));
    case 'number_literal': return number(ctx, node);
    case 'true': return pure(BOOL, () => true);
    case 'false': return pure(BOOL, () => false);
    case 'null': return pure({ kind: 'ptr', name: 'void' }, () => null);
    case 'identifier': return identifier(ctx, node);
    case 'binary_expression': return binaryExpr(ctx, node);
    case 'unary_expression': return unaryExpr(ctx, node);
    case 'update_expression': return update(ctx, node);
    case 'assignment_expression': return assignment(ctx, node);
    case 'field_expression': return fieldRead(ctx, node);
    case 'call_expression': return call(ctx, node);
    case 'conditional_expression': return conditional(ctx, node);
    case 'cast_expression': return cast(ctx, node);
    case 'comma_expression': {
      const a = compileExpr(ctx, field(ctx, node, 'left'));
      const b = compileExpr(ctx, field(ctx, node, 'right'));
      return { type: b.type, *run(f) { yield* a.run(f); return yield* b.run(f); } };
    }
    case 'pointer_expression': {
      const op = node.childForFieldName('operator')?.type ?? '';
      if (op === '&') throw ctx.error(node, "address-of '&' is not supported: the model has no addresses of fields or locals");
      const box = outParam(ctx, node);
      return { type: INT, *run(f) { return box(yield* box.target.run(f)).value; } };
    }
    default: {
      const what = UNSUPPORTED[node.type];
      throw ctx.error(node, `${what ?? `the expression '${node.type}'`} is not supported by the C front end`);
    }
  }
}

export function field(ctx: FnContext, node: Node, name: string): Node {
  const c = node.childForFieldName(name);
  if (c === null) throw ctx.error(node, `${node.type} without its ${name}`);
  return c;
}

function only(ctx: FnContext, node: Node): Node {
  const c = node.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment');
  if (c.length !== 1) throw ctx.error(node, `expected one expression in parentheses, got ${c.length}`);
  return c[0] as Node;
}

function number(ctx: FnContext, node: Node): CExpr {
  // tree-sitter's C grammar reads a leading minus into the literal (-1).
  const neg = node.text.startsWith('-');
  const text = node.text.replace(/^-\s*/, '').replace(/[uUlL]+$/, '');
  let v: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) v = parseInt(text.slice(2), 16);
  else if (/^0[0-7]+$/.test(text)) v = parseInt(text.slice(1), 8);
  else if (/^0[bB][01]+$/.test(text)) v = parseInt(text.slice(2), 2);
  else if (/^[0-9]+$/.test(text)) v = parseInt(text, 10);
  else throw ctx.error(node, `the number '${node.text}' is not supported (integers only)`);
  if (neg) v = -v;
  return pure(INT, () => v);
}

function identifier(ctx: FnContext, node: Node): CExpr {
  const name = node.text;
  const local = ctx.lookup(name);
  if (local !== undefined) {
    if (local.unpassed !== undefined) throw ctx.error(node, local.unpassed);
    const slot = local.slot;
    return pure(local.type, (f) => f.v[slot]);
  }
  if (CONSTANTS.has(name)) {
    const v = CONSTANTS.get(name);
    return pure(typeof v === 'boolean' ? BOOL : v === null ? { kind: 'ptr', name: 'void' } : INT, () => v);
  }
  if (KERNEL_NAMES.has(name) || ctx.functions.has(name)) throw ctx.error(node, `'${name}' used as a value: function pointers are not supported`);
  throw ctx.error(node, `unknown identifier '${name}': not a local, a parameter or a constant the model knows`);
}

const ARITH: Readonly<Record<string, (a: number, b: number) => number>> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => Math.trunc(a / b),
  '%': (a, b) => a % b,
  '<<': (a, b) => a * 2 ** b,
  '>>': (a, b) => Math.floor(a / 2 ** b),
  '&': (a, b) => Number(BigInt.asUintN(64, BigInt(a) & BigInt(b))),
  '|': (a, b) => Number(BigInt.asUintN(64, BigInt(a) | BigInt(b))),
  '^': (a, b) => Number(BigInt.asUintN(64, BigInt(a) ^ BigInt(b))),
  '<': (a, b) => +(a < b),
  '<=': (a, b) => +(a <= b),
  '>': (a, b) => +(a > b),
  '>=': (a, b) => +(a >= b),
};

function isObject(v: unknown): boolean { return typeof v === 'object' && v !== null; }

function equal(a: unknown, b: unknown): boolean {
  if (isObject(a) || isObject(b)) return a === b;
  return num(a) === num(b);
}

function binaryExpr(ctx: FnContext, node: Node): CExpr {
  const op = field(ctx, node, 'operator').type;
  const a = compileExpr(ctx, field(ctx, node, 'left'));
  const b = compileExpr(ctx, field(ctx, node, 'right'));
  if (op === '&&' || op === '||') {
    const and = op === '&&';
    return { type: BOOL, *run(f) { const x = truthy(yield* a.run(f)); if (and ? !x : x) return +x; return +truthy(yield* b.run(f)); } };
  }
  if (op === '==' || op === '!=') {
    const eq = op === '==';
    return combine(BOOL, a, b, (x, y) => +(equal(x, y) === eq));
  }
  const fn = ARITH[op];
  if (fn === undefined) throw ctx.error(node, `the operator '${op}' is not supported`);
  // Pointer arithmetic on struct page pointers: the model's page numbers are consecutive, as struct pages are.
  const type = (op === '+' || op === '-') && a.type.kind !== 'int' ? a.type : (op === '+' && b.type.kind !== 'int' ? b.type : INT);
  if (type.kind === 'object') throw ctx.error(node, `pointer arithmetic on a struct ${type.struct} pointer is not supported (the model keeps it as an object)`);
  return combine(type, a, b, (x, y) => fn(num(x), num(y)));
}

function combine(type: CType, a: CExpr, b: CExpr, op: (x: unknown, y: unknown) => unknown): CExpr {
  if (a.sync !== undefined && b.sync !== undefined) {
    const sa = a.sync; const sb = b.sync;
    return pure(type, (f) => op(sa(f), sb(f)));
  }
  return { type, *run(f) { const x = yield* a.run(f); const y = yield* b.run(f); return op(x, y); } };
}

function unaryExpr(ctx: FnContext, node: Node): CExpr {
  const op = field(ctx, node, 'operator').type;
  const a = compileExpr(ctx, field(ctx, node, 'argument'));
  const fn: ((x: unknown) => unknown) | undefined = op === '!' ? (x) => +!truthy(x) : op === '-' ? (x) => -num(x) : op === '+' ? (x) => num(x) : op === '~' ? (x) => ~num(x) : undefined;
  if (fn === undefined) throw ctx.error(node, `the unary operator '${op}' is not supported`);
  const s = a.sync;
  if (s !== undefined) return pure(op === '!' ? BOOL : INT, (f) => fn(s(f)));
  return { type: op === '!' ? BOOL : INT, *run(f) { return fn(yield* a.run(f)); } };
}

function localTarget(ctx: FnContext, node: Node, what: string): { slot: number; type: CType } {
  if (node.type !== 'identifier') {
    throw ctx.error(node, node.type === 'field_expression'
      ? `${what} of a struct field is a read-modify-write the C front end does not split: write 'x = p->f; p->f = x + 1;' or call the kernel's helper`
      : `${what} of '${node.type}' is not supported: only locals and struct page/folio/slab fields can be assigned`);
  }
  const local = ctx.lookup(node.text);
  if (local === undefined) {
    if (CONSTANTS.has(node.text)) throw ctx.error(node, `'${node.text}' is a constant: it cannot be assigned`);
    throw ctx.error(node, `unknown identifier '${node.text}': not a local or a parameter`);
  }
  if (local.unpassed !== undefined) throw ctx.error(node, local.unpassed);
  return local;
}

function update(ctx: FnContext, node: Node): CExpr {
  const op = field(ctx, node, 'operator').type;
  const arg = field(ctx, node, 'argument');
  const { slot, type } = localTarget(ctx, arg, op === '++' ? 'increment' : 'decrement');
  const d = op === '++' ? 1 : -1;
  const prefix = node.firstChild?.type === op;
  return pure(type, (f) => {
    const old = num(f.v[slot]);
    f.v[slot] = old + d;
    return prefix ? old + d : old;
  });
}

/** A store step: 64-bit words with st (which clears the word's upper-half slot), 32-bit fields with st32. */
function storeValue(v: unknown): number {
  if (isObject(v)) return num((v as { addr?: unknown }).addr);
  return num(v);
}

function assignment(ctx: FnContext, node: Node): CExpr {
  const op = field(ctx, node, 'operator').type;
  const left = field(ctx, node, 'left');
  const right = compileExpr(ctx, field(ctx, node, 'right'));
  const arith = op === '=' ? undefined : ARITH[op.slice(0, -1)];
  if (op !== '=' && arith === undefined) throw ctx.error(node, `the assignment operator '${op}' is not supported`);
  if (left.type === 'pointer_expression') {
    if (op !== '=') throw ctx.error(left, `'${op}' through a pointer is not supported: write '*p = x'`);
    const box = outParam(ctx, left);
    return { type: right.type, *run(f) { const b = box(yield* box.target.run(f)); return (b.value = yield* right.run(f)); } };
  }
  if (left.type === 'field_expression') {
    if (op !== '=') throw ctx.error(left, `'${op}' on a struct field is a read-modify-write the C front end does not split: write 'x = p->f; p->f = x ${op.slice(0, -1)} y;' or call the kernel's helper`);
    const w = wordField(ctx, left);
    if (w === undefined) throw ctx.error(left, 'assignment to a field of an object the model keeps outside struct page words is not supported');
    const label = ctx.label(node);
    return {
      type: w.field.type,
      *run(f) {
        const base = yield* w.base.run(f);
        const v = yield* right.run(f);
        const value = storeValue(v);
        if (w.field.bits === 64) yield f.k.st(num(base), w.field.slot, value, label);
        else yield f.k.st32(num(base), w.field.slot, value, label);
        return v;
      },
    };
  }
  const { slot } = localTarget(ctx, left, 'assignment');
  const rs = right.sync;
  if (arith === undefined) {
    if (rs !== undefined) return pure(right.type, (f) => (f.v[slot] = rs(f)));
    return { type: right.type, *run(f) { return (f.v[slot] = yield* right.run(f)); } };
  }
  return { type: INT, *run(f) { const v = yield* right.run(f); return (f.v[slot] = arith(num(f.v[slot]), num(v))); } };
}

/** A field of struct page, folio or slab: its base expression and slot, or undefined for an object's field. */
function wordField(ctx: FnContext, node: Node): { base: CExpr; field: { slot: number; bits: 32 | 64; type: CType } } | undefined {
  const opNode = node.childForFieldName('operator');
  const name = field(ctx, node, 'field').text;
  if (opNode?.type === '.') throw ctx.error(node, `member access '.${name}' on a struct value is not supported: only p->field on a pointer to struct page, folio or slab`);
  const base = compileExpr(ctx, field(ctx, node, 'argument'));
  const t = base.type;
  if (t.kind === 'words') {
    if (ctx.outsideKernel) throw ctx.error(node, `'->${name}' of a struct ${t.struct} is a step on the model's memory: cFunction() code runs outside a kernel; use cVariant()`);
    const fields = WORD_FIELDS[t.struct] ?? {};
    const fd = fields[name];
    if (fd === undefined) throw ctx.error(field(ctx, node, 'field'), `unknown field '${name}' of struct ${t.struct}: the model has ${Object.keys(fields).join(', ')}`);
    return { base, field: fd };
  }
  if (t.kind === 'object') return undefined;
  throw ctx.error(node, `'->${name}' on ${t.kind === 'ptr' ? `a ${t.name} pointer` : t.kind === 'void' ? 'void' : 'an integer'}: only pointers to struct page, folio, slab, kmem_cache, vm_fault and vm_area_struct have fields in the model`);
}

function fieldRead(ctx: FnContext, node: Node): CExpr {
  const w = wordField(ctx, node);
  if (w !== undefined) {
    const label = ctx.label(node);
    const { base, field: { slot, type } } = w;
    return { type, *run(f) { const p = yield* base.run(f); return (yield f.k.ld(num(p), slot, label)) as number; } };
  }
  const base = compileExpr(ctx, field(ctx, node, 'argument'));
  const t = base.type as { kind: 'object'; struct: string };
  const name = field(ctx, node, 'field').text;
  const fields = OBJECT_FIELDS[t.struct] ?? {};
  const fd = fields[name];
  if (fd === undefined) throw ctx.error(field(ctx, node, 'field'), `unknown field '${name}' of struct ${t.struct}: the model has ${Object.keys(fields).join(', ')}`);
  const prop = fd.prop;
  return { type: fd.type, *run(f) { const o = yield* base.run(f); return (o as Record<string, unknown>)[prop]; } };
}

function conditional(ctx: FnContext, node: Node): CExpr {
  const c = compileExpr(ctx, field(ctx, node, 'condition'));
  const a = compileExpr(ctx, field(ctx, node, 'consequence'));
  const b = compileExpr(ctx, field(ctx, node, 'alternative'));
  return { type: a.type, *run(f) { return truthy(yield* c.run(f)) ? yield* a.run(f) : yield* b.run(f); } };
}

/** The type a type descriptor (in a cast) names. */
function castType(ctx: FnContext, desc: Node): CType {
  const spec = field(ctx, desc, 'type');
  const pointer = desc.childForFieldName('declarator') !== null;
  const struct = spec.type === 'struct_specifier' ? spec.childForFieldName('name')?.text : undefined;
  const t = typeOf(spec.text, struct, pointer);
  if (typeof t === 'string') throw ctx.error(desc, `a cast to ${t} is not supported`);
  return t;
}

function cast(ctx: FnContext, node: Node): CExpr {
  const type = castType(ctx, field(ctx, node, 'type'));
  const v = compileExpr(ctx, field(ctx, node, 'value'));
  if (type.kind === 'int' && type.bool) return { type, *run(f) { return truthy(yield* v.run(f)); } };
  return { ...v, type };
}

function call(ctx: FnContext, node: Node): CExpr {
  const fnNode = field(ctx, node, 'function');
  const argsNode = field(ctx, node, 'arguments');
  const args = argsNode.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment');
  if (fnNode.type !== 'identifier') throw ctx.error(fnNode, 'calls through function pointers are not supported: call the kernel function by name');
  const name = fnNode.text;
  const local = ctx.functions.get(name);
  if (local !== undefined && !KERNEL_NAMES.has(name)) {
    if (args.length !== local.params.length) throw ctx.error(node, `${name}() takes ${local.params.length} argument${local.params.length === 1 ? '' : 's'}, got ${args.length}`);
    const compiled = args.map((a) => compileExpr(ctx, a));
    return { type: local.returns, *run(f) { return yield* invoke(local, f.k, yield* evalAll(f, compiled), f.ext); } };
  }
  const b = builtin(name);
  if (b !== undefined) return b(ctx, node, args, compileExpr);
  if (ctx.externs.has(name)) {
    const compiled = args.map((a) => compileExpr(ctx, a));
    return { type: INT, *run(f) { const vals = yield* evalAll(f, compiled); return (f.ext[name] as (...a: unknown[]) => unknown)(...vals); } };
  }
  if (!KERNEL_NAMES.has(name)) {
    throw ctx.error(fnNode, `unknown function '${name}': it is neither a kernel function of the model, a function defined in this source, nor a supported macro (${BUILTIN_NAMES.join(', ')})`);
  }
  if (ctx.outsideKernel) throw ctx.error(fnNode, `${name}() is a kernel function: cFunction() code runs outside a kernel and makes no step; use cVariant() for code that calls the model`);
  const proto = (Kernel.prototype as unknown as Record<string, (...a: unknown[]) => unknown>)[name];
  const want = typeof proto === 'function' ? proto.length : args.length;
  if (args.length !== want) throw ctx.error(node, `the model's ${name}() takes ${want} argument${want === 1 ? '' : 's'}, got ${args.length}`);
  const compiled = args.map((a) => compileExpr(ctx, a));
  return {
    type: RETURNS[name] ?? INT,
    *run(f) {
      const vals = yield* evalAll(f, compiled);
      return yield* (f.k as unknown as Record<string, (...a: unknown[]) => Gen>)[name]!(...vals);
    },
  };
}

function* evalAll(f: Frame, exprs: readonly CExpr[]): Gen<unknown[]> {
  const out: unknown[] = [];
  for (const e of exprs) out.push(yield* e.run(f));
  return out;
}

/**
 * `*p` of an out-parameter (`int *order_out`, given by the caller of
 * cFunction() as `{ value }`): its target, and the check that the pointer is one.
 */
function outParam(ctx: FnContext, node: Node): ((v: unknown) => { value: unknown }) & { target: CExpr } {
  const argNode = field(ctx, node, 'argument');
  const target = compileExpr(ctx, argNode);
  if (argNode.type !== 'identifier' || target.type.kind !== 'ptr') {
    throw ctx.error(node, "pointer dereference '*' is only supported on an out-parameter (int *order_out): read a struct field (p->field) or call the kernel function");
  }
  const err = ctx.error(node, `'*${argNode.text}': '${argNode.text}' is not an out-parameter the caller gave ({ value })`);
  return Object.assign((v: unknown) => {
    if (!isBox(v)) throw err;
    return v;
  }, { target });
}
