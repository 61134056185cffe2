import { KERNEL_FUNCTIONS } from '../kernel/functions.js';
import { Kernel, type KernelOverrides } from '../kernel/kernel.js';
import { FnContext, type CFunction, type CType, type Externs } from './context.js';
import { errorAt, type SourceInfo } from './errors.js';
import { field } from './expr.js';
import { invoke } from './invoke.js';
import { typeOf } from './names.js';
import { parseC, type Node } from './parser.js';
import { compileStmt } from './stmt.js';

/**
 * A C source (one or more function definitions) to kernel overrides: each
 * function named like a kernel function of the model replaces it; the others
 * are helpers the replacements may call.
 */

const KERNEL_NAMES: ReadonlySet<string> = new Set(KERNEL_FUNCTIONS);

/** Top-level lines a pasted patch may carry that are not code to run. */
const IGNORED_TOP = /^(EXPORT_SYMBOL(_GPL)?|MODULE_[A-Z_]+)\s*\(/;

function firstSyntaxError(node: Node): Node | undefined {
  if (node.type === 'ERROR' || node.isMissing) return node;
  if (!node.hasError) return undefined;
  for (const c of node.children) {
    if (c === null) continue;
    const e = firstSyntaxError(c);
    if (e !== undefined) return e;
  }
  return node;
}

function modelArity(name: string): number {
  const fn = (Kernel.prototype as unknown as Record<string, unknown>)[name];
  return typeof fn === 'function' ? fn.length : 0;
}

interface Signature { readonly name: string; readonly returns: CType; readonly params: { name: string; type: CType; node: Node }[] }

function signature(src: SourceInfo, def: Node): Signature {
  const err = (n: Node, r: string) => errorAt(src, n, r);
  const spec = def.childForFieldName('type');
  let decl = def.childForFieldName('declarator');
  if (spec === null || decl === null) throw err(def, 'a function definition without its type or declarator');
  let pointer = false;
  while (decl.type === 'pointer_declarator') {
    pointer = true;
    const d: Node | null = decl.childForFieldName('declarator');
    if (d === null) throw err(decl, 'a pointer declarator without a name');
    decl = d;
  }
  if (decl.type !== 'function_declarator') throw err(decl, `expected a function declarator, got '${decl.type}'`);
  const nameNode = decl.childForFieldName('declarator');
  if (nameNode?.type !== 'identifier') throw err(decl, 'a function name that is not an identifier');
  const struct = spec.type === 'struct_specifier' ? spec.childForFieldName('name')?.text : undefined;
  const returns = typeOf(spec.text, struct, pointer);
  if (typeof returns === 'string') throw err(spec, `a function returning ${returns} is not supported`);
  const params: Signature['params'] = [];
  const list = decl.childForFieldName('parameters');
  for (const p of list?.namedChildren ?? []) {
    if (p === null || p.type === 'comment') continue;
    if (p.type === 'variadic_parameter') throw err(p, 'variadic functions are not supported');
    const pspec = p.childForFieldName('type');
    let pd = p.childForFieldName('declarator');
    if (pspec === null) throw err(p, 'a parameter without a type');
    if (pd === null) {
      if (pspec.text === 'void') continue;
      throw err(p, 'a parameter without a name');
    }
    let ptr = false;
    while (pd.type === 'pointer_declarator') {
      if (ptr) throw err(pd, 'pointers to pointers are not supported');
      ptr = true;
      pd = field2(src, pd, 'declarator');
    }
    if (pd.type !== 'identifier') throw err(pd, `the parameter declarator '${pd.type}' is not supported`);
    const pstruct = pspec.type === 'struct_specifier' ? pspec.childForFieldName('name')?.text : undefined;
    const type = typeOf(pspec.text, pstruct, ptr);
    if (typeof type === 'string') throw err(pspec, `a parameter of ${type} is not supported`);
    params.push({ name: pd.text, type, node: pd });
  }
  return { name: nameNode.text, returns, params };
}

function field2(src: SourceInfo, node: Node, name: string): Node {
  const c = node.childForFieldName(name);
  if (c === null) throw errorAt(src, node, `${node.type} without its ${name}`);
  return c;
}

/** Options of cVariant(). @remarks Since 0.1.0 */
export interface CVariantOptions {
  /** The file name errors name (default `<c>`). */
  readonly file?: string;
}

/** Options of cFunction(). @remarks Since 0.1.0 */
export interface CFunctionOptions extends CVariantOptions {
  /** Plain functions the C may call by name (helpers the source does not define), with no step. */
  readonly externs?: Externs;
  /** The kernel configuration `#ifdef` and IS_ENABLED() ask (default: memcg on). */
  readonly config?: { readonly memcgEnabled: boolean };
}

interface Compiled {
  readonly src: SourceInfo;
  readonly defs: readonly Node[];
  readonly functions: ReadonlyMap<string, CFunction>;
}

function compileSource(source: string, file: string, check: (c: Omit<Compiled, 'functions'> & { functions: Map<string, CFunction> }) => void, externs: ReadonlySet<string>, outsideKernel: boolean): Compiled {
  const src: SourceInfo = { file, lines: source.split('\n') };
  const tree = parseC(source);
  const bad = firstSyntaxError(tree.rootNode);
  if (bad !== undefined) {
    throw errorAt(src, bad, bad.isMissing ? `syntax error: missing '${bad.type}'` : `syntax error near '${bad.text.split('\n')[0]?.slice(0, 40) ?? ''}'`);
  }
  const defs: Node[] = [];
  for (const n of tree.rootNode.namedChildren) {
    if (n === null || n.type === 'comment') continue;
    if (n.type === 'function_definition') { defs.push(n); continue; }
    if (IGNORED_TOP.test(n.text)) continue;
    if (n.type === 'preproc_include') continue;
    throw errorAt(src, n, n.type === 'declaration'
      ? 'a top-level declaration (global variable or prototype) is not supported: paste function definitions'
      : `'${n.type}' at the top level is not supported: paste function definitions`);
  }
  if (defs.length === 0) throw new Error(`${src.file}: no function definition found: paste the patched kernel function, e.g. 'void __free_pages(struct page *page, unsigned int order) { ... }'`);
  const functions = new Map<string, CFunction>();
  const sigs = new Map<string, Signature>();
  for (const def of defs) {
    const sig = signature(src, def);
    if (functions.has(sig.name)) throw errorAt(src, def, `function '${sig.name}' is defined twice`);
    functions.set(sig.name, { name: sig.name, node: def, returns: sig.returns, params: sig.params });
    sigs.set(sig.name, sig);
  }
  check({ src, defs, functions });
  for (const fn of functions.values()) {
    const sig = sigs.get(fn.name) as Signature;
    const ctx = new FnContext(src, fn, functions, externs, outsideKernel);
    const kernel = KERNEL_NAMES.has(fn.name) && !outsideKernel;
    const arity = kernel ? modelArity(fn.name) : sig.params.length;
    if (kernel && sig.params.length < arity) {
      throw errorAt(src, fn.node, `${fn.name}() has ${sig.params.length} parameter${sig.params.length === 1 ? '' : 's'}, the model's passes ${arity}`);
    }
    sig.params.forEach((p, i) => {
      ctx.declare(p.node, p.name, p.type, i < arity ? undefined : `parameter '${p.name}' is not passed by the model's ${fn.name}() (it passes ${arity} argument${arity === 1 ? '' : 's'})`);
    });
    fn.body = compileStmt(ctx, field(ctx, fn.node, 'body'));
    fn.slots = ctx.slots;
  }
  return { src, defs, functions };
}

/**
 * Compiles kernel C to kernel overrides: every function of the source named
 * like a kernel function of the model replaces it, with one load or store step
 * per struct page, folio or slab field access and the model's own steps for
 * each kernel function it calls. Throws a {@link CFrontError} (file, line,
 * column, construct) for what it cannot compile.
 * @example
 * const overrides = cVariant(`
 *   void __free_pages(struct page *page, unsigned int order)
 *   {
 *     if (put_page_testzero(page))
 *       free_the_page(page, order);
 *   }`);
 * @remarks Since 0.1.0
 */
export function cVariant(source: string, options: CVariantOptions = {}): KernelOverrides {
  const { functions } = compileSource(source, options.file ?? '<c>', ({ src, defs, functions: fns }) => {
    if (![...fns.keys()].some((n) => KERNEL_NAMES.has(n))) {
      throw errorAt(src, defs[0] as Node, `no function here is a kernel function of the model (${[...fns.keys()].join(', ')}): name the function you patch as the kernel does; KERNEL_FUNCTIONS lists the model's`);
    }
  }, new Set(), false);
  const overrides: Record<string, unknown> = {};
  for (const fn of functions.values()) {
    if (!KERNEL_NAMES.has(fn.name)) continue;
    const n = fn.params.length;
    const body = function* (k: Kernel, ...args: unknown[]) { return yield* invoke(fn, k, args.slice(0, n)); };
    // A spec's fingerprint hashes its overrides' text: make it the C source, so each C variant has its own.
    Object.defineProperty(body, 'toString', { value: () => source });
    overrides[fn.name] = body;
  }
  return overrides as KernelOverrides;
}

/**
 * Compiles one C function that makes no model step (a pure computation such
 * as calc_anonymous_folio_order()) to a plain function: struct arguments are
 * the objects you pass (vm_fault, vm_area_struct, kmem_cache), an out-parameter
 * (`int *order_out`) is a `{ value }` you pass and read back, and the helpers it
 * calls that the source does not define are `externs`. It cannot call kernel
 * functions or touch struct page words: that is cVariant()'s.
 * @example
 * const calc = cFunction(source, 'calc_anonymous_folio_order', { externs: { check_all_ptes_none } });
 * const order = { value: 4 }, addr = { value: 0 };
 * calc(vmf, order, addr);
 * @remarks Since 0.1.0
 */
export function cFunction(source: string, name: string, options: CFunctionOptions = {}): (...args: unknown[]) => unknown {
  const externs = options.externs ?? {};
  const { functions, src } = compileSource(source, options.file ?? '<c>', ({ src: s, defs, functions: fns }) => {
    if (!fns.has(name)) throw errorAt(s, defs[0] as Node, `no function '${name}' here (${[...fns.keys()].join(', ')})`);
  }, new Set(Object.keys(externs)), true);
  const fn = functions.get(name) as CFunction;
  const k = (options.config ?? { memcgEnabled: true, rcuEnabled: false }) as unknown as Kernel;
  return (...args: unknown[]) => {
    if (args.length !== fn.params.length) throw new TypeError(`${src.file}: ${name}() takes ${fn.params.length} arguments, got ${args.length}`);
    const r = invoke(fn, k, args, externs).next();
    if (r.done !== true) throw new Error(`${src.file}: ${name}() made a model step: cFunction() code runs outside a kernel; use cVariant()`);
    return r.value;
  };
}
