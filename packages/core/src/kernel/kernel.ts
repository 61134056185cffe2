import type { Op, RmwKind } from '../engine/op.js';
import { Execution, StopRun, type Program } from '../engine/execution.js';
import type { ViolationKind } from '../engine/violation.js';
import { Machine, type Show } from '../machine/machine.js';
import { SymbolTable, type SymbolInfo } from '../machine/symbols.js';
import { LRU_NEXT, MAPCOUNT, NR_SLOTS, PRIVATE, REFCOUNT } from '../machine/layout.js';
import { addrToPfn, GLOBAL_BASE, globalAddr, MAX_PFN, pfnToAddr, VMEMMAP_BASE } from '../machine/addresses.js';
import { Shadow } from '../checkers/shadow.js';
import { checkCssBalance } from '../checkers/css-refs.js';
import { GFP_KNOWN, gfpName } from './gfp.js';
import { PG_buddy } from './page-flags.js';
import { list } from './list.js';
import { pageRef } from './page-ref.js';
import { pageFlagsOps, isBuddyType } from './page-flags-ops.js';
import { pageAlloc } from './page-alloc.js';
import { memcg, type MemCgroup } from './memcg.js';
import { folio } from './folio.js';
import { data } from './data.js';
import { locks } from './locks.js';
import { slab } from './slab.js';
import { migrate, type IsolatePage } from './migrate.js';
import { rcu, rcuDaemon, type RcuCallback } from './rcu.js';
import { thpRefcount } from './thp-refcount.js';
import { hugeMemory } from './huge-memory.js';
import { anon } from './anon.js';
import { sharedState, type SharedWord } from './shared-state.js';
import type { ThreadBody } from '../engine/execution.js';

/** What a kernel function returns to `yield*`: a generator of ops whose result is R. */
export type KGen<R> = Generator<Op, R, number>;

/** A custom invariant, checked at teardown (default) or after every step. */
export interface Invariant {
  readonly name: string;
  /** Returns a message when the invariant does not hold. */
  check(k: Kernel): string | undefined | void;
  readonly at?: 'teardown' | 'step';
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
  onEvent?(k: Kernel, event: PageEvent): void;
}

type Fn = (...args: never[]) => unknown;
type KernelMethods<T> = { [K in keyof T]: T[K] extends (this: Kernel, ...args: infer A) => infer R ? (...args: A) => R : never };

const modules = { list, pageRef, pageFlagsOps, pageAlloc, memcg, folio, data, locks, rcu , slab, migrate, thpRefcount, hugeMemory, anon};
type AllModules = typeof list & typeof pageRef & typeof pageFlagsOps & typeof pageAlloc & typeof memcg & typeof folio & typeof data & typeof locks & typeof rcu & typeof slab & typeof migrate & typeof thpRefcount & typeof hugeMemory & typeof anon;

/** Names of every kernel function a variant may replace or wrap. */
export type KernelFunctionName = keyof AllModules;

/** The list of kernel function names, for validation and documentation. */
export const KERNEL_FUNCTIONS: readonly KernelFunctionName[] = Object.values(modules).flatMap((m) => Object.keys(m)) as KernelFunctionName[];

/** Replacement bodies: `(k, ...args)` with the kernel function's arguments. */
export type KernelOverrides = {
  [K in KernelFunctionName]?: (k: Kernel, ...args: Parameters<Kernel[K]>) => ReturnType<Kernel[K]>;
};

/** Wrappers: given the original, return a replacement. */
export type KernelWrappers = {
  [K in KernelFunctionName]?: (original: Kernel[K], k: Kernel) => Kernel[K];
};

/** The memory cgroup configuration. */
export interface MemcgConfig {
  /** memory.max of the test cgroup, in pages (default: unlimited). */
  readonly limit?: number;
}

/** How to build a kernel. @remarks Since 0.1.0 */
export interface KernelConfig {
  /** Number of struct pages in the single zone (default 64). */
  readonly pages?: number;
  /** MAX_ORDER as in v5.10 (orders 0 .. MAX_ORDER-1); default min(11, log2(pages) + 1). */
  readonly maxOrder?: number;
  /** First pfn of the zone (default 1 << (maxOrder - 1)); must be aligned to the largest block. */
  readonly startPfn?: number;
  /** memcg: one test cgroup that every __GFP_ACCOUNT allocation is charged to; `false` for !CONFIG_MEMCG. */
  readonly memcg?: MemcgConfig | false;
  /** Replace kernel functions: this is how a patch revision becomes a variant. */
  readonly overrides?: KernelOverrides;
  /** Wrap kernel functions (instrumentation around the original). */
  readonly wrap?: KernelWrappers;
  readonly hooks?: KernelHooks;
  readonly invariants?: readonly Invariant[];
  /** Record page_owner-style history (default true). */
  readonly history?: boolean;
  /** Start the RCU callback thread, so call_rcu() callbacks run after grace periods the scheduler places (default false). */
  readonly rcu?: boolean;
  /** Global words to reserve for spinlocks and objects created in setup (default 64). */
  readonly globals?: number;
}

