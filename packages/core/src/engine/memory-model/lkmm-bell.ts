/**
 * The base relations of the Linux-kernel memory model over the events of an
 * execution graph: what tools/memory-model/linux-kernel.bell and lock.cat
 * define and herd7 builds in (po, int, ext, loc, rf, co, fr, rmw, addr, data,
 * ctrl, the RCU and SRCU read-side critical sections), each named as there.
 * linux-kernel.cat's derived relations are in lkmm-cat.ts.
 * @remarks Since 0.1.0
 */
import {
  PLAIN, RCU_LOCK, RCU_UNLOCK, READ, SRCU_LOCK, SRCU_UNLOCK, SYNC_RCU, SYNC_SRCU, type ExecutionGraph, type MemEvent,
} from './graph.js';
import { EventSet, Relation } from './relation.js';

/** Tags that make an event part of RCU or SRCU. */
export const RCU_TAGS = RCU_LOCK | RCU_UNLOCK | SYNC_RCU | SRCU_LOCK | SRCU_UNLOCK | SYNC_SRCU;

/**
 * Program order within a thread. The events of one op share its step index and
 * are ordered by `sub`: a fully ordered atomic is F[mb] ->po R ->rmw W ->po F[mb],
 * every rmw link a po link (tools/memory-model/Documentation/herd-representation.txt).
 */
export function poKey(e: MemEvent): number {
  return e.index * 4 + e.sub;
}

/**
 * po among one thread's events (`list`, in id order): an edge to every later
 * event with a greater key (one op's two writes share a key and are unordered;
 * a stand-in for a promised store that its thread has passed comes after
 * events with greater keys and is ordered after none of them).
 */
function programOrder(po: Relation, list: readonly number[], ev: readonly MemEvent[]): void {
  let sorted = true;
  for (let x = 1; x < list.length && sorted; x++) sorted = poKey(ev[list[x - 1]!]!) <= poKey(ev[list[x]!]!);
  if (!sorted) {
    for (let x = 0; x < list.length; x++) {
      for (let y = x + 1; y < list.length; y++) if (poKey(ev[list[x]!]!) < poKey(ev[list[y]!]!)) po.add(list[x]!, list[y]!);
    }
    return;
  }
  // Scanning back, `after` holds the events with a greater key.
  const after = new EventSet(po.n);
  let x = list.length - 1;
  while (x >= 0) {
    const key = poKey(ev[list[x]!]!);
    let y = x;
    while (y >= 0 && poKey(ev[list[y]!]!) === key) y--;
    for (let z = y + 1; z <= x; z++) po.orRow(list[z]!, after);
    for (let z = y + 1; z <= x; z++) after.add(list[z]!);
    x = y;
  }
}

/** Atomicity on the whole graph: a store of another thread between an RMW's read and its write in coherence order. */
export function atomicity(g: ExecutionGraph): boolean {
  const ev = g.events;
  for (const r of ev) {
    if (r.kind !== READ || r.rmw < 0 || r.rf < 0) continue;
    const h = g.co.get(r.loc)!;
    const from = h.indexOf(r.rf);
    if (from < 0) continue;
    const to = h.indexOf(r.rmw);
    for (let p = from + 1; p < to; p++) {
      const x = ev[h[p]!]!;
      // fre: x is not r's thread's (an initial write is nobody's); coe: nor the write's.
      if (x.tid !== r.tid) return true;
    }
  }
  return false;
}

/**
 * linux-kernel.bell's rcu-rscs (and srcu-rscs) on the whole graph: each
 * rcu_read_unlock() with the rcu_read_lock() it closes (nesting, innermost
 * first); each srcu_read_unlock() with the srcu_read_lock() whose cookie it
 * was given (`data` from the lock to the unlock, same srcu_struct), or, for a
 * cookie that carries no dependency, the innermost unmatched lock of its
 * srcu_struct in its thread. Returns [lock, unlock] pairs of graph ids.
 */
