import { StopRun, type Execution, type ThreadBody } from '../engine/execution.js';
import { standaloneExecution } from './standalone.js';
import { Machine } from '../machine/machine.js';
import { SymbolTable, type SymbolInfo } from '../machine/symbols.js';
import { NR_SLOTS } from '../machine/layout.js';
import { addrToPfn, globalAddr } from '../machine/addresses.js';
import { Shadow, type EventFormat } from '../checkers/shadow.js';
import { checkerSet } from '../checkers/checker.js';
import { builtinCheckers } from '../checkers/registry.js';
import { validateInvariants, type Invariant } from '../checkers/invariant.js';
import { reportBug, reportWarn } from '../checkers/policy.js';
import { violationsOf, ViolationError, type Violation, type ViolationKind } from '../checkers/violation.js';
export { ViolationError } from '../checkers/violation.js';
import { GFP_KNOWN, gfpName } from './gfp.js';
import { describePfn, type IsolatePage, type KernelContext, type KernelFunctionName, type KernelFunctions, type KernelHooks, type KGen, type MemCgroup, type RcuCallback, type Zone } from './context.js';
import { kernelGeometry, type KernelConfigOf, type OverridesOf, type WrappersOf } from './config.js';
export type { MemcgConfig } from './config.js';
import { allocTestMemcg, allocZone, initMemmap } from './boot.js';
import { restoreSnapshot, saveSnapshot, type KernelSnapshot, type RunState } from './snapshot.js';
import { describeArg, trackFrames } from './frames.js';
import { CheckedAccess } from './access.js';
import { defineKernelFunctions, installVariant, KERNEL_FUNCTIONS } from './functions.js';
import { rcuDaemon } from './rcu.js';
import { setupPcp, type PerCpuState } from './pcp.js';
import { defineSharedState, type SharedState, type SharedWord } from './shared-state.js';
import { safeString } from '../engine/safe-string.js';

/**
 * The assembler: the Kernel class wires the rooms of this folder together.
 * boot.ts reserves the words and fills the free lists, snapshot.ts saves and
 * restores a run's state, frames.ts tracks call stacks, access.ts checks word
 * accesses, functions.ts puts the modules' kernel functions on the prototype
 * and the variant's overrides on the object, and the checkers (../checkers)
 * are called at their points. Modules import context.ts, never this file.
 */

export type { KGen, KernelHooks, PageEvent, Zone, KernelFunctions, KernelFunctionName } from './context.js';
export type { KernelSnapshot } from './snapshot.js';
export type { Invariant, InvariantResult } from '../checkers/invariant.js';
export { checkFreeLists } from '../checkers/free-lists.js';
export { KERNEL_FUNCTIONS } from './functions.js';

// The texts of the shadow's events (page_owner-style history), from their numbers.
const ALLOCATED: EventFormat = (order, gfp) => `page allocated via order ${order}, gfp_mask ${gfpName(gfp)}`;
const FREED: EventFormat = (order) => `page freed, order ${order}`;
const SPLIT: EventFormat = (order) => `split_page order ${order}`;
const CHARGED: EventFormat = (nr) => `memcg charge ${nr} page(s)`;

/** Replacement bodies: `(k, ...args)` with the kernel function's arguments. */
export type KernelOverrides = OverridesOf<Kernel>;

/** Wrappers: given the original, return a replacement. */
export type KernelWrappers = WrappersOf<Kernel>;

/** How to build a kernel (config.ts has the fields). @remarks Since 0.1.0 */
export interface KernelConfig extends KernelConfigOf<Kernel> {}

/**
 * The kernel model: struct pages, one zone's buddy allocator, memcg, folios.
 * Kernel functions are generator methods with kernel names; call them with
 * `yield*` from a thread. Build one with `createKernel`.
 * @remarks Since 0.1.0
 */
export class Kernel extends CheckedAccess implements KernelContext {
  readonly shadow: Shadow;
  symbols = new SymbolTable();
  exec: Execution;
  /** MAX_ORDER (exclusive, as in v5.10). */
  readonly MAX_ORDER: number;
  readonly zone: Zone;
  readonly memcgEnabled: boolean;
  private readonly memcgs = new Map<number, MemCgroup>();
  private readonly testMemcg: MemCgroup | undefined;
  private readonly names = new Map<number, string>();
  private readonly allocDepth: number[] = [0];
  private readonly quarantined = new Set<number>();
  private readonly frames: string[][] = [];
  /** The number of each thread's outermost call (frames.ts), recorded runs only. */
  private readonly calls: number[] = [];
  /** Spinlock names, by location. */
  readonly lockNames = new Map<number, string>();
  /** Which thread holds each lock (spinlocks by location, bit locks by a negative key). */
  readonly lockOwner = new Map<number, number>();
  readonly rcuEnabled: boolean;
  /** The per-cpu page lists and the CPU of each thread (pcp.ts). */
  readonly percpu: PerCpuState;
  /** RCU words: per-thread nesting (index tid + 1) and the count of queued callbacks. */
  readonly rcu: { readonly nesting: number; readonly pending: number };
  readonly rcuNest: number[] = [];
  readonly rcuQueue: number[] = [];
  readonly rcuCallbacks = new Map<number, RcuCallback>();
  /** movable_operations tables, by address: their isolate_page(). */
  readonly movableOps = new Map<number, IsolatePage>();
  readonly sharedWords = new Map<string, SharedWord>(); // declared with sharedWord(), by name
  readonly invariants: readonly Invariant[];
  private readonly hooks: KernelHooks;