/** A kernel's state, saved after setup. */
export interface KernelSnapshot {
  readonly words: Int32Array;
  readonly shadow: ReturnType<Shadow['save']>;
  readonly names: ReadonlyMap<number, string>;
  readonly quarantined: ReadonlySet<number>;
  readonly globals: ReturnType<Machine['saveGlobals']>;
  readonly symbols: SymbolTable;
  readonly lockNames: ReadonlyMap<number, string>;
  readonly rcuCallbacks: ReadonlyMap<number, RcuCallback>;
  readonly movableOps: ReadonlyMap<number, IsolatePage>;
  readonly shared: ReadonlyMap<string, SharedWord>;
}

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

const DEFAULT_PAGES = 64;

/** Thrown by a standalone kernel's `run()` when the code it ran hit a fatal violation. */
export class ViolationError extends Error {
  constructor(readonly violation: { kind: ViolationKind; message: string }) {
    super(`${violation.kind}: ${violation.message}`);
    this.name = 'ViolationError';
  }
}

/**
 * The kernel model: struct pages, one zone's buddy allocator, memcg, folios.
 * Kernel functions are generator methods with kernel names; call them with
 * `yield*` from a thread. Build one with `createKernel`.
 * @remarks Since 0.1.0
 */
export class Kernel {
  readonly m: Machine;
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
  /** Spinlock names, by location. */
  readonly lockNames = new Map<number, string>();
  /** Which thread holds each lock (spinlocks by location, bit locks by a negative key). */
  readonly lockOwner = new Map<number, number>();
  readonly rcuEnabled: boolean;
  /** RCU words: per-thread nesting (index tid + 1) and the count of queued callbacks. */
  readonly rcu: { readonly nesting: number; readonly pending: number };
  readonly rcuNest: number[] = [];
  readonly rcuQueue: number[] = [];
  readonly rcuCallbacks = new Map<number, RcuCallback>();
  /** movable_operations tables, by address: their isolate_page(). */
  readonly movableOps = new Map<number, IsolatePage>();
  /** Shared words declared with sharedWord(), by name. @internal */
  readonly sharedWords = new Map<string, SharedWord>();
  readonly invariants: readonly Invariant[];
  private readonly hooks: KernelHooks;

