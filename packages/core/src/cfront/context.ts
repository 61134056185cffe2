import type { Op } from '../engine/op.js';
import type { Kernel } from '../kernel/kernel.js';
import { errorAt, lineLabel, type SourceInfo } from './errors.js';
import type { Node } from './parser.js';

/** What compiled C code yields and returns: model steps, and a value. */
export type Gen<R = unknown> = Generator<Op, R, number>;

/** One activation of a compiled C function: the kernel and the locals' slots. */
export interface Frame {
  readonly k: Kernel;
  readonly v: unknown[];
  /** The caller's plain functions (cFunction's externs), by name. */
  readonly ext: Externs;
}

/** Plain functions C code may call by name, given by the caller of cFunction(): no step. */
export type Externs = Readonly<Record<string, (...args: never[]) => unknown>>;

/** An out-parameter (`int *order_out`): `*order_out` reads and writes its value. */
export interface Box {
  value: unknown;
}

export function isBox(v: unknown): v is Box {
  return typeof v === 'object' && v !== null && 'value' in v && Object.keys(v).length === 1;
}

/**
 * The C types the front end tells apart: integers (bool, int, unsigned long,
 * gfp_t, ...), pointers to the model's struct page words (page, folio, slab),
 * pointers to the model's objects (kmem_cache, vm_fault, vm_area_struct: read
 * as properties, no step), other pointers (arithmetic only), and void.
 */
export type CType =
  | { readonly kind: 'int'; readonly bool: boolean }
  | { readonly kind: 'words'; readonly struct: string }
  | { readonly kind: 'object'; readonly struct: string }
  | { readonly kind: 'ptr'; readonly name: string }
  | { readonly kind: 'void' };

export const INT: CType = { kind: 'int', bool: false };
export const BOOL: CType = { kind: 'int', bool: true };
export const VOID: CType = { kind: 'void' };

/** A compiled expression: its steps and value, and, when it makes no step, a synchronous form. */
export interface CExpr {
  readonly type: CType;
  readonly run: (f: Frame) => Gen;
  readonly sync?: ((f: Frame) => unknown) | undefined;
}

/** An expression with no step. */
export function pure(type: CType, sync: (f: Frame) => unknown): CExpr {
  return { type, sync, *run(f) { return sync(f); } };
}

/** How a statement ends: normally (undefined), or by break, continue, return or goto. */
export type Completion = undefined | { readonly c: 'break' } | { readonly c: 'continue' } | { readonly c: 'return'; readonly value: unknown } | { readonly c: 'goto'; readonly label: string };
export const BREAK: Completion = { c: 'break' };
export const CONTINUE: Completion = { c: 'continue' };

export type CStmt = (f: Frame) => Gen<Completion>;

/** A local variable or parameter. */
export interface Local {
  readonly slot: number;
  readonly type: CType;
  /** A C parameter the model's function does not pass: naming it is an error. */
  readonly unpassed?: string | undefined;
}

/** A function defined in the C source, callable from the others. */
export interface CFunction {
  readonly name: string;
  readonly node: Node;
  readonly returns: CType;
  readonly params: readonly { readonly name: string; readonly type: CType }[];
  /** Set once compiled. */
  body?: CStmt;
  slots?: number;
}

/** What compiling one function needs: the source, its functions, the scopes, the labels. */
export class FnContext {
  private readonly scopes: Map<string, Local>[] = [new Map()];
  private nextSlot = 0;
  /** Labels of the enclosing blocks, innermost last. */
  readonly labelStack: Set<string>[] = [];
  loopDepth = 0;

  constructor(
    readonly src: SourceInfo,
    readonly fn: CFunction,
    readonly functions: ReadonlyMap<string, CFunction>,
    readonly externs: ReadonlySet<string> = new Set(),
    /** Set for cFunction(): the code runs outside a kernel, so it makes no step. */
    readonly outsideKernel = false,
  ) {}

  get slots(): number { return this.nextSlot; }

  error(node: Node, reason: string): Error { return errorAt(this.src, node, reason); }
  label(node: Node): string { return lineLabel(this.src, node); }

  push(): void { this.scopes.push(new Map()); }
  pop(): void { this.scopes.pop(); }

  declare(node: Node, name: string, type: CType, unpassed?: string): Local {
    const scope = this.scopes[this.scopes.length - 1] as Map<string, Local>;
    if (scope.has(name)) throw this.error(node, `'${name}' is declared twice in the same scope`);
    const local: Local = { slot: this.nextSlot++, type, unpassed };
    scope.set(name, local);
    return local;
  }

  lookup(name: string): Local | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const l = (this.scopes[i] as Map<string, Local>).get(name);
      if (l !== undefined) return l;
    }
    return undefined;
  }
}

/** C truth: zero, NULL and false are false. */
export function truthy(v: unknown): boolean {
  return v !== 0 && v !== null && v !== false && v !== undefined;
}

/** A value as a C integer: NULL is 0, false 0, true 1. */
export function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v === null || v === false || v === undefined) return 0;
  if (v === true) return 1;
  throw new TypeError(`cfront: ${String(v)} is not a number`);
}
