import {
  FENCE, LOAD, LOCK, RMW, STORE, UNLOCK, WAIT, YIELD,
  type FenceKind, type Op, type OpKind, type RmwKind,
} from '../engine/op.js';
import { Memory } from '../engine/memory.js';
import { HI_SLOT, NR_SLOTS } from './layout.js';

/** Renders a step's value in a diagram. */
export type Show = (value: number) => string;

function mk(kind: OpKind, loc: number, a: number, b: number, rmw: RmwKind, paired: boolean, loc2: number, fn: string, arg: number, show: Show | undefined, fence: FenceKind | undefined): Op {
  return { kind, loc, a, b, rmw, paired, loc2, fn, arg, show, fence, pred: undefined };
}

/**
 * The machine: struct page words for a range of pfns plus global words, and the
 * ops that access them. A `struct page *` is its pfn; `page + n` is pointer
 * arithmetic as in the kernel. Global words (zone lists, counters, locks) are
 * allocated after the pages.
 * @remarks Since 0.1.0
 */
export class Machine {
  readonly memory: Memory;
  readonly words: Int32Array;
  /** First pfn of the memmap. */
  readonly startPfn: number;
  readonly nrPages: number;
  /** Location of the first global word. */
  readonly globalsBase: number;
  private nextGlobal: number;
  private readonly globalNames: string[] = [];

  constructor(startPfn: number, nrPages: number, nrGlobals: number) {
    this.startPfn = startPfn;
    this.nrPages = nrPages;
    this.globalsBase = NR_SLOTS * nrPages;
    this.nextGlobal = this.globalsBase;
    this.memory = new Memory(this.globalsBase + nrGlobals);
    this.words = this.memory.words;
  }

  /** True if `pfn` has a struct page in this memmap. */
  valid(pfn: number): boolean {
    return Number.isInteger(pfn) && pfn >= this.startPfn && pfn < this.startPfn + this.nrPages;
  }

  /** Location of a struct page slot. The caller has checked `valid(pfn)`. */
  loc(pfn: number, slot: number): number {
    return slot * this.nrPages + (pfn - this.startPfn);
  }

  /** Reads a slot directly, outside any thread (checkers, views, teardown). */
  peek(pfn: number, slot: number): number {
    return this.words[slot * this.nrPages + (pfn - this.startPfn)]!;
  }

  /** Writes a slot directly, outside any thread (initialisation only). */
  poke(pfn: number, slot: number, value: number): void {
    this.words[slot * this.nrPages + (pfn - this.startPfn)] = value;
  }

  /** Allocates `n` consecutive global words and returns the first location. */
  allocGlobal(name: string, n = 1): number {
    const loc = this.nextGlobal;
    if (loc + n > this.memory.size) throw new RangeError(`out of global words allocating ${name}: raise nrGlobals`);
    this.nextGlobal += n;
    for (let i = 0; i < n; i++) this.globalNames[loc - this.globalsBase + i] = n === 1 ? name : `${name}[${i}]`;
    return loc;
  }

  /** Name of a global word, for messages. */
  globalName(loc: number): string {
    return this.globalNames[loc - this.globalsBase] ?? `global ${loc}`;
  }

  /** Which page and slot a location is, or undefined for a global word. */
  decode(loc: number): { pfn: number; slot: number } | undefined {
    if (loc >= this.globalsBase) return undefined;
    const slot = Math.floor(loc / this.nrPages);
    return { pfn: this.startPfn + (loc - slot * this.nrPages), slot };
  }

  // ---- ops on struct page slots -------------------------------------------------------

  /** Load of a slot (READ_ONCE). */
  ld(pfn: number, slot: number, fn: string, show?: Show): Op {
    return mk(LOAD, this.loc(pfn, slot), 0, 0, 0, false, -1, fn, pfn, show, undefined);
  }

  /** Store of a whole word (WRITE_ONCE); a store to word 2 or 3 also clears its upper half. */
  st(pfn: number, slot: number, value: number, fn: string): Op {
    return mk(STORE, this.loc(pfn, slot), value, 0, 0, false, this.hiLoc(pfn, slot), fn, pfn, undefined, undefined);
  }

