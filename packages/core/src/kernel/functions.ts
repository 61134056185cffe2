import type { Kernel, KernelFunctionName } from './context.js';
import { list } from './list.js';
import { pageRef } from './page-ref.js';
import { pageFlagsOps } from './page-flags-ops.js';
import { pageAlloc } from './page-alloc.js';
import { failPageAlloc } from './fail-page-alloc.js';
import { pageFree } from './page-free.js';
import { memcg } from './memcg.js';
import { folio } from './folio.js';
import { data } from './data.js';
import { locks } from './locks.js';
import { rcu } from './rcu.js';
import { slab } from './slab.js';
import { migrate } from './migrate.js';
import { thpRefcount } from './thp-refcount.js';
import { hugeMemory } from './huge-memory.js';
import { anon } from './anon.js';
import { pcp } from './pcp.js';
import { xarray } from './xarray.js';
import { filemap } from './filemap.js';
import { currentCall, driven, installKernelCall, isGeneratorFunction } from './sync-call.js';

/**
 * The kernel functions: every module's, put on the Kernel prototype, and the
 * variant's overrides and wrappers put on one kernel object. A new module is
 * one import and one entry in `KERNEL_MODULES`.
 */

type Fn = (...args: never[]) => unknown;

/** The kernel modules' types, spelled out so the emitted declarations keep `typeof` each module. */
export type KernelModules = {
  readonly list: typeof list;
  readonly pageRef: typeof pageRef;
  readonly pageFlagsOps: typeof pageFlagsOps;
  readonly pageAlloc: typeof pageAlloc;
  readonly failPageAlloc: typeof failPageAlloc;
  readonly pageFree: typeof pageFree;
  readonly memcg: typeof memcg;
  readonly folio: typeof folio;
  readonly data: typeof data;
  readonly locks: typeof locks;
  readonly rcu: typeof rcu;
  readonly slab: typeof slab;
  readonly migrate: typeof migrate;
  readonly thpRefcount: typeof thpRefcount;
  readonly hugeMemory: typeof hugeMemory;
  readonly anon: typeof anon;
  readonly pcp: typeof pcp;
  readonly xarray: typeof xarray;
  readonly filemap: typeof filemap;
};

/**
 * The kernel modules, by name: the files whose functions make up a kernel.
 * Exported so the emitted declarations import every module, and with them the
 * functions each module adds to KernelFunctions.
 */
export const KERNEL_MODULES: KernelModules = { list, pageRef, pageFlagsOps, pageAlloc, failPageAlloc, pageFree, memcg, folio, data, locks, rcu, slab, migrate, thpRefcount, hugeMemory, anon, pcp, xarray, filemap };

/** The list of kernel function names, for validation and documentation. */
export const KERNEL_FUNCTIONS: readonly KernelFunctionName[] = Object.values(KERNEL_MODULES).flatMap((m) => Object.keys(m).filter((n) => !n.includes('$'))) as KernelFunctionName[];

/**
 * One-step functions (build/leaf-ops.mjs) whose `f$op` goes through another one's: for each function, the
 * one-step functions whose calls inline it, and so must take their generators when it is replaced.
 */
const inlinedBy = new Map<string, string[]>();
/** The one-step functions' names. */
const oneStepNames: string[] = [];

/**
 * Puts every module's functions on a prototype (the Kernel class's): a generator function as its
 * generator, its sync twin (added by the build, ../../build/sync-twins.mjs) and its public entry
 * (sync-call.ts); any other function as it is.
 */