  constructor(config: KernelConfig = {}, exec?: Execution, from?: KernelSnapshot) {
    const g = kernelGeometry(config);
    const invariants = validateInvariants(config.invariants);
    super(new Machine(g.startPfn, g.pages, g.nrGlobals), checkerSet(builtinCheckers(invariants)));
    this.invariants = invariants;
    this.MAX_ORDER = g.maxOrder;
    this.memcgEnabled = config.memcg !== false;
    this.hooks = config.hooks ?? {};
    this.rcuEnabled = config.rcu === true;
    this.shadow = new Shadow(g.startPfn, g.pages);
    this.shadow.history = config.history !== false;
    this.zone = allocZone(this.m, g.maxOrder);
    this.rcu = { nesting: this.m.allocGlobal('rcu nesting', 32), pending: this.m.allocGlobal('rcu callbacks queued') };
    this.percpu = setupPcp(this, config);
    if (this.memcgEnabled) {
      this.testMemcg = allocTestMemcg(this.m, this.symbols, g.memcgLimit);
      this.memcgs.set(this.testMemcg.addr, this.testMemcg);
    }
    if (from === undefined) initMemmap(this.m, this.zone, this.MAX_ORDER);
    else this.symbols = restoreSnapshot(this.runState(), from);
    this.exec = exec ?? standaloneExecution();
    if (exec === undefined) this.exec.attach(this.m.memory);
    installVariant(this, config);
    if (this.exec.trace !== undefined) trackFrames(this, Kernel.prototype, KERNEL_FUNCTIONS, this.frames, (a) => this.describeArg(a), this.calls);
  }

  // ---- runs and snapshots (snapshot.ts) ---------------------------------------------

  /**
   * Starts a new run on this kernel object from a snapshot, instead of building
   * a new kernel: the words, the shadow and every per-run table are put back as
   * they were after setup. Only for runs that record no trace.
   */
  reset(exec: Execution, from: KernelSnapshot): void {
    this.exec = exec;
    this.symbols = restoreSnapshot(this.runState(), from, this.symbols);
  }

  /** The kernel's state after setup, to start later runs from without running setup again. */
  snapshot(): KernelSnapshot {
    return saveSnapshot(this.runState(), this.symbols);
  }

  private runState(): RunState {
    return {
      m: this.m, shadow: this.shadow, names: this.names, quarantined: this.quarantined, lockNames: this.lockNames, lockOwner: this.lockOwner,
      rcuNest: this.rcuNest, rcuQueue: this.rcuQueue, rcuCallbacks: this.rcuCallbacks, movableOps: this.movableOps, allocDepth: this.allocDepth, frames: this.frames,
      sharedWords: this.sharedWords,
    };
  }

  /** Daemon threads this kernel runs beside the spec's threads (the RCU callback thread). */
  daemons(): ThreadBody[] {
    return this.rcuEnabled ? [rcuDaemon(this)] : [];
  }

  /** The call frames of a thread (outermost first), tracked in recorded runs. */
  framesOf(tid: number): readonly string[] {
    return (this.frames[tid + 1] ?? []).slice();
  }

  /** Which outermost call a thread is in (a number per call, recorded runs only): repeated calls stay apart in a diagram. @internal */
  callOf(tid: number): number {
    return this.calls[tid + 1] ?? 0;
  }

  /** How a call argument is shown in a diagram: named pages by name, other numbers as they are. @internal */
  describeArg(a: unknown): string {
    return describeArg(this, this.names, a);
  }

  // ---- objects, symbols, locks, RCU ----------------------------------------------------

  /** A spinlock's name for diagrams. @internal */
  lockName(lock: number): string {
    return this.lockNames.get(lock) ?? this.m.globalName(lock);
  }

  /** A thread's RCU nesting word, as the thread itself last wrote it. @internal */
  rcuWord(tid: number): number {
    return this.rcuNest[tid + 1] ?? 0;
  }

