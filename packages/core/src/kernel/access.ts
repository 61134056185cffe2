import type { Op, RmwKind } from '../engine/op.js';
import type { Machine, Show } from '../machine/machine.js';
import type { ViolationKind } from '../checkers/violation.js';
import type { CheckerSet } from '../checkers/checker.js';
import { describePfn, type Kernel } from './context.js';

/**
 * Checked word access: how kernel functions read and write struct page words,
 * and the points where the kernel calls the checkers (../checkers/checker.ts).
 * Every access checks the struct page pointer (a wild one is a wild-deref that
 * stops the run); every store is shown to the checkers (a store to a free
 * page's struct page is a use-after-free). The ops go to the machine.
 */
export abstract class CheckedAccess {
  constructor(readonly m: Machine, private readonly checkers: CheckerSet) {}

  /** A fatal violation: report it and stop the run. */
  abstract bug(kind: ViolationKind, message: string, pfn: number): never;

  /** The kernel this is the base of (the Kernel class extends this one and implements the context). */
  private get k(): Kernel {
    return this as unknown as Kernel;
  }

  /** Shows a store to the struct page of `pfn` to the checkers. */
  private checkWrite(pfn: number, fn: string): void {
    for (const c of this.checkers.onWrite) c.onWrite!(this.k, pfn, fn);
  }

  /** A reference taken or dropped on a page (get_page, put_page): checked by the checkers. @internal */
  checkLive(pfn: number, fn: string): void {
    for (const c of this.checkers.onRef) c.onRef!(this.k, pfn, fn);
  }

  /** Page contents accessed (memset, copy): KASAN's use-after-free. @internal */
  touchData(pfn: number, order: number, what: string): void {
    for (const c of this.checkers.onData) c.onData!(this.k, pfn, order, what);
  }

  /** A folio's page[i] must belong to the folio's own allocation. @internal */
  checkFolioPage(f: number, i: number, what: string): void {
    for (const c of this.checkers.onFolioPage) c.onFolioPage!(this.k, f, i, what);
  }

  /** A thread releases a lock it must hold. @internal */
  checkUnlock(lock: number, call: string, pfn: number): void {
    for (const c of this.checkers.onUnlock) c.onUnlock!(this.k, lock, call, pfn);
  }

  /** A lockless lookup found `pfn` in its slot (`found`; -1: no page) or returns it (`return`): the stale-lookup checker. @internal */
  checkLookup(what: 'found' | 'return', pfn: number, where: string): void {
    for (const c of this.checkers.onLookup) c.onLookup!(this.k, what, pfn, where);
  }

  /** The allocator handed out [pfn, pfn + 2^order); `clash` is a page of it that was still allocated, or -1. */
  protected allocated(pfn: number, order: number, clash: number): void {
    for (const c of this.checkers.onAlloc) c.onAlloc!(this.k, pfn, order, clash);
  }

  /** A free of [pfn, pfn + 2^order) starts. */
  protected freeing(pfn: number, order: number): void {
    for (const c of this.checkers.onFree) c.onFree!(this.k, pfn, order);
  }

  /** After every thread step: the every-step checkers (user invariants at 'step'). @internal */
  afterStep(): void {
    for (const c of this.checkers.afterStep) c.afterStep!(this.k);
  }

  /** Checks run at teardown: leaks, memcg balance, free lists, custom invariants (../checkers/registry.ts). */
  finalChecks(): void {
    for (const c of this.checkers.atEnd) c.atEnd!(this.k);
  }

  /** True if some checker runs after every step. @internal */
  get checksEveryStep(): boolean {
    return this.checkers.afterStep.length > 0;
  }

  /** A struct page pointer, checked: a wild pointer is reported. @internal */
  validPage(pfn: number, fn: string): number {
    if (!this.m.valid(pfn)) {
      this.bug('wild-deref', `${fn}: struct page pointer ${describePfn(pfn)} is outside the memmap [0x${this.m.startPfn.toString(16)}, 0x${(this.m.startPfn + this.m.nrPages).toString(16)})`, -1);
    }
    return pfn;
  }

