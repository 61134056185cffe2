import type { HistoryEvent } from './violation.js';
import { EventLog, type SavedLog } from './event-log.js';

/** Renders an event's text from the two numbers stored with it (a static function, one per kind of event). */
export type EventFormat = (a: number, b: number) => string;

/** What an event's text is made from: a string, a format of its two numbers, or a function of nothing. */
type EventText = { readonly kind: 0; readonly text: string } | { readonly kind: 1; readonly fmt: EventFormat } | { readonly kind: 2; readonly lazy: () => string };

/** A saved history: the events, with the tables of texts and thread names they index. */
interface SavedEvents {
  readonly n: number;
  readonly log: SavedLog;
  readonly texts: readonly EventText[];
  readonly threads: readonly string[];
}

/** One allocation as the shadow sees it. */
export interface ShadowAllocation {
  readonly id: number;
  readonly pfn: number;
  readonly order: number;
  readonly gfp: number;
  /** Pages of this allocation charged to a memcg at allocation time (0 if not accounted). */
  charged: number;
  /** The memcg the charge went to, by name. */
  memcg: string | undefined;
}

/**
 * The shadow: what every page should be, tracked from the allocator's entry
 * points alone and never read back from the kernel words. Checkers compare it
 * with what the kernel did.
 * @remarks Since 0.1.0
 */
export class Shadow {
  /** Allocation id of each page (index pfn - startPfn); 0 = free. */
  readonly owner: Int32Array;
  /** Pages that have ever been handed out (1) - a free of one never allocated is a bad free. */
  readonly everAllocated: Uint8Array;
  readonly allocations = new Map<number, ShadowAllocation>();
  private nextId = 1;
  /**
   * The events (page_owner-style history), oldest first, encoded in byte chunks (no object per
   * event for the garbage collector to copy and mark; event-log.ts): each event's pfn, span, step,
   * text (an index into `texts`), thread (an index into `threads`) and two numbers. Texts and thread names are kept
   * once each, in tables that a saved history carries with it.
   */
  private readonly events = new EventLog();
  private readonly texts: EventText[] = [];
  private readonly textIndex = new Map<string | EventFormat, number>();
  private readonly threads: string[] = [];
  private readonly threadIndex = new Map<string, number>();
  /** The thread of the last event and its index (most events are one thread's, one after the other). */
  private lastThread: string | undefined = undefined;
  private lastThreadAt = 0;
  /** The saved state this shadow was last restored from. */
  private restoredFrom: ReturnType<Shadow['save']> | undefined;
  /** Record events (page_owner-style history). */
  history = true;

  constructor(readonly startPfn: number, readonly nrPages: number) {
    this.owner = new Int32Array(nrPages);
    this.everAllocated = new Uint8Array(nrPages);
  }

  /** The shadow's state, to restore later runs from. */
  save(): { owner: Int32Array; ever: Uint8Array; allocations: ShadowAllocation[]; nextId: number; events: SavedEvents } {
    const events = { n: this.events.n, log: this.events.save(), texts: this.texts.slice(), threads: this.threads.slice() };
    return { owner: this.owner.slice(), ever: this.everAllocated.slice(), allocations: [...this.allocations.values()].map((a) => ({ ...a })), nextId: this.nextId, events };
  }