  /**
   * Defines a kernel function that words can point at (an RCU callback such as
   * rcu_free_slab). `lowBits` gives its address low bits, as -Os builds may.
   */
  defineFunction(name: string, fn: RcuCallback, lowBits = 0): number {
    const sym = this.symbols.add(name, 'function', { lowBits });
    this.rcuCallbacks.set(sym.addr, fn);
    return sym.addr;
  }

  /** Reserves `words` global words for an object (an rcu_head, a list head) and returns its address. */
  object(name: string, words = 2): number {
    return globalAddr(this.m.allocGlobal(name, words));
  }

  /** Defines a movable_operations table (a driver's, such as zsmalloc's) and returns its address. */
  defineMovableOps(name: string, isolate_page: IsolatePage): number {
    const sym = this.symbols.add(name, 'movable_operations');
    this.movableOps.set(sym.addr, isolate_page);
    return sym.addr;
  }

  /** The address of a symbol by name. */
  symbolAddr(name: string): number {
    return this.symbols.has(name) ? this.symbols.get(name).addr : -1;
  }

  symbolName(addr: number): string {
    const s: SymbolInfo | undefined = this.symbols.at(addr);
    return s?.name ?? `0x${(addr >>> 0).toString(16)}`;
  }

  // ---- reporting (../checkers/policy.ts) ---------------------------------------------

  /** Name of the running thread (or setup/teardown). */
  threadName(): string {
    return this.exec.currentName;
  }

  /** A fatal violation (BUG, a wild pointer): report it and stop the run. */
  bug(kind: ViolationKind, message: string, pfn: number): never {
    return reportBug(this, kind, message, pfn);
  }

  /** A violation the kernel reports and continues after (Bad page state, KASAN, WARN). */
  warn(kind: ViolationKind, message: string, pfn: number): void {
    reportWarn(this, kind, message, pfn);
  }

  /** Records a page_owner-style event about `span` pages from `pfn`; `what` may be built lazily. */
  note(pfn: number, what: string | (() => string), span = 1): void {
    const thread = this.threadName();
    const step = this.exec.phase === 'setup' ? -1 : this.exec.step;
    this.shadow.note(pfn, what, thread, step, span);
    if (this.hooks.onEvent !== undefined) this.hooks.onEvent(this, { pfn, what: typeof what === 'string' ? what : what(), thread, step });
  }

  /** Records an event whose text is `fmt(a, b)`, built when a report needs it (`fmt` a static function: no closure per event). @internal */
  noteFormat(pfn: number, fmt: EventFormat, a: number, b: number, span = 1): void {
    const thread = this.threadName();
    const step = this.exec.phase === 'setup' ? -1 : this.exec.step;
    this.shadow.noteFormat(pfn, fmt, a, b, thread, step, span);
    if (this.hooks.onEvent !== undefined) this.hooks.onEvent(this, { pfn, what: fmt(a, b), thread, step });
  }

  // ---- the shadow and the checkers' points -------------------------------------------

  /** @internal */
  enterAllocator(): void {
    this.allocDepth[this.exec.current + 1] = (this.allocDepth[this.exec.current + 1] ?? 0) + 1;
  }
  /** @internal */
  leaveAllocator(): void {
    this.allocDepth[this.exec.current + 1]! -= 1;
  }
  /** @internal */
  inAllocator(): boolean {
    return (this.allocDepth[this.exec.current + 1] ?? 0) > 0;
  }

  /** The allocator hands out [pfn, pfn + 2^order): the shadow records it, then the checkers look. @internal */
  shadowAlloc(pfn: number, order: number, gfp: number): void {
    const { clash } = this.shadow.allocate(pfn, order, gfp);
    for (let i = 0; i < 1 << order; i++) this.quarantined.delete(pfn + i);
    this.noteFormat(pfn, ALLOCATED, order, gfp, 1 << order);
    this.allocated(pfn, order, clash);
  }

  /**
   * At the start of a free: the checkers look (a double free), then the pages
   * count as free from here on. If the kernel then finds a bad page, the block
   * is quarantined instead.
   * @internal
   */
  shadowFree(pfn: number, order: number): void {
    if (!this.m.valid(pfn) || !this.m.valid(pfn + (1 << order) - 1)) this.bug('wild-deref', `free of ${describePfn(pfn)} order ${order}: outside the memmap`, -1);
    this.noteFormat(pfn, FREED, order, 0, 1 << order);
    this.freeing(pfn, order);
    this.shadow.release(pfn, order);
  }

  /** split_page(): the block becomes 2^order order-0 allocations. @internal */
  shadowSplit(pfn: number, order: number): void {
    this.shadow.split(pfn, order);
    this.noteFormat(pfn, SPLIT, order, 0, 1 << order);
  }

  /** The allocation at pfn was charged `nr` pages to a memcg. @internal */
  shadowCharge(pfn: number, memcgName: string, nr: number): void {
    this.shadow.charge(pfn, memcgName, nr);
    this.noteFormat(pfn, CHARGED, nr, 0);
  }