  ld(pfn: number, slot: number, fn: string, show?: Show): Op {
    return this.m.ld(this.validPage(pfn, fn), slot, fn, show);
  }
  st(pfn: number, slot: number, value: number, fn: string): Op {
    this.checkWrite(this.validPage(pfn, fn), fn);
    return this.m.st(pfn, slot, value, fn);
  }
  st32(pfn: number, slot: number, value: number, fn: string): Op {
    this.checkWrite(this.validPage(pfn, fn), fn);
    return this.m.st32(pfn, slot, value, fn);
  }
  stRmw(pfn: number, slot: number, value: number, fn: string): Op {
    this.checkWrite(this.validPage(pfn, fn), fn);
    return this.m.stRmw(pfn, slot, value, fn);
  }
  rmw(pfn: number, slot: number, kind: RmwKind, a: number, b: number, fn: string, show?: Show): Op {
    return this.m.rmw(this.validPage(pfn, fn), slot, kind, a, b, fn, show);
  }

  // The same accesses performed at once, in a sync twin (../../build/sync-twins.mjs writes
  // `yield this.ld(...)` as `this.ld$s(...)`, `yield this.m.gld(...)` as `this.gld$s(...)`): the same
  // checks in the same order, then `exec.seqLoad` and friends, which perform the op the accessor
  // would have made without making it.

  /** @internal */
  ld$s(pfn: number, slot: number, fn: string, show?: Show): number {
    return this.k.exec.seqLoad(this.m.loc(this.validPage(pfn, fn), slot), fn, pfn, show);
  }
  /** @internal */
  st$s(pfn: number, slot: number, value: number, fn: string): number {
    this.checkWrite(this.validPage(pfn, fn), fn);
    return this.k.exec.seqStore(this.m.loc(pfn, slot), value, false, this.m.hiLoc(pfn, slot), fn, pfn);
  }
  /** @internal */
  st32$s(pfn: number, slot: number, value: number, fn: string): number {
    this.checkWrite(this.validPage(pfn, fn), fn);
    return this.k.exec.seqStore(this.m.loc(pfn, slot), value, false, -1, fn, pfn);
  }
  /** @internal */
  stRmw$s(pfn: number, slot: number, value: number, fn: string): number {
    this.checkWrite(this.validPage(pfn, fn), fn);
    return this.k.exec.seqStore(this.m.loc(pfn, slot), value, true, -1, fn, pfn);
  }
  /** @internal */
  rmw$s(pfn: number, slot: number, kind: RmwKind, a: number, b: number, fn: string, show?: Show): number {
    return this.k.exec.seqRmw(this.m.loc(this.validPage(pfn, fn), slot), kind, a, b, fn, pfn, show);
  }
  /** `m.gld` at once. @internal */
  gld$s(loc: number, fn: string, show?: Show): number {
    return this.k.exec.seqLoad(loc, fn, -1, show);
  }
  /** `m.gst` at once. @internal */
  gst$s(loc: number, value: number, fn: string): number {
    return this.k.exec.seqStore(loc, value, false, -1, fn, -1);
  }
  /** `m.grmw` at once. @internal */
  grmw$s(loc: number, kind: RmwKind, a: number, b: number, fn: string, show?: Show): number {
    return this.k.exec.seqRmw(loc, kind, a, b, fn, -1, show);
  }
  /** `m.glock` at once. @internal */
  glock$s(loc: number, fn: string): number {
    return this.k.exec.seqLock(loc, 1, fn, -1);
  }
  /** `m.gunlock` at once. @internal */
  gunlock$s(loc: number, fn: string): number {
    return this.k.exec.seqUnlock(loc, 1, fn, -1);
  }
  /** `m.ld` (a slot load with no check of the page pointer) at once. @internal */
  mld$s(pfn: number, slot: number, fn: string, show?: Show): number {
    return this.k.exec.seqLoad(this.m.loc(pfn, slot), fn, pfn, show);
  }
  /** `m.st32` (no checks) at once. @internal */
  mst32$s(pfn: number, slot: number, value: number, fn: string): number {
    return this.k.exec.seqStore(this.m.loc(pfn, slot), value, false, -1, fn, pfn);
  }
  /** `m.lock` at once. @internal */
  mlock$s(pfn: number, slot: number, bits: number, fn: string): number {
    return this.k.exec.seqLock(this.m.loc(pfn, slot), bits, fn, pfn);
  }
  /** `m.unlock` at once. @internal */
  munlock$s(pfn: number, slot: number, bits: number, fn: string): number {
    return this.k.exec.seqUnlock(this.m.loc(pfn, slot), bits, fn, pfn);
  }
}