  constructor(config: KernelConfig = {}, exec?: Execution, from?: KernelSnapshot) {
    const pages = config.pages ?? DEFAULT_PAGES;
    if (!Number.isInteger(pages) || pages < 1) {
      throw new RangeError(`kernel.pages must be a positive integer (the number of struct pages), got ${String(pages)}`);
    }
    // Global words (free lists, counters) have addresses GLOBAL_BASE + 8 * location, after every struct page word: below VMEMMAP_BASE.
    const maxPages = Math.floor(((VMEMMAP_BASE - GLOBAL_BASE) / 8 - 256) / NR_SLOTS);
    if (pages > maxPages) throw new RangeError(`kernel.pages is ${pages}; the model supports at most ${maxPages} pages (about 23 GiB)`);
    const fit = Math.min(11, Math.floor(Math.log2(pages)) + 1);
    const maxOrder = config.maxOrder ?? fit;
    if (!Number.isInteger(maxOrder) || maxOrder < 1 || maxOrder > 16) {
      throw new RangeError(`kernel.maxOrder must be an integer in 1..16 (MAX_ORDER, exclusive), got ${String(maxOrder)}`);
    }
    const startPfn = config.startPfn ?? 1 << (maxOrder - 1);
    if (!Number.isInteger(startPfn) || startPfn < 1 || startPfn % (1 << (maxOrder - 1)) !== 0) {
      throw new RangeError(`kernel.startPfn must be a positive multiple of ${1 << (maxOrder - 1)} (the largest block), got ${String(startPfn)}`);
    }
    if (startPfn + pages > MAX_PFN) throw new RangeError(`kernel.startPfn + kernel.pages is ${startPfn + pages}; the zone must end at or below pfn ${MAX_PFN} (the model's vmemmap)`);
    this.MAX_ORDER = maxOrder;
    this.memcgEnabled = config.memcg !== false;
    this.invariants = config.invariants ?? [];
    this.hooks = config.hooks ?? {};
    const extra = config.globals ?? 64;
    if (!Number.isInteger(extra) || extra < 0) throw new RangeError(`kernel.globals must be a non-negative integer, got ${String(extra)}`);
    const nrGlobals = 8 + maxOrder * 3 + 8 + 34 + extra;
    this.rcuEnabled = config.rcu === true;
    this.m = new Machine(startPfn, pages, nrGlobals);
    this.shadow = new Shadow(startPfn, pages);
    this.shadow.history = config.history !== false;
    const freeList: number[] = [];
    const nrFree: number[] = [];
    for (let o = 0; o < maxOrder; o++) {
      freeList.push(this.m.allocGlobal(`free_area[${o}].free_list`, 2));
      nrFree.push(this.m.allocGlobal(`free_area[${o}].nr_free`));
    }
    this.zone = {
      lock: this.m.allocGlobal('zone->lock'),
      freeList,
      freeListAddr: freeList.map(globalAddr),
      nrFree,
      nrFreePages: this.m.allocGlobal('NR_FREE_PAGES'),
    };
    this.rcu = { nesting: this.m.allocGlobal('rcu nesting', 32), pending: this.m.allocGlobal('rcu callbacks queued') };
    if (this.memcgEnabled) {
      const usage = this.m.allocGlobal('memcg->memory.usage');
      const max = this.m.allocGlobal('memcg->memory.max');
      const css = this.m.allocGlobal('memcg->css.refcnt');
      const sym = this.symbols.add('test_memcg', 'mem_cgroup', { words: { usage, max, css } });
      const limit = config.memcg === undefined || config.memcg === false ? undefined : config.memcg.limit;
      if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw new RangeError(`kernel.memcg.limit must be a non-negative integer number of pages, got ${String(limit)}`);
      this.m.words[max] = limit ?? 0x7fffffff;
      this.m.words[css] = 1;
      this.testMemcg = { name: 'test_memcg', addr: sym.addr, usage, max, css };
      this.memcgs.set(sym.addr, this.testMemcg);
    }
    if (from === undefined) this.initMemmap();
    else this.restore(from);
    this.exec = exec ?? standaloneExecution();
    if (exec === undefined) this.exec.attach(this.m.memory);
    this.install(config);
    if (this.exec.trace !== undefined) this.trackFrames();
  }

  private readonly frames: string[][] = [];

  /**
   * Starts a new run on this kernel object from a snapshot, instead of building
   * a new kernel: the words, the shadow and every per-run table are put back as
   * they were after setup. Only for runs that record no trace.
   */
  reset(exec: Execution, from: KernelSnapshot): void {
    this.exec = exec;
    this.restore(from);
  }

  /** Puts the words, the shadow and every per-run table back as they were in the snapshot. */
  private restore(from: KernelSnapshot): void {
    this.m.words.set(from.words);
    this.m.restoreGlobals(from.globals);
    this.shadow.restore(from.shadow);
    this.names.clear();
    for (const [p, n] of from.names) this.names.set(p, n);
    this.quarantined.clear();
    for (const p of from.quarantined) this.quarantined.add(p);
    this.symbols = from.symbols.clone();
    this.lockNames.clear();
    for (const [l, n] of from.lockNames) this.lockNames.set(l, n);
    this.lockOwner.clear();
    this.rcuNest.length = 0;
    this.rcuQueue.length = 0;
    this.rcuCallbacks.clear();
    for (const [a, f] of from.rcuCallbacks) this.rcuCallbacks.set(a, f);
    this.movableOps.clear();
    for (const [a, f] of from.movableOps) this.movableOps.set(a, f);
    this.sharedWords.clear();
    for (const [n, w] of from.shared) this.sharedWords.set(n, w);
    this.allocDepth.length = 1;
    this.allocDepth[0] = 0;
    this.frames.length = 0;
  }

