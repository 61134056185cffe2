import type { Op, RmwKind } from '../engine/op.js';
import type { Execution } from '../engine/execution.js';
import type { Machine, Show } from '../machine/machine.js';
import type { SymbolTable } from '../machine/symbols.js';
import type { Shadow } from '../checkers/shadow.js';
import type { Violation, ViolationKind } from '../checkers/violation.js';

/**
 * The kernel context: what a kernel module (page-ref.ts, page-alloc.ts, ...)
 * and a checker may use of a kernel. Modules and checkers import this file,
 * never the assembler (kernel.ts), so the kernel has no import cycle.
 *
 * Inside a module, `this: Kernel` is this interface; the `Kernel` class of
 * kernel.ts implements it. Each module adds its functions to
 * {@link KernelFunctions} with a `declare module './context.js'` block, so a
 * module calls another's functions (`this.compound_head(page)`) typed, without
 * importing it.
 */

/** What a kernel function returns to `yield*`: a generator of ops whose result is R. */
export type KGen<R> = Generator<Op, R, number>;

/**
 * Every kernel function, by name: each kernel module merges its functions in
 * (`interface KernelFunctions extends MethodsOf<typeof pageRef> {}`).
 * @remarks Since 0.1.0
 */
export interface KernelFunctions {}

/** Names of every kernel function a variant may replace or wrap. */
export type KernelFunctionName = keyof KernelFunctions;

/** A module's functions as methods of a kernel: their `this` parameter dropped. @remarks Since 0.1.0 */
export type MethodsOf<T> = {
  [K in keyof T]: T[K] extends (this: KernelContext, ...args: infer A) => infer R ? (...args: A) => R : never;
};

/** A memory cgroup: its symbol and the words of its page_counter. */
export interface MemCgroup {
  readonly name: string;
  readonly addr: number;
  /** memcg->memory.usage (page_counter). */
  readonly usage: number;
  /** memcg->memory.max. */
  readonly max: number;
  /** memcg->css reference count. */
  readonly css: number;
}

/** An RCU callback: what `rcu_head.func` points at. */
export type RcuCallback = (k: KernelContext, head: number) => KGen<void>;

/** A movable_operations table: isolate_page and friends, for a driver's movable pages (zsmalloc, balloon). */
export type IsolatePage = (k: KernelContext, page: number) => KGen<boolean>;

/** The zone's words: its lock, free lists and counters. */
export interface Zone {
  readonly lock: number;
  /** Location of free_area[order].free_list's list_head (next at loc, prev at loc + 1). */
  readonly freeList: readonly number[];
  /** The list heads' addresses. */
  readonly freeListAddr: readonly number[];
  /** Location of free_area[order].nr_free. */
  readonly nrFree: readonly number[];
  /** NR_FREE_PAGES vmstat counter. */
  readonly nrFreePages: number;
}

/** An event in a page's life, given to instrumentation hooks. */
export interface PageEvent {
  readonly pfn: number;
  readonly what: string;
  readonly thread: string;
  readonly step: number;
}

/** Instrumentation hooks. */
export interface KernelHooks {
  /** Every page_owner-style event: allocations, frees, gets and puts. */
  onEvent?(k: KernelContext, event: PageEvent): void;
}

/**
 * A kernel as its modules, checkers, invariants and hooks see it: the machine,
 * the shadow, the checked word accessors, reporting, and every kernel function.
 * The Kernel class implements it.
 * @remarks Since 0.1.0
 */
export interface KernelContext extends KernelFunctions {
  readonly m: Machine;
  readonly shadow: Shadow;
  symbols: SymbolTable;
  exec: Execution;
  /** MAX_ORDER (exclusive, as in v5.10). */
  readonly MAX_ORDER: number;
  readonly zone: Zone;
  readonly memcgEnabled: boolean;
  /** Spinlock names, by location. */
  readonly lockNames: Map<number, string>;
  /** Which thread holds each lock (spinlocks by location, bit locks by a negative key). */
  readonly lockOwner: Map<number, number>;
  readonly rcuEnabled: boolean;
  /** RCU words: per-thread nesting (index tid + 1) and the count of queued callbacks. */
  readonly rcu: { readonly nesting: number; readonly pending: number };
  readonly rcuNest: number[];
  readonly rcuQueue: number[];
  readonly rcuCallbacks: Map<number, RcuCallback>;
  /** movable_operations tables, by address: their isolate_page(). */
  readonly movableOps: Map<number, IsolatePage>;

  // ---- checked word access (access.ts) --------------------------------------------
  ld(pfn: number, slot: number, fn: string, show?: Show): Op;
  st(pfn: number, slot: number, value: number, fn: string): Op;
  st32(pfn: number, slot: number, value: number, fn: string): Op;
  stRmw(pfn: number, slot: number, value: number, fn: string): Op;
  rmw(pfn: number, slot: number, kind: RmwKind, a: number, b: number, fn: string, show?: Show): Op;
  /** A struct page pointer, checked: a wild pointer is reported. */
  validPage(pfn: number, fn: string): number;