export function criticalSections(g: ExecutionGraph): { rcu: [number, number][]; srcu: [number, number][] } {
  const rcu: [number, number][] = [];
  const srcu: [number, number][] = [];
  for (const list of g.byThread.values()) {
    const open: number[] = [];
    const srcuOpen: number[] = [];
    for (const id of list) {
      const e = g.events[id]!;
      if ((e.tags & RCU_TAGS) === 0) continue;
      if ((e.tags & RCU_LOCK) !== 0) open.push(id);
      else if ((e.tags & RCU_UNLOCK) !== 0) {
        const l = open.pop();
        if (l !== undefined) rcu.push([l, id]);
      } else if ((e.tags & SRCU_LOCK) !== 0) srcuOpen.push(id);
      else if ((e.tags & SRCU_UNLOCK) !== 0) {
        const cookie = e.deps?.data ?? [];
        let at = -1;
        for (let k = srcuOpen.length - 1; k >= 0 && at < 0; k--) {
          const l = g.events[srcuOpen[k]!]!;
          if (l.domain === e.domain && (cookie.length === 0 || cookie.includes(l.index))) at = k;
        }
        if (at >= 0) srcu.push([srcuOpen.splice(at, 1)[0]!, id]);
      }
    }
  }
  return { rcu, srcu };
}