  /** The kernel's state after setup, to start later runs from without running setup again. */
  snapshot(): KernelSnapshot {
    return {
      words: this.m.words.slice(), shadow: this.shadow.save(), names: new Map(this.names), quarantined: new Set(this.quarantined),
      globals: this.m.saveGlobals(), symbols: this.symbols.clone(), lockNames: new Map(this.lockNames), rcuCallbacks: new Map(this.rcuCallbacks), movableOps: new Map(this.movableOps),
      shared: new Map(this.sharedWords),
    };
  }

  /** Daemon threads this kernel runs beside the spec's threads (the RCU callback thread). */
  daemons(): ThreadBody[] {
    return this.rcuEnabled ? [rcuDaemon(this)] : [];
  }

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

  /** A struct page pointer, checked: a wild pointer is reported. @internal */
  validPage(pfn: number, fn: string): number {
    return this.page(pfn, fn);
  }

  /** The call frames of a thread (outermost first), tracked in recorded runs. */
  framesOf(tid: number): readonly string[] {
    return (this.frames[tid + 1] ?? []).slice();
  }

  /** Recorded runs only: wrap every kernel generator function so steps know their call stack. */
  private trackFrames(): void {
    const self = this as unknown as Record<string, Fn>;
    const proto = Kernel.prototype as unknown as Record<string, Fn>;
    for (const name of KERNEL_FUNCTIONS) {
      const base = proto[name];
      if (typeof base !== 'function' || base.constructor.name !== 'GeneratorFunction') continue;
      const fn = self[name] as unknown as (...a: unknown[]) => KGen<unknown>;
      const k = this;
      self[name] = function* framed(...args: unknown[]): KGen<unknown> {
        const t = k.exec.current + 1;
        const stack = (k.frames[t] ??= []);
        const gfpAt = GFP_ARG[name];
        stack.push(`${name}(${args.map((a, i) => (i === gfpAt && typeof a === 'number' ? gfpName(a) : k.describeArg(a))).join(', ')})`);
        try {
          return yield* fn.apply(k, args);
        } finally {
          stack.pop();
        }
      } as unknown as Fn;
    }
  }

  /** How a call argument is shown in a diagram: named pages by name, other numbers as they are. @internal */
  describeArg(a: unknown): string {
    if (typeof a === 'object' && a !== null && typeof (a as { name?: unknown }).name === 'string') return (a as { name: string }).name;
    if (typeof a !== 'number') return String(a);
    const name = this.names.get(a);
    if (name !== undefined) return name;
    return a >= this.m.startPfn && a < this.m.startPfn + this.m.nrPages && a >= 16 ? `pfn:${a.toString(16)}` : String(a);
  }

  // ---- construction ---------------------------------------------------------------

  /** memmap_init + memblock_free_all: every page free, in maximal aligned blocks. */
  private initMemmap(): void {
    const m = this.m;
    const n = m.nrPages;
    m.words.fill(-1, MAPCOUNT * n, (MAPCOUNT + 1) * n);
    for (let o = 0; o < this.MAX_ORDER; o++) {
      const loc = this.zone.freeList[o]!;
      m.words[loc] = this.zone.freeListAddr[o]!;
      m.words[loc + 1] = this.zone.freeListAddr[o]!;
    }
    const end = m.startPfn + n;
    let pfn = m.startPfn;
    const tails: number[] = this.zone.freeListAddr.slice();
    while (pfn < end) {
      let order = this.MAX_ORDER - 1;
      while (order > 0 && ((pfn & ((1 << order) - 1)) !== 0 || pfn + (1 << order) > end)) order--;
      // set_buddy_order + add_to_free_list_tail, done directly.
      m.poke(pfn, PRIVATE, order);
      m.poke(pfn, MAPCOUNT, -1 & ~PG_buddy);
      const entry = pfnToAddr(pfn) + 8;
      const head = this.zone.freeListAddr[order]!;
      const prev = tails[order]!;
      m.poke(pfn, LRU_NEXT, head);
      m.poke(pfn, 2, prev);
      this.writeListWord(prev, 0, entry);
      m.words[this.zone.freeList[order]! + 1] = entry;
      tails[order] = entry;
      m.words[this.zone.nrFree[order]!]! += 1;
      pfn += 1 << order;
    }
    m.words[this.zone.nrFreePages] = n;
  }

  private writeListWord(addr: number, which: 0 | 1, value: number): void {
    const pfn = addrToPfn(addr - 8);
    if (pfn >= 0) this.m.poke(pfn, which === 0 ? LRU_NEXT : 2, value);
    else this.m.words[(addr - globalAddr(0)) / 8 + which] = value;
  }

