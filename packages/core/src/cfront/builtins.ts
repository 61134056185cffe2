import { PG_active } from '../kernel/page-flags.js';
import type { FenceKind } from '../engine/op.js';
import { CONFIG_OPTIONS } from './names.js';
import { INT, VOID, num, pure, type CExpr, type FnContext } from './context.js';
import type { Node } from './parser.js';

/**
 * Kernel macros and helpers that are not kernel functions of the model:
 * compiler hints, barriers, casts between struct page, folio and slab (the
 * model gives them one address), and arithmetic helpers. A step a macro makes
 * is labelled with the macro's name (`smp_rmb`), as the model's own are.
 */

type Compile = (ctx: FnContext, node: Node) => CExpr;
type Builtin = (ctx: FnContext, call: Node, args: readonly Node[], compile: Compile) => CExpr;

/** Memory barriers (include/asm-generic/barrier.h): one fence step each. */
const FENCES: Readonly<Record<string, FenceKind>> = {
  smp_mb: 'mb', smp_rmb: 'rmb', smp_wmb: 'wmb',
  smp_mb__before_atomic: 'before-atomic', smp_mb__after_atomic: 'after-atomic',
  smp_mb__after_spinlock: 'after-spinlock',
};

function arity(ctx: FnContext, call: Node, name: string, args: readonly Node[], n: number): void {
  if (args.length !== n) throw ctx.error(call, `${name}() takes ${n} argument${n === 1 ? '' : 's'}, got ${args.length}`);
}

/** The value of the one argument: likely(), unlikely(), READ_ONCE() (a field read is its load step), the struct casts. */
const identity = (name: string): Builtin => (ctx, call, args, compile) => {
  arity(ctx, call, name, args, 1);
  return compile(ctx, args[0] as Node);
};

const identityAs = (name: string, struct: string): Builtin => (ctx, call, args, compile) => {
  arity(ctx, call, name, args, 1);
  const e = compile(ctx, args[0] as Node);
  return { ...e, type: { kind: 'words', struct } };
};

function binary(name: string, op: (a: number, b: number) => number): Builtin {
  return (ctx, call, args, compile) => {
    arity(ctx, call, name, args, 2);
    const a = compile(ctx, args[0] as Node);
    const b = compile(ctx, args[1] as Node);
    return {
      type: INT,
      *run(f) { const x = yield* a.run(f); const y = yield* b.run(f); return op(num(x), num(y)); },
    };
  };
}

const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  ['likely', identity('likely')],
  ['unlikely', identity('unlikely')],
  ['READ_ONCE', identity('READ_ONCE')],
  ['folio_slab', identityAs('folio_slab', 'slab')],
  ['slab_folio', identityAs('slab_folio', 'folio')],
  ['page_slab', identityAs('page_slab', 'slab')],
  ['slab_page', identityAs('slab_page', 'page')],
  // folio_page(folio, n) (include/linux/page-flags.h, v6.1): &folio->page + n, the n-th struct page
  ['folio_page', (ctx, call, args, compile) => {
    arity(ctx, call, 'folio_page', args, 2);
    const e = binary('folio_page', (a, b) => a + b)(ctx, call, args, compile);
    return { ...e, type: { kind: 'words', struct: 'page' } };
  }],
  ['min', binary('min', Math.min)],
  ['max', binary('max', Math.max)],
  ['ALIGN_DOWN', binary('ALIGN_DOWN', (x, a) => x - (x % a))],
  ['ALIGN', binary('ALIGN', (x, a) => Math.ceil(x / a) * a)],
  ...Object.entries(FENCES).map(([name, kind]): [string, Builtin] => [name, (ctx, call, args) => {
    arity(ctx, call, name, args, 0);
    return { type: VOID, *run(f) { yield f.k.m.fence(kind, name); return undefined; } };
  }]),
  // __slab_clear_pfmemalloc(slab) (mm/slab.h, v6.1): __folio_clear_active(slab_folio(slab)), non-atomic
  ['__slab_clear_pfmemalloc', (ctx, call, args, compile) => {
    arity(ctx, call, '__slab_clear_pfmemalloc', args, 1);
    const slab = compile(ctx, args[0] as Node);
    return { type: VOID, *run(f) { const s = yield* slab.run(f); yield* f.k.__clear_page_bit(num(s), PG_active, '__slab_clear_pfmemalloc'); return undefined; } };
  }],
  // has_transparent_hugepage() (include/linux/huge_mm.h, v6.3): the kernel config's answer
  ['has_transparent_hugepage', (ctx, call, args) => {
    arity(ctx, call, 'has_transparent_hugepage', args, 0);
    const answer = CONFIG_OPTIONS.get('CONFIG_TRANSPARENT_HUGEPAGE')!;
    return pure(INT, (f) => (answer(f.k) ? 1 : 0));
  }],
  ['IS_ENABLED', (ctx, call, args) => {
    arity(ctx, call, 'IS_ENABLED', args, 1);
    const opt = args[0] as Node;
    const answer = CONFIG_OPTIONS.get(opt.text);
    if (opt.type !== 'identifier' || answer === undefined) throw ctx.error(opt, unknownConfig(opt.text));
    return pure(INT, (f) => (answer(f.k) ? 1 : 0));
  }],
]);

/** The builtin of that name, if any. */
export function builtin(name: string): Builtin | undefined {
  return BUILTINS.get(name);
}

/** The message for a config option the model does not answer. */
export function unknownConfig(name: string): string {
  return `unknown kernel config option '${name}': the model answers ${[...CONFIG_OPTIONS.keys()].join(', ')}`;
}

/** Names of the builtins, for messages. */
export const BUILTIN_NAMES: readonly string[] = [...BUILTINS.keys()];