  /** Restores a saved state. */
  restore(s: ReturnType<Shadow['save']>): void {
    this.owner.set(s.owner);
    this.everAllocated.set(s.ever);
    this.allocations.clear();
    for (const a of s.allocations) this.allocations.set(a.id, { ...a });
    this.nextId = s.nextId;
    this.events.load(s.events.log);
    this.lastThread = undefined;
    if (this.restoredFrom === s) {
      // Restored from this state before: the tables still begin with its entries (entries are only ever added); drop the rest.
      const texts = this.texts;
      for (let i = s.events.texts.length; i < texts.length; i++) {
        const t = texts[i]!;
        if (t.kind !== 2) this.textIndex.delete(t.kind === 0 ? t.text : t.fmt);
      }
      texts.length = s.events.texts.length;
      const threads = this.threads;
      for (let i = s.events.threads.length; i < threads.length; i++) this.threadIndex.delete(threads[i]!);
      threads.length = s.events.threads.length;
      return;
    }
    this.restoredFrom = s;
    // The tables as they were (the texts of the events since are dropped with them), in this shadow or a new one.
    this.texts.length = 0;
    this.textIndex.clear();
    for (const t of s.events.texts) {
      const i = this.texts.push(t) - 1;
      if (t.kind !== 2) this.textIndex.set(t.kind === 0 ? t.text : t.fmt, i);
    }
    this.threads.length = 0;
    this.threadIndex.clear();
    for (const name of s.events.threads) this.threadIndex.set(name, this.threads.push(name) - 1);
  }

  /** True if the page is part of a live allocation. */
  isAllocated(pfn: number): boolean {
    return this.owner[pfn - this.startPfn]! !== 0;
  }

  /** The live allocation that holds the page. */
  allocationOf(pfn: number): ShadowAllocation | undefined {
    const id = this.owner[pfn - this.startPfn]!;
    return id === 0 ? undefined : this.allocations.get(id);
  }

  /** Records a page_owner-style event about the `span` pages from `pfn`. */
  note(pfn: number, what: string | (() => string), thread: string, step: number, span = 1): void {
    if (!this.history) return;
    const text = typeof what === 'string' ? this.textOf(what, 0) : this.texts.push({ kind: 2, lazy: what }) - 1;
    this.push(pfn, span, step, text, thread, 0, 0);
  }

  /** Records an event whose text `fmt(a, b)` renders when a report needs it. */
  noteFormat(pfn: number, fmt: EventFormat, a: number, b: number, thread: string, step: number, span = 1): void {
    if (!this.history) return;
    this.push(pfn, span, step, this.textOf(fmt, 1), thread, a, b);
  }

  private textOf(key: string | EventFormat, kind: 0 | 1): number {
    let i = this.textIndex.get(key);
    if (i === undefined) {
      i = this.texts.push(kind === 0 ? { kind: 0, text: key as string } : { kind: 1, fmt: key as EventFormat }) - 1;
      this.textIndex.set(key, i);
    }
    return i;
  }

  private push(pfn: number, span: number, step: number, text: number, thread: string, a: number, b: number): void {
    let t = this.lastThreadAt;
    if (thread !== this.lastThread) {
      const known = this.threadIndex.get(thread);
      if (known === undefined) {
        t = this.threads.push(thread) - 1;
        this.threadIndex.set(thread, t);
      } else {
        t = known;
      }
      this.lastThread = thread;
      this.lastThreadAt = t;
    }
    this.events.push(pfn, span, step, text, t, a, b);
  }

  /** The page's history, oldest first: events about it or about a block that contains it. */
  historyOf(pfn: number): readonly HistoryEvent[] {
    const out: HistoryEvent[] = [];
    this.events.forEach((p, span, step, text, thread, a, b) => {
      if (pfn < p || pfn >= p + span) return;
      const t = this.texts[text]!;
      const what = t.kind === 0 ? t.text : t.kind === 1 ? t.fmt(a, b) : t.lazy();
      out.push({ what: p === pfn ? what : `${what} (of pfn:${p.toString(16)})`, thread: this.threads[thread]!, step });
    });
    return out;
  }

  /**
   * The allocator hands out [pfn, pfn + 2^order). Returns the pfn of a page that
   * was still allocated, if any (the allocator gave out a live page).
   */
  allocate(pfn: number, order: number, gfp: number): { alloc: ShadowAllocation; clash: number } {
    const id = this.nextId++;
    const alloc: ShadowAllocation = { id, pfn, order, gfp, charged: 0, memcg: undefined };
    this.allocations.set(id, alloc);
    let clash = -1;
    const base = pfn - this.startPfn;
    for (let i = 0; i < 1 << order; i++) {
      if (this.owner[base + i]! !== 0 && clash < 0) clash = pfn + i;
      this.owner[base + i] = id;
      this.everAllocated[base + i] = 1;
    }
    return { alloc, clash };
  }