  private install(config: KernelConfig): void {
    const self = this as unknown as Record<string, Fn>;
    for (const [name, body] of Object.entries(config.overrides ?? {})) {
      this.checkName(name, 'overrides');
      if (typeof body !== 'function') throw new TypeError(`kernel.overrides.${name} must be a generator function (k, ...args), got ${typeof body}`);
      const b = body as (k: Kernel, ...args: unknown[]) => unknown;
      self[name] = ((...args: unknown[]) => b(this, ...args)) as Fn;
    }
    for (const [name, wrapper] of Object.entries(config.wrap ?? {})) {
      this.checkName(name, 'wrap');
      if (typeof wrapper !== 'function') throw new TypeError(`kernel.wrap.${name} must be a function (original, k) => replacement, got ${typeof wrapper}`);
      const original = (self[name] as Fn).bind(this);
      const w = wrapper as unknown as (o: Fn, k: Kernel) => Fn;
      const replacement = w(original, this);
      if (typeof replacement !== 'function') throw new TypeError(`kernel.wrap.${name} must return the replacement function, got ${typeof replacement}`);
      self[name] = replacement;
    }
  }

  private checkName(name: string, where: string): void {
    if (!(KERNEL_FUNCTIONS as readonly string[]).includes(name)) {
      throw new Error(`kernel.${where}: unknown kernel function '${name}'; functions that can be replaced: ${KERNEL_FUNCTIONS.join(', ')}`);
    }
  }

  // ---- ops on struct page words, checked -------------------------------------------

  private page(pfn: number, fn: string): number {
    if (!this.m.valid(pfn)) {
      this.bug('wild-deref', `${fn}: struct page pointer ${describePfn(pfn)} is outside the memmap [0x${this.m.startPfn.toString(16)}, 0x${(this.m.startPfn + this.m.nrPages).toString(16)})`, -1);
    }
    return pfn;
  }

  ld(pfn: number, slot: number, fn: string, show?: Show): Op {
    return this.m.ld(this.page(pfn, fn), slot, fn, show);
  }
  st(pfn: number, slot: number, value: number, fn: string): Op {
    this.checkWrite(this.page(pfn, fn), fn);
    return this.m.st(pfn, slot, value, fn);
  }
  st32(pfn: number, slot: number, value: number, fn: string): Op {
    this.checkWrite(this.page(pfn, fn), fn);
    return this.m.st32(pfn, slot, value, fn);
  }
  stRmw(pfn: number, slot: number, value: number, fn: string): Op {
    this.checkWrite(this.page(pfn, fn), fn);
    return this.m.stRmw(pfn, slot, value, fn);
  }
  rmw(pfn: number, slot: number, kind: RmwKind, a: number, b: number, fn: string, show?: Show): Op {
    return this.m.rmw(this.page(pfn, fn), slot, kind, a, b, fn, show);
  }

  // ---- reporting and the shadow ------------------------------------------------------

  /** Name of the running thread (or setup/teardown). */
  threadName(): string {
    return this.exec.currentName;
  }

  /** A fatal violation (BUG, a wild pointer): report it and stop the run. */
  bug(kind: ViolationKind, message: string, pfn: number): never {
    this.exec.report(kind, message, this.pageExtra(pfn));
    throw new StopRun();
  }

  /** A violation the kernel reports and continues after (Bad page state, KASAN, WARN). */
  warn(kind: ViolationKind, message: string, pfn: number): void {
    if (this.exec.violations.some((v) => v.kind === kind && v.pfn === (pfn >= 0 ? pfn : undefined))) return;
    this.exec.violations.push({ kind, message, thread: this.threadName(), step: this.exec.step, ...this.pageExtra(pfn) });
  }

  private pageExtra(pfn: number): { pfn?: number; history?: readonly import('../engine/violation.js').HistoryEvent[] } {
    if (pfn < 0 || !this.m.valid(pfn)) return {};
    return { pfn, history: this.shadow.historyOf(pfn).slice() };
  }

  /** Records a page_owner-style event about `span` pages from `pfn`; `what` may be built lazily. */
  note(pfn: number, what: string | (() => string), span = 1): void {
    const thread = this.threadName();
    const step = this.exec.phase === 'setup' ? -1 : this.exec.step;
    this.shadow.note(pfn, what, thread, step, span);
    if (this.hooks.onEvent !== undefined) this.hooks.onEvent(this, { pfn, what: typeof what === 'string' ? what : what(), thread, step });
  }