  /** @internal */
  shadowUncharge(_memcg: string, _nr: number): void {
    // The ledger is the live allocations; see checkers/memcg-balance.ts.
  }

  /** True for pages bad_page() took out of circulation. @internal */
  isQuarantined(pfn: number): boolean {
    return this.quarantined.has(pfn);
  }

  /** bad_page(): the page is left out of the allocator on purpose; not a leak. @internal */
  quarantine(pfn: number): void {
    this.quarantined.add(pfn);
  }

  // ---- zone, memcg ---------------------------------------------------------------------

  /** @internal */
  inZone(pfn: number): boolean {
    return this.m.valid(pfn);
  }

  /** The struct page whose lru a free-list entry points at. @internal */
  lruEntry(addr: number, fn: string): number {
    const pfn = addrToPfn(addr - 8);
    if (pfn < 0 || !this.m.valid(pfn)) this.bug('buddy-corruption', `${fn}: free list entry 0x${(addr >>> 0).toString(16)} is not a struct page's lru`, -1);
    return pfn;
  }

  /** @internal */
  checkGfp(gfp: number, fn: string): void {
    if (!Number.isInteger(gfp) || (gfp & ~GFP_KNOWN) !== 0 || gfp < 0) {
      throw new RangeError(`${fn}: gfp_mask 0x${Number(gfp).toString(16)} has bits the model does not know; use the GFP_* constants`);
    }
  }

  /** @internal */
  currentMemcg(): MemCgroup | undefined {
    return this.testMemcg;
  }

  /** The test cgroup, for checks in specs. */
  get memcg(): MemCgroup | undefined {
    return this.testMemcg;
  }

  /** @internal */
  memcgAt(addr: number, pfn: number, fn: string): MemCgroup {
    const mc = this.memcgs.get(addr);
    if (mc === undefined) this.bug('wild-deref', `${fn}: memcg_data points at 0x${(addr >>> 0).toString(16)}, not a mem_cgroup`, pfn);
    return mc;
  }

  // ---- for specs and tests -----------------------------------------------------------

  /** The pfn of the i-th page of the zone. */
  pfn(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.m.nrPages) {
      throw new RangeError(`page index ${safeString(i)} is out of range: this kernel has pages 0..${this.m.nrPages - 1}`);
    }
    return this.m.startPfn + i;
  }

  /** Names a page for race diagrams (`P0`). */
  name(pfn: number, label: string): void {
    this.names.set(pfn, label);
  }

  /** How a diagram names a page. */
  describe(pfn: number): string {
    return this.names.get(pfn) ?? describePfn(pfn);
  }

  /** Reads a struct page slot directly (tests and checkers; not a step). */
  peek(pfn: number, slot: number): number {
    if (!this.m.valid(pfn)) throw new RangeError(`peek: ${describePfn(pfn)} is outside the memmap`);
    return this.m.peek(pfn, slot);
  }

  /** Free pages per the zone's counter (not a step). */
  get nrFreePages(): number {
    return this.m.words[this.zone.nrFreePages]!;
  }

  /** Violations so far. */
  get violations(): readonly Violation[] {
    return violationsOf(this.exec);
  }

  /**
   * Runs kernel code to completion, with no other thread: `k.run(k.alloc_pages(GFP_KERNEL, 0))`.
   * Throws a ViolationError if the code hits a fatal violation.
   */
  run<R>(gen: KGen<R>, thread = 'main'): R {
    try {
      return this.exec.runSequential(gen, thread);
    } catch (e) {
      if (e instanceof StopRun) {
        const v = this.violations[this.violations.length - 1]!;
        this.exec.stopped = false;
        // Code stopped inside the allocator never left it: without this, later stores to free pages go unchecked.
        this.allocDepth[this.exec.current + 1] = 0;
        // Nor returned from its kernel functions: their frames go, as they do when a sync twin stops (sync-call.ts).
        const stack = this.frames[this.exec.current + 1];
        if (stack !== undefined) stack.length = 0;
        throw new ViolationError(v);
      }
      throw e;
    }
  }
}

export interface Kernel extends KernelFunctions, SharedState {}
defineKernelFunctions(Kernel.prototype);
defineSharedState(Kernel.prototype);

/**
 * Builds a kernel.
 * @example
 * ```ts
 * const k = createKernel({ pages: 16 });
 * const page = k.run(k.alloc_pages(GFP_KERNEL, 0))!;
 * k.run(k.__free_pages(page, 0));
 * ```
 * @remarks Since 0.1.0
 */
export function createKernel(config: KernelConfig = {}): Kernel {
  return new Kernel(config);
}

/** The number of words a kernel of `pages` pages uses (for sizing). */
export function kernelWords(pages: number): number {
  return pages * NR_SLOTS;
}