/** The base relations (linux-kernel.bell and herd's built-ins) over the events `ids` of a graph. */
export interface Base {
  readonly n: number;
  readonly ev: readonly MemEvent[];
  readonly set: (test: (e: MemEvent) => boolean) => EventSet;
  readonly po: Relation;
  readonly int: Relation;
  readonly ext: Relation;
  readonly loc: Relation;
  readonly rf: Relation;
  readonly co: Relation;
  readonly fr: Relation;
  readonly rmw: Relation;
  readonly addr: Relation;
  readonly data: Relation;
  readonly ctrl: Relation;
  readonly rcuRscs: Relation;
  readonly srcuRscs: Relation;
  /** Pairs of SRCU events of the same srcu_struct (the `& loc` of the srcu terms). */
  readonly sameDomain: Relation;
  /** A grace period and a read-side critical section: the rcu axiom can be broken. */
  readonly hasRcu: boolean;
  /** A grace period (gp is part of strong-fence). */
  readonly hasGp: boolean;
  readonly hasPlain: boolean;
  /** Some event has an address, data or control dependency. */
  readonly hasDeps: boolean;
}
export function baseRelations(g: ExecutionGraph, ids: readonly number[]): Base {
  const all = g.events;
  const n = ids.length;
  // Graph id -> index among `ids`, -1 for an event left out.
  const local = new Int32Array(all.length).fill(-1);
  for (let i = 0; i < n; i++) local[ids[i]!] = i;
  const ev = ids.map((id) => all[id]!);
  const set = (test: (e: MemEvent) => boolean): EventSet => EventSet.of(n, (i) => test(ev[i]!));
  const po = new Relation(n);
  const int = new Relation(n);
  const loc = new Relation(n);
  // Each thread's events and each location's accesses among `ids`, in id order (a thread's: program order).
  const byTid = new Map<number, number[]>();
  const byLoc = new Map<number, EventSet>();
  // The rcu axiom needs a grace period and a read-side critical section: with a grace period
  // alone, rcu-fence is rcu-gp and every rb cycle is a pb cycle (po ; rcu-gp ; po? is gp).
  let hasGp = false;
  let hasSection = false;
  let hasPlain = false;
  for (let i = 0; i < n; i++) {
    const e = ev[i]!;
    if ((e.tags & (SYNC_RCU | SYNC_SRCU)) !== 0) hasGp = true;
    if ((e.tags & (RCU_LOCK | SRCU_LOCK)) !== 0) hasSection = true;
    if ((e.tags & PLAIN) !== 0) hasPlain = true;
    if (e.tid >= 0) {
      const list = byTid.get(e.tid);
      if (list === undefined) byTid.set(e.tid, [i]);
      else list.push(i);
    }
    if (e.loc >= 0) {
      let at = byLoc.get(e.loc);
      if (at === undefined) byLoc.set(e.loc, (at = new EventSet(n)));
      at.add(i);
    }
  }
  for (const list of byTid.values()) {
    const same = new EventSet(n);
    for (const i of list) same.add(i);
    for (const i of list) int.orRow(i, same);
    programOrder(po, list, ev);
  }
  for (let i = 0; i < n; i++) if (ev[i]!.loc >= 0) loc.orRow(i, byLoc.get(ev[i]!.loc)!);
  const everything = new Relation(n);
  everything.bits.fill(0xffffffff);
  const ext = everything.minus(int);

  const rf = new Relation(n);
  const co = new Relation(n);
  const fr = new Relation(n);
  const rmw = new Relation(n);
  // Graph id -> position in its location's coherence order (-1: none, a stand-in for a promised store).
  const coPos = new Int32Array(all.length).fill(-1);
  for (const h of g.co.values()) {
    const later = new EventSet(n);
    for (let x = h.length - 1; x >= 0; x--) {
      coPos[h[x]!] = x;
      const i = local[h[x]!]!;
      if (i < 0) continue;
      co.orRow(i, later);
      later.add(i);
    }
  }
  for (let i = 0; i < n; i++) {
    const e = ev[i]!;
    if (e.kind !== READ) continue;
    if (e.rmw >= 0 && local[e.rmw]! >= 0) rmw.add(i, local[e.rmw]!);
    if (e.rf < 0) continue;
    const src = local[e.rf]!;
    if (src >= 0) rf.add(src, i);
    const h = g.co.get(e.loc)!;
    // A stand-in for a promised store has no place in coherence order yet: no fr.
    const from = coPos[e.rf]!;
    if (from < 0) continue;
    for (let y = from + 1; y < h.length; y++) {
      const w = local[h[y]!]!;
      if (w >= 0) fr.add(i, w);
    }
  }

  // addr, data, ctrl: from the reads (and srcu_read_lock()s) a dependency names, by thread and step index.
  // Relations no event has an edge of share one empty matrix (nothing writes to it).
  const none = new Relation(n);
  const anyDeps = ev.some((e) => e.deps !== undefined);
  const addr = anyDeps ? new Relation(n) : none;
  const data = anyDeps ? new Relation(n) : none;
  const ctrl = anyDeps ? new Relation(n) : none;
  const sources = new Map<number, number>();
  const keyOf = (tid: number, index: number): number => tid * 0x100000 + index;
  if (anyDeps) {
    for (let i = 0; i < n; i++) {
      const e = ev[i]!;
      if (e.tid >= 0 && (e.kind === READ || (e.tags & SRCU_LOCK) !== 0)) sources.set(keyOf(e.tid, e.index), i);
    }
  }
  let hasDeps = false;
  for (let i = 0; i < n && anyDeps; i++) {
    const d = ev[i]!.deps;
    if (d === undefined) continue;
    const link = (r: Relation, list: readonly number[] | undefined): void => {
      for (const index of list ?? []) {
        const s = sources.get(keyOf(ev[i]!.tid, index));
        if (s !== undefined && s !== i && po.has(s, i)) {
          r.add(s, i);
          hasDeps = true;
        }
      }
    };
    link(addr, d.addr);
    link(data, d.data);
    link(ctrl, d.ctrl);
  }
  let addrC = addr;
  let dataC = data;
  let ctrlC = ctrl;
  if (hasDeps) {
    // linux-kernel.bell: dependencies carried through plain accesses, carry-dep = (data ; [~Srcu-unlock] ; rfi)*.
    const notUnlock = set((e) => (e.tags & SRCU_UNLOCK) === 0);
    const carryDep = data.to(notUnlock).seq(rf.intersect(int)).star();
    addrC = carryDep.seq(addr);
    ctrlC = carryDep.seq(ctrl);
    dataC = carryDep.seq(data);
  }
  const hasRcu = hasGp && hasSection;
  // rcu-rscs and srcu-rscs (linux-kernel.bell), matched on the whole graph.
  const rcuRscs = hasRcu ? new Relation(n) : none;
  const srcuRscs = hasRcu ? new Relation(n) : none;
  const sameDomain = hasRcu ? new Relation(n) : none;
  if (hasRcu) {
    const sections = criticalSections(g);
    for (const [l, u] of sections.rcu) if (local[l]! >= 0 && local[u]! >= 0) rcuRscs.add(local[l]!, local[u]!);
    for (const [l, u] of sections.srcu) if (local[l]! >= 0 && local[u]! >= 0) srcuRscs.add(local[l]!, local[u]!);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) if (ev[i]!.domain !== undefined && ev[i]!.domain === ev[j]!.domain) sameDomain.add(i, j);
    }
  }
  return { n, ev, set, po, int, ext, loc, rf, co, fr, rmw, addr: addrC, data: dataC, ctrl: ctrlC, rcuRscs, srcuRscs, sameDomain, hasRcu, hasGp, hasPlain, hasDeps };
}