  /** @internal */
  enterAllocator(): void {
    this.allocDepth[this.exec.current + 1] = (this.allocDepth[this.exec.current + 1] ?? 0) + 1;
  }
  /** @internal */
  leaveAllocator(): void {
    this.allocDepth[this.exec.current + 1]! -= 1;
  }
  private inAllocator(): boolean {
    return (this.allocDepth[this.exec.current + 1] ?? 0) > 0;
  }

  /** A store to a free page's struct page from outside the allocator is a use-after-free. */
  private checkWrite(pfn: number, fn: string): void {
    if (!this.shadow.isAllocated(pfn) && !this.inAllocator() && this.shadow.everAllocated[pfn - this.m.startPfn] === 1 && !this.quarantined.has(pfn)) {
      this.warn('use-after-free', `${fn} writes the struct page of pfn:${pfn.toString(16)}, which is free`, pfn);
    }
  }

  /** A reference taken or dropped on a free page (get_page, put_page) is a use-after-free. @internal */
  checkLive(pfn: number, fn: string): void {
    if (!this.m.valid(pfn)) this.page(pfn, fn);
    if (!this.shadow.isAllocated(pfn) && !this.quarantined.has(pfn)) {
      this.warn('use-after-free', `${fn} on pfn:${pfn.toString(16)}, which is free`, pfn);
    }
  }

  /** Page contents accessed (memset, copy): KASAN's use-after-free. @internal */
  touchData(pfn: number, order: number, what: string): void {
    for (let i = 0; i < 1 << order; i++) {
      const p = pfn + i;
      if (!this.m.valid(p)) this.bug('wild-deref', `${what}: pfn ${describePfn(p)} is outside the memmap`, -1);
      if (!this.shadow.isAllocated(p)) {
        this.warn('use-after-free', `BUG: KASAN: use-after-free in ${what}: page pfn:${p.toString(16)} is free`, p);
      }
    }
  }

  /** A folio's page[i] must belong to the folio's own allocation. @internal */
  checkFolioPage(f: number, i: number, what: string): void {
    const own = this.shadow.allocationOf(f);
    const target = f + i;
    const other = this.m.valid(target) ? this.shadow.allocationOf(target) : undefined;
    if (own === undefined || other !== own) {
      const whose = !this.m.valid(target) ? 'outside the memmap' : other === undefined ? 'a free page' : `another allocation (pfn:${other.pfn.toString(16)} order ${other.order})`;
      this.warn('struct-page-corruption', `${what} is in page[${i}] (pfn:${target.toString(16)}), ${whose}, not in the folio at pfn:${f.toString(16)}`, this.m.valid(target) ? target : f);
    }
  }

  /** @internal */
  shadowAlloc(pfn: number, order: number, gfp: number): void {
    const { clash } = this.shadow.allocate(pfn, order, gfp);
    for (let i = 0; i < 1 << order; i++) this.quarantined.delete(pfn + i);
    this.note(pfn, () => `page allocated via order ${order}, gfp_mask ${gfpName(gfp)}`, 1 << order);
    if (clash >= 0) this.bug('buddy-corruption', `the allocator handed out pfn:${clash.toString(16)}, which is still allocated`, clash);
  }

  /**
   * At the start of a free: every page must be allocated, else a double free.
   * The pages count as free from here on: a second free that starts while the
   * first is still in free_pages_prepare() is a double free too. If the kernel
   * then finds a bad page, the block is quarantined instead.
   * @internal
   */
  shadowFree(pfn: number, order: number): void {
    if (!this.m.valid(pfn) || !this.m.valid(pfn + (1 << order) - 1)) this.bug('wild-deref', `free of ${describePfn(pfn)} order ${order}: outside the memmap`, -1);
    this.note(pfn, () => `page freed, order ${order}`, 1 << order);
    const bad = this.shadow.checkFree(pfn, order);
    if (bad !== undefined) {
      const msg = bad.ever
        ? `pfn:${bad.pfn.toString(16)} freed again (free order ${order} of pfn:${pfn.toString(16)}); it is already free`
        : `free order ${order} of pfn:${pfn.toString(16)} frees pfn:${bad.pfn.toString(16)}, which was never allocated`;
      this.bug('double-free', msg, bad.pfn);
    }
    this.shadow.release(pfn, order);
  }