  /** The upper half a whole-word store to the slot also clears (`st`'s `loc2`), or -1. */
  hiLoc(pfn: number, slot: number): number {
    const hi = HI_SLOT[slot]!;
    return hi >= 0 && hi !== slot ? this.loc(pfn, hi) : -1;
  }

  /** Store of a 32-bit field that leaves the rest of its word alone. */
  st32(pfn: number, slot: number, value: number, fn: string): Op {
    return mk(STORE, this.loc(pfn, slot), value, 0, 0, false, -1, fn, pfn, undefined, undefined);
  }

  /** The store half of a non-atomic read-modify-write whose load was this thread's last access. */
  stRmw(pfn: number, slot: number, value: number, fn: string): Op {
    return mk(STORE, this.loc(pfn, slot), value, 0, 0, true, -1, fn, pfn, undefined, undefined);
  }

  /** Atomic read-modify-write; the step's value is the old word. */
  rmw(pfn: number, slot: number, kind: RmwKind, a: number, b: number, fn: string, show?: Show): Op {
    return mk(RMW, this.loc(pfn, slot), a, b, kind, false, -1, fn, pfn, show, undefined);
  }

  /** Spins until `bits` are clear, then sets them (bit_spin_lock, lock_page). */
  lock(pfn: number, slot: number, bits: number, fn: string): Op {
    return mk(LOCK, this.loc(pfn, slot), bits, 0, 0, false, -1, fn, pfn, undefined, undefined);
  }

  /** Clears `bits` with release semantics (bit_spin_unlock, unlock_page). */
  unlock(pfn: number, slot: number, bits: number, fn: string): Op {
    return mk(UNLOCK, this.loc(pfn, slot), bits, 0, 0, false, -1, fn, pfn, undefined, undefined);
  }

  // ---- ops on global words ------------------------------------------------------------

  gld(loc: number, fn: string, show?: Show): Op {
    return mk(LOAD, loc, 0, 0, 0, false, -1, fn, -1, show, undefined);
  }

  gst(loc: number, value: number, fn: string): Op {
    return mk(STORE, loc, value, 0, 0, false, -1, fn, -1, undefined, undefined);
  }

  grmw(loc: number, kind: RmwKind, a: number, b: number, fn: string, show?: Show): Op {
    return mk(RMW, loc, a, b, kind, false, -1, fn, -1, show, undefined);
  }

  glock(loc: number, fn: string): Op {
    return mk(LOCK, loc, 1, 0, 0, false, -1, fn, -1, undefined, undefined);
  }

  gunlock(loc: number, fn: string): Op {
    return mk(UNLOCK, loc, 1, 0, 0, false, -1, fn, -1, undefined, undefined);
  }

  /** Blocks until `(word & mask) === value`. */
  gwait(loc: number, mask: number, value: number, fn: string): Op {
    return mk(WAIT, loc, mask, value, 0, false, -1, fn, -1, undefined, undefined);
  }

  /** Blocks until `pred(word)` holds; the step's value is the word. */
  gwaitFor(loc: number, pred: (word: number) => boolean, fn: string): Op {
    return { kind: WAIT, loc, a: 0, b: 0, rmw: 0, paired: false, loc2: -1, fn, arg: -1, show: undefined, fence: undefined, pred };
  }

  /** Machine state beyond the words: the global word allocator. */
  saveGlobals(): { next: number; names: string[] } {
    return { next: this.nextGlobal, names: this.globalNames.slice() };
  }

  restoreGlobals(s: { next: number; names: string[] }): void {
    // No global allocated since (names are only ever added past the last one): nothing to put back.
    if (this.nextGlobal === s.next && this.globalNames.length === s.names.length && this.globalNames[s.names.length - 1] === s.names[s.names.length - 1]) return;
    this.nextGlobal = s.next;
    this.globalNames.length = 0;
    this.globalNames.push(...s.names);
  }

  fence(kind: FenceKind, fn: string): Op {
    return mk(FENCE, -1, 0, 0, 0, false, -1, fn, -1, undefined, kind);
  }

  yieldOp(fn: string): Op {
    return mk(YIELD, -1, 0, 0, 0, false, -1, fn, -1, undefined, undefined);
  }
}