  /**
   * Checks a free of [pfn, pfn + 2^order) before the allocator touches it.
   * Returns the first page that is not allocated, and whether it ever was.
   */
  checkFree(pfn: number, order: number): { pfn: number; ever: boolean } | undefined {
    const base = pfn - this.startPfn;
    for (let i = 0; i < 1 << order; i++) {
      if (this.owner[base + i]! === 0) return { pfn: pfn + i, ever: this.everAllocated[base + i]! === 1 };
    }
    return undefined;
  }

  /** The allocator took [pfn, pfn + 2^order) back. */
  release(pfn: number, order: number): void {
    const base = pfn - this.startPfn;
    // The block's pages first, then each allocation they belonged to once (a block is most often one allocation).
    let last = 0;
    let ids: number[] | undefined;
    for (let i = 0; i < 1 << order; i++) {
      const id = this.owner[base + i]!;
      if (id === 0) continue;
      this.owner[base + i] = 0;
      if (id === last) continue;
      if (last !== 0) (ids ??= []).push(last);
      last = id;
    }
    if (last !== 0) this.dropIfDead(last);
    if (ids !== undefined) for (const id of ids) this.dropIfDead(id);
  }

  /** Forgets an allocation none of whose pages is live any more. */
  private dropIfDead(id: number): void {
    const a = this.allocations.get(id);
    if (a !== undefined && !this.anyLive(a)) this.allocations.delete(id);
  }

  /** split_page(): the allocation at pfn becomes 2^order order-0 allocations, each charged as the block was. */
  split(pfn: number, order: number): void {
    const a = this.allocationOf(pfn);
    this.release(pfn, order);
    for (let i = 0; i < 1 << order; i++) {
      const { alloc } = this.allocate(pfn + i, 0, a?.gfp ?? 0);
      if (a !== undefined && a.charged > 0) {
        alloc.charged = 1;
        alloc.memcg = a.memcg;
      }
    }
  }

  /** The allocation that holds pfn was charged `nr` pages to `memcg`. */
  charge(pfn: number, memcg: string, nr: number): void {
    const a = this.allocationOf(pfn);
    if (a !== undefined) {
      a.charged = nr;
      a.memcg = memcg;
    }
  }

  private anyLive(a: ShadowAllocation): boolean {
    const base = a.pfn - this.startPfn;
    for (let i = 0; i < 1 << a.order; i++) if (this.owner[base + i]! === a.id) return true;
    return false;
  }

  /** Pages still allocated, grouped by allocation. */
  live(): { alloc: ShadowAllocation; pages: number[] }[] {
    const out: { alloc: ShadowAllocation; pages: number[] }[] = [];
    for (const a of this.allocations.values()) {
      const pages: number[] = [];
      const base = a.pfn - this.startPfn;
      for (let i = 0; i < 1 << a.order; i++) if (this.owner[base + i]! === a.id) pages.push(a.pfn + i);
      if (pages.length > 0) out.push({ alloc: a, pages });
    }
    return out;
  }

  /**
   * Pages still charged to `memcg` by the shadow's account: live pages of
   * accounted allocations, leaving out pages for which `skip` is true (pages
   * bad_page() took out, whose charge state the kernel leaves as it was).
   */
  expectedCharge(memcg: string, skip: (pfn: number) => boolean = () => false): number {
    let n = 0;
    for (const { alloc, pages } of this.live()) {
      if (alloc.memcg === memcg && alloc.charged > 0) n += pages.filter((p) => !skip(p)).length;
    }
    return n;
  }
}