  /** @internal */
  shadowSplit(pfn: number, order: number): void {
    const a = this.shadow.allocationOf(pfn);
    this.shadow.release(pfn, order);
    for (let i = 0; i < 1 << order; i++) {
      const { alloc } = this.shadow.allocate(pfn + i, 0, a?.gfp ?? 0);
      if (a !== undefined && a.charged > 0) {
        alloc.charged = 1;
        alloc.memcg = a.memcg;
      }
    }
    this.note(pfn, () => `split_page order ${order}`, 1 << order);
  }

  /** @internal */
  shadowCharge(pfn: number, memcgName: string, nr: number): void {
    const a = this.shadow.allocationOf(pfn);
    if (a !== undefined) {
      a.charged = nr;
      a.memcg = memcgName;
    }
    this.note(pfn, () => `memcg charge ${nr} page(s)`);
  }

  /** @internal */
  shadowUncharge(_memcg: string, _nr: number): void {
    // The ledger is the live allocations; see expectedCharge().
  }

  /** True for pages bad_page() took out of circulation. @internal */
  isQuarantined(pfn: number): boolean {
    return this.quarantined.has(pfn);
  }

  /** bad_page(): the page is left out of the allocator on purpose; not a leak. @internal */
  quarantine(pfn: number): void {
    this.quarantined.add(pfn);
  }

  // ---- zone, memcg, symbols --------------------------------------------------------

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

  symbolName(addr: number): string {
    const s: SymbolInfo | undefined = this.symbols.at(addr);
    return s?.name ?? `0x${(addr >>> 0).toString(16)}`;
  }

  // ---- for specs and tests -----------------------------------------------------------

  /** The pfn of the i-th page of the zone. */
  pfn(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.m.nrPages) {
      throw new RangeError(`page index ${String(i)} is out of range: this kernel has pages 0..${this.m.nrPages - 1}`);
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
  get violations(): readonly import('../engine/violation.js').Violation[] {
    return this.exec.violations;
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
        const v = this.exec.violations[this.exec.violations.length - 1]!;
        this.exec.stopped = false;
        // Code stopped inside the allocator never left it: without this, later stores to free pages go unchecked.
        this.allocDepth[this.exec.current + 1] = 0;
        throw new ViolationError(v);
      }
      throw e;
    }
  }

  /** Checks run at teardown: leaks, memcg balance (page_counter usage and css references), free lists, custom invariants. */
  finalChecks(): void {
    for (const { alloc, pages } of this.shadow.live()) {
      const leaked = pages.filter((p) => !this.quarantined.has(p));
      if (leaked.length === 0) continue;
      this.warn('page-leak', `${leaked.length} page(s) of the order-${alloc.order} allocation at pfn:${alloc.pfn.toString(16)} were never freed: ${leaked.map((p) => `pfn:${p.toString(16)}`).join(', ')}`, leaked[0]!);
    }
    if (this.testMemcg !== undefined) {
      const usage = this.m.words[this.testMemcg.usage]!;
      const expected = this.shadow.expectedCharge(this.testMemcg.name, (p) => this.quarantined.has(p));
      if (usage > expected) this.warn('memcg-leak', `${this.testMemcg.name} memory.usage is ${usage} page(s) but only ${expected} charged page(s) are still allocated: ${usage - expected} page(s) of charge leaked`, -1);
      else if (usage < expected) this.warn('memcg-underflow', `${this.testMemcg.name} memory.usage is ${usage} page(s) but ${expected} charged page(s) are still allocated`, -1);
      checkCssBalance(this, this.testMemcg);
    }
    const problem = checkFreeLists(this);
    if (problem !== undefined) this.warn('buddy-corruption', problem.message, problem.pfn);
    for (const inv of this.invariants) {
      if ((inv.at ?? 'teardown') !== 'teardown') continue;
      this.checkInvariant(inv);
    }
  }

  /** Runs one custom invariant and reports it if it fails. @internal */
  checkInvariant(inv: Invariant): void {
    const msg = inv.check(this);
    if (typeof msg === 'string' && msg.length > 0) {
      this.exec.violations.push({ kind: 'invariant', invariant: inv.name, message: `${inv.name}: ${msg}`, thread: this.threadName(), step: this.exec.step });
    }
  }
}

export interface Kernel extends KernelMethods<AllModules>, HarnessMethods {}
/** Harness functions mixed into the kernel object; not kernel functions, so not overridable. */
type HarnessMethods = KernelMethods<typeof sharedState>;
for (const mod of [...Object.values(modules), sharedState]) {
  for (const [name, fn] of Object.entries(mod)) Object.defineProperty(Kernel.prototype, name, { value: fn, writable: true, configurable: true });
}