  // ---- reporting (checkers/policy.ts) ------------------------------------------------
  /** Name of the running thread (or setup/teardown). */
  threadName(): string;
  /** A fatal violation (BUG, a wild pointer): report it and stop the run. */
  bug(kind: ViolationKind, message: string, pfn: number): never;
  /** A violation the kernel reports and continues after (Bad page state, KASAN, WARN). */
  warn(kind: ViolationKind, message: string, pfn: number): void;
  /** Records a page_owner-style event about `span` pages from `pfn`; `what` may be built lazily. */
  note(pfn: number, what: string | (() => string), span?: number): void;
  /** Records an event whose text is `fmt(a, b)`, built when a report needs it. */
  noteFormat(pfn: number, fmt: (a: number, b: number) => string, a: number, b: number, span?: number): void;

  // ---- the shadow and the checkers' entry points --------------------------------------
  enterAllocator(): void;
  leaveAllocator(): void;
  /** True while the running thread is inside the allocator (its stores to free pages are its own). */
  inAllocator(): boolean;
  /** A reference taken or dropped on a page (get_page, put_page): the page must be live. */
  checkLive(pfn: number, fn: string): void;
  /** Page contents accessed (memset, copy): KASAN's use-after-free check. */
  touchData(pfn: number, order: number, what: string): void;
  /** A folio's page[i] must belong to the folio's own allocation. */
  checkFolioPage(f: number, i: number, what: string): void;
  /** A lockless lookup found `pfn` in its slot (`found`, -1 for no page) or returns it (`return`). */
  checkLookup(what: 'found' | 'return', pfn: number, where: string): void;
  /** A thread releases a lock (a spinlock's location, or a bit lock's negative key): it must hold it. */
  checkUnlock(lock: number, call: string, pfn: number): void;
  shadowAlloc(pfn: number, order: number, gfp: number): void;
  shadowFree(pfn: number, order: number): void;
  shadowSplit(pfn: number, order: number): void;
  shadowCharge(pfn: number, memcgName: string, nr: number): void;
  shadowUncharge(memcg: string, nr: number): void;
  /** True for pages bad_page() took out of circulation. */
  isQuarantined(pfn: number): boolean;
  /** bad_page(): the page is left out of the allocator on purpose; not a leak. */
  quarantine(pfn: number): void;

  // ---- zone, memcg, symbols, locks, RCU ------------------------------------------------
  inZone(pfn: number): boolean;
  /** The struct page whose lru a free-list entry points at. */
  lruEntry(addr: number, fn: string): number;
  checkGfp(gfp: number, fn: string): void;
  currentMemcg(): MemCgroup | undefined;
  /** The test cgroup, for checks in specs. */
  readonly memcg: MemCgroup | undefined;
  memcgAt(addr: number, pfn: number, fn: string): MemCgroup;
  symbolName(addr: number): string;
  /** The address of a symbol by name. */
  symbolAddr(name: string): number;
  /** A spinlock's name for diagrams. */
  lockName(lock: number): string;
  /** A thread's RCU nesting word, as the thread itself last wrote it. */
  rcuWord(tid: number): number;
  /** Defines a kernel function that words can point at (an RCU callback such as rcu_free_slab). */
  defineFunction(name: string, fn: RcuCallback, lowBits?: number): number;
  /** Reserves `words` global words for an object (an rcu_head, a list head) and returns its address. */
  object(name: string, words?: number): number;
  /** Defines a movable_operations table (a driver's, such as zsmalloc's) and returns its address. */
  defineMovableOps(name: string, isolate_page: IsolatePage): number;

  // ---- for specs, tests and invariants -------------------------------------------------
  /** The pfn of the i-th page of the zone. */
  pfn(i: number): number;
  /** Names a page for race diagrams (`P0`). */
  name(pfn: number, label: string): void;
  /** How a diagram names a page. */
  describe(pfn: number): string;
  /** Reads a struct page slot directly (tests and checkers; not a step). */
  peek(pfn: number, slot: number): number;
  /** Free pages per the zone's counter (not a step). */
  readonly nrFreePages: number;
  /** Violations so far. */
  readonly violations: readonly Violation[];
  /** The call frames of a thread (outermost first), tracked in recorded runs. */
  framesOf(tid: number): readonly string[];
  callOf(tid: number): number;
}

/** Inside kernel modules, `Kernel` names the context: the kernel a function runs in. */
export type Kernel = KernelContext;

/** How a report names a pfn. */
export function describePfn(pfn: number): string {
  return Number.isInteger(pfn) ? `pfn:${pfn.toString(16)}` : String(pfn);
}