export function defineKernelFunctions(proto: object): void {
  for (const mod of Object.values(KERNEL_MODULES)) {
    const fns = mod as unknown as Record<string, Fn>;
    for (const [name, fn] of Object.entries(fns)) {
      if (name.endsWith('$sync')) continue;
      if (name.endsWith('$via')) {
        const callee = fn as unknown as string;
        inlinedBy.set(callee, [...(inlinedBy.get(callee) ?? []), name.slice(0, -'$via'.length)]);
      } else if (isGeneratorFunction(fn)) {
        installKernelCall(proto, name, fn, fns[`${name}$sync`] as never);
        // A one-step function (build/leaf-ops.mjs): calls of it yield its op with no generator.
        if (typeof fns[`${name}$op`] === 'function') {
          Object.defineProperty(proto, `${name}$fast`, { value: true, writable: true, configurable: true });
          oneStepNames.push(name);
        }
      } else Object.defineProperty(proto, name, { value: fn, writable: true, configurable: true });
    }
  }
}

/**
 * Turns the one-step calls of every kernel built on `proto` on or off (tests compare the two ways); returns
 * the one-step functions' names. @internal
 */
export function setOneStepCalls(proto: object, on: boolean): readonly string[] {
  for (const name of oneStepNames) (proto as Record<string, unknown>)[`${name}$fast`] = on;
  return oneStepNames;
}

/**
 * Calls of one-step function `name` on kernel `k`, and of those that go through it, take their generators
 * (`name$g`): for a kernel where `name` is replaced or its calls tracked. @internal
 */
export function callThroughGenerators(k: object, name: string): void {
  const self = k as Record<string, unknown>;
  if (self[`${name}$fast`] === undefined || Object.prototype.hasOwnProperty.call(k, `${name}$fast`)) return;
  Object.defineProperty(k, `${name}$fast`, { value: false, writable: true, configurable: true });
  for (const caller of inlinedBy.get(name) ?? []) callThroughGenerators(k, caller);
}

/** Installs a config's overrides and wrappers on one kernel object, checking each name and shape. */
export function installVariant(k: Kernel, config: { readonly overrides?: object; readonly wrap?: object }): void {
  const self = k as unknown as Record<string, Fn>;
  for (const [name, body] of Object.entries(config.overrides ?? {})) {
    checkName(name, 'overrides');
    if (typeof body !== 'function') throw new TypeError(`kernel.overrides.${name} must be a generator function (k, ...args), got ${typeof body}`);
    const b = body as (k: Kernel, ...args: unknown[]) => unknown;
    replace(k, name, ((...args: unknown[]) => b(k, ...args)) as Fn);
  }
  for (const [name, wrapper] of Object.entries(config.wrap ?? {})) {
    checkName(name, 'wrap');
    if (typeof wrapper !== 'function') throw new TypeError(`kernel.wrap.${name} must be a function (original, k) => replacement, got ${typeof wrapper}`);
    const original = typeof self[`${name}$g`] === 'function' ? (currentCall(k, name) as Fn) : (self[name] as Fn).bind(k);
    const w = wrapper as unknown as (o: Fn, k: Kernel) => Fn;
    const replacement = w(original, k);
    if (typeof replacement !== 'function') throw new TypeError(`kernel.wrap.${name} must return the replacement function, got ${typeof replacement}`);
    replace(k, name, replacement);
  }
}

/**
 * Replaces kernel function `name` on one kernel. A generator function of the kernel's becomes the
 * user's function for threads (`name$g`), driven step by step in sequential runs (`name$sync`, no
 * twin: user code is not transformed), behind the same lazy entry; any other function is replaced as it is.
 */
function replace(k: Kernel, name: string, fn: Fn): void {
  const self = k as unknown as Record<string, Fn>;
  if (typeof self[`${name}$g`] !== 'function') {
    self[name] = fn;
    return;
  }
  installKernelCall(k, name, fn as never, driven(fn as never));
  callThroughGenerators(k, name);
}

function checkName(name: string, where: string): void {
  if (!(KERNEL_FUNCTIONS as readonly string[]).includes(name)) {
    throw new Error(`kernel.${where}: unknown kernel function '${name}'; functions that can be replaced: ${KERNEL_FUNCTIONS.join(', ')}`);
  }
}