/** Which argument of a kernel function is a gfp mask, for diagrams. */
const GFP_ARG: Readonly<Record<string, number>> = {
  alloc_pages: 0, __get_free_pages: 0, get_page_from_freelist: 0, prep_new_page: 2, post_alloc_hook: 2, __memcg_kmem_charge_page: 1,
};

function describePfn(pfn: number): string {
  return Number.isInteger(pfn) ? `pfn:${pfn.toString(16)}` : String(pfn);
}


const standaloneProgram: Program = {
  name: 'standalone',
  init() {
    throw new Error('a standalone kernel is not run by the engine');
  },
};

function standaloneExecution(): Execution {
  return new Execution(standaloneProgram);
}

/**
 * Walks every free list (the kernel words) and checks it against the shadow:
 * each entry a PageBuddy head of the right order, aligned, in the zone, free in
 * the shadow, counted in nr_free, no page in two blocks, and every free page in a block.
 */
export function checkFreeLists(k: Kernel): { message: string; pfn: number } | undefined {
  const m = k.m;
  const n = m.nrPages;
  const covered = new Uint8Array(n);
  let total = 0;
  for (let order = 0; order < k.MAX_ORDER; order++) {
    const headAddr = k.zone.freeListAddr[order]!;
    let addr = m.words[k.zone.freeList[order]!]!;
    let count = 0;
    while (addr !== headAddr) {
      const pfn = addrToPfn(addr - 8);
      if (pfn < 0 || !m.valid(pfn)) return { message: `free_area[${order}] holds 0x${(addr >>> 0).toString(16)}, not a struct page`, pfn: -1 };
      if (!isBuddyType(m.peek(pfn, MAPCOUNT))) return { message: `pfn:${pfn.toString(16)} is on free_area[${order}] without PageBuddy`, pfn };
      if (m.peek(pfn, PRIVATE) !== order) return { message: `pfn:${pfn.toString(16)} is on free_area[${order}] with buddy order ${m.peek(pfn, PRIVATE)}`, pfn };
      if ((pfn & ((1 << order) - 1)) !== 0) return { message: `pfn:${pfn.toString(16)} on free_area[${order}] is not aligned`, pfn };
      if (pfn + (1 << order) > m.startPfn + n) return { message: `block pfn:${pfn.toString(16)} order ${order} runs past the zone`, pfn };
      for (let i = 0; i < 1 << order; i++) {
        const idx = pfn - m.startPfn + i;
        if (covered[idx] === 1) return { message: `pfn:${(pfn + i).toString(16)} is in two free blocks`, pfn: pfn + i };
        covered[idx] = 1;
        if (k.shadow.owner[idx] !== 0) return { message: `pfn:${(pfn + i).toString(16)} is on a free list but allocated`, pfn: pfn + i };
        if (m.peek(pfn + i, REFCOUNT) !== 0) return { message: `free pfn:${(pfn + i).toString(16)} has _refcount ${m.peek(pfn + i, REFCOUNT)}`, pfn: pfn + i };
      }
      count++;
      total += 1 << order;
      if (count > n) return { message: `free_area[${order}] loops`, pfn: -1 };
      addr = m.peek(pfn, LRU_NEXT);
    }
    const nr = m.words[k.zone.nrFree[order]!]!;
    if (nr !== count) return { message: `free_area[${order}].nr_free is ${nr} but the list holds ${count} block(s)`, pfn: -1 };
  }
  if (m.words[k.zone.nrFreePages] !== total) return { message: `NR_FREE_PAGES is ${m.words[k.zone.nrFreePages]} but the free lists hold ${total} page(s)`, pfn: -1 };
  for (let idx = 0; idx < n; idx++) {
    const pfn = m.startPfn + idx;
    if (covered[idx] === 0 && k.shadow.owner[idx] === 0 && !k.isQuarantined(pfn)) {
      return { message: `pfn:${pfn.toString(16)} is neither allocated nor on a free list: lost by the allocator`, pfn };
    }
  }
  return undefined;
}

/** Builds a kernel. @remarks Since 0.1.0 */
export function createKernel(config: KernelConfig = {}): Kernel {
  return new Kernel(config);
}

/** The number of words a kernel of `pages` pages uses (for sizing). */
export function kernelWords(pages: number): number {
  return pages * NR_SLOTS;
}
