/**
 * The relations of the Linux-kernel memory model, relation by relation as
 * tools/memory-model/linux-kernel.cat, linux-kernel.bell and lock.cat state
 * them (each named as there), over the events of an execution graph.
 * `checkAxioms` tests the axioms (coherence, atomic, happens-before,
 * propagation, rcu, plain-coherence); `dataRaces` computes the `data-race` flag.
 * @remarks Since 0.1.0
 */
import {
  ACQUIRE, AFTER_ATOMIC, AFTER_SPINLOCK, AFTER_UNLOCK_LOCK, BEFORE_ATOMIC, FENCE_EVENT, INIT, LKR, LKW, MB, NORETURN, PLAIN, RCU_LOCK, RCU_UNLOCK, READ,
  RELEASE, RMB, RMW_SET, SRCU_LOCK, SRCU_UNLOCK, SYNC_RCU, SYNC_SRCU, UL, WMB, WRITE,
  type ExecutionGraph, type MemEvent,
} from './graph.js';
import { EventSet, Relation } from './relation.js';

/** An axiom of the Linux-kernel memory model that an execution graph breaks. */
export type LkmmAxiom = 'coherence' | 'atomic' | 'happens-before' | 'propagation' | 'rcu' | 'plain-coherence';

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
interface Base {
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

function base(g: ExecutionGraph, ids: readonly number[]): Base {
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

/** The derived relations of linux-kernel.cat, named as there. */
interface Derived {
  readonly marked: EventSet;
  readonly strongFence: Relation;
  readonly nonrwFence: Relation;
  readonly fence: Relation;
  readonly cumulFence: Relation;
  readonly prop: Relation;
  readonly hb: Relation;
  readonly pb: Relation;
  readonly rcuFence: Relation;
  readonly rb: Relation;
}

function derive(b: Base): Derived {
  const { n, po, rf, co, fr, int, ext, addr, data, ctrl } = b;
  const tagged = (t: number): EventSet => b.set((e) => (e.tags & t) !== 0);
  const W = b.set((e) => e.kind === WRITE);
  const M = b.set((e) => e.kind !== FENCE_EVENT);
  // linux-kernel.bell: Marked = (~M) | IW | Once | Release | Acquire | rmw | LKR | LKW | UL ...; Plain = M \ Marked.
  const marked = b.set((e) => (e.tags & PLAIN) === 0);
  const plain = b.set((e) => (e.tags & PLAIN) !== 0);
  const release = tagged(RELEASE);
  const acquire = tagged(ACQUIRE);
  const rmwSet = tagged(RMW_SET);
  const fencerel = (t: number): Relation => po.to(tagged(t)).seq(po);
  const poOpt = po.opt();

  // Release Acquire: acq-po, po-rel, po-unlock-lock-po (lock.cat).
  const acqPo = po.from(acquire).to(M);
  const poRel = po.from(M).to(release);
  const poUnlockLockPo = po.to(tagged(UL)).seq(po.union(rf)).to(tagged(LKR)).seq(po);
  // Fences: R4rmb = R \ Noreturn; rmb, wmb, mb.
  const R4rmb = b.set((e) => e.kind === READ && (e.tags & NORETURN) === 0);
  const rmb = fencerel(RMB).from(R4rmb).to(R4rmb);
  const wmb = fencerel(WMB).from(W).to(W);
  const mb = fencerel(MB).from(M).to(M).union(
    fencerel(BEFORE_ATOMIC).from(M).to(rmwSet).seq(poOpt).to(M),
    poOpt.from(M).to(rmwSet).seq(fencerel(AFTER_ATOMIC)).to(M),
    poOpt.from(M).to(tagged(LKW)).seq(fencerel(AFTER_SPINLOCK)).to(M),
    po.from(M).to(tagged(UL)).seq(co.union(po)).to(tagged(LKW)).seq(fencerel(AFTER_UNLOCK_LOCK)).to(M),
  );
  // gp = po ; [Sync-rcu | Sync-srcu] ; po?; strong-fence = mb | gp.
  const gp = b.hasGp ? po.to(tagged(SYNC_RCU | SYNC_SRCU)).seq(poOpt) : new Relation(n);
  const strongFence = mb.union(gp);
  const nonrwFence = strongFence.union(poRel, acqPo);
  const fence = nonrwFence.union(wmb, rmb);

  // Preserved Program Order: dep, rwdep, overwrite, to-w, to-r, ppo = to-r | to-w | (fence & int) |
  // (po-unlock-lock-po & int) (without dependencies to-r is empty and to-w is overwrite & int).
  const overwrite = co.union(fr);
  const fenceInt = fence.intersect(int);
  let ppo: Relation;
  if (b.hasDeps) {
    const dep = addr.union(data);
    const rwdep = dep.union(ctrl).to(W);
    const rfi = rf.intersect(int);
    const R = b.set((e) => e.kind === READ);
    const toW = rwdep.union(overwrite.intersect(int), addr.to(plain).seq(wmb));
    const toR = addr.to(R).union(dep.to(marked).seq(rfi));
    ppo = toR.union(toW, fenceInt, poUnlockLockPo.intersect(int));
  } else {
    ppo = overwrite.intersect(int).union(fenceInt, poUnlockLockPo.intersect(int));
  }
  // [Marked] ; r ; [Marked], the identity when every access is marked.
  const onMarked = (r: Relation): Relation => (b.hasPlain ? r.from(marked).to(marked) : r);

  // Propagation: A-cumul, cumul-fence, prop.
  const rfe = rf.intersect(ext);
  const aCumul = (r: Relation): Relation => r.union((b.hasPlain ? rfe.to(marked) : rfe).seq(r));
  // rmw-sequence = (rf ; rmw)*: a chain of RMWs each reading from the one before extends cumul-fence.
  const rmwSequence = rf.seq(b.rmw).star();
  const cumulFence = onMarked(aCumul(strongFence.union(poRel)).union(wmb, poUnlockLockPo)).seq(rmwSequence);
  const prop = onMarked(overwrite.intersect(ext).opt().seq(cumulFence.star()).seq(onMarked(rfe.opt())));

  // Happens Before: hb = [Marked] ; (ppo | rfe | ((prop \ id) & int)) ; [Marked].
  const hb = onMarked(ppo.union(rfe, prop.minus(Relation.identity(n)).intersect(int)));
  const hbStar = hb.star();
  // Propagation: pb = prop ; strong-fence ; hb* ; [Marked].
  const pb = b.hasPlain ? prop.seq(strongFence).seq(hbStar).to(marked) : prop.seq(strongFence).seq(hbStar);

  // RCU: rcu-gp, srcu-gp, rcu-rscsi, srcu-rscsi, rcu-link, rcu-fence, rb.
  let rcuFence = new Relation(n);
  let rb = new Relation(n);
  if (b.hasRcu) {
    const rcuGp = Relation.identity(n, tagged(SYNC_RCU));
    const srcuGp = Relation.identity(n, tagged(SYNC_SRCU));
    const rcuRscsi = b.rcuRscs.inverse();
    const srcuRscsi = b.srcuRscs.inverse();
    const rcuLink = poOpt.seq(hbStar).seq(pb.star()).seq(prop).seq(po);
    const dom = b.sameDomain;
    const first = rcuGp.union(srcuGp);
    rcuFence = first;
    for (;;) {
      const L = rcuLink;
      const F = rcuFence;
      const next = first.union(
        rcuGp.seq(L).seq(rcuRscsi),
        srcuGp.seq(L).seq(srcuRscsi).intersect(dom),
        rcuRscsi.seq(L).seq(rcuGp),
        srcuRscsi.seq(L).seq(srcuGp).intersect(dom),
        rcuGp.seq(L).seq(F).seq(L).seq(rcuRscsi),
        srcuGp.seq(L).seq(F).seq(L).seq(srcuRscsi).intersect(dom),
        rcuRscsi.seq(L).seq(F).seq(L).seq(rcuGp),
        srcuRscsi.seq(L).seq(F).seq(L).seq(srcuGp).intersect(dom),
        F.seq(L).seq(F),
      );
      if (next.equals(F)) break;
      rcuFence = next;
    }
    // rb = prop ; po ; rcu-fence ; po? ; hb* ; pb* ; [Marked].
    rb = prop.seq(po).seq(rcuFence).seq(poOpt).seq(hbStar).seq(pb.star());
    if (b.hasPlain) rb = rb.to(marked);
  }
  return { marked, strongFence, nonrwFence, fence, cumulFence, prop, hb, pb, rcuFence, rb };
}

/** The axioms over the events `ids` (ascending), with the base relations of the whole graph restricted to them. */
export function checkAxioms(g: ExecutionGraph, ids: readonly number[]): LkmmAxiom | undefined {
  const b = base(g, ids);
  // Sequential Consistency Per Variable: acyclic po-loc | com.
  const com = b.rf.union(b.co, b.fr);
  if (b.po.intersect(b.loc).union(com).cyclic()) return 'coherence';
  // Atomic Read-Modify-Write: empty rmw & (fre ; coe), on the whole graph (it is no cycle).
  if (ids.length === g.events.length ? !b.rmw.intersect(b.fr.intersect(b.ext).seq(b.co.intersect(b.ext))).empty() : atomicity(g)) return 'atomic';
  const d = derive(b);
  if (d.hb.cyclic()) return 'happens-before';
  if (d.pb.cyclic()) return 'propagation';
  // irreflexive rb as rcu.
  if (b.hasRcu && d.rb.reflexive()) return 'rcu';
  if (b.hasPlain && !plainRaces(b, d).incoherent.empty()) return 'plain-coherence';
  return undefined;
}

/** linux-kernel.cat's plain-access part: the coherence requirements (wr-, rw-, ww-incoh) and the races. */
function plainRaces(b: Base, d: Derived): { incoherent: Relation; races: Relation } {
  const { n, po, rf, co, fr, ext, addr } = b;
  const M = b.set((e) => e.kind !== FENCE_EVENT);
  const W = b.set((e) => e.kind === WRITE);
  const marked = d.marked;
  const plain = b.set((e) => (e.tags & PLAIN) !== 0);
  const notNoreturn = b.set((e) => (e.tags & NORETURN) === 0);
  const R4rmb = b.set((e) => e.kind === READ && (e.tags & NORETURN) === 0);
  const rmbRel = po.to(b.set((e) => (e.tags & RMB) !== 0)).seq(po);
  // Executes-before and visibility: xbstar, vis. After rb the cat file widens fence and strong-fence
  // with rcu-fence = po ; rcu-order ; po? (d.rcuFence is rcu-order); cumul-fence, prop, hb and pb keep
  // the narrower ones, and so does nonrw-fence (defined before).
  const rcuFence = b.hasRcu ? po.seq(d.rcuFence).seq(po.opt()) : undefined;
  const fence = rcuFence === undefined ? d.fence : d.fence.union(rcuFence);
  const strongFence = rcuFence === undefined ? d.strongFence : d.strongFence.union(rcuFence);
  const xbstar = d.hb.union(d.pb, d.rb).star();
  const rfe = rf.intersect(ext);
  const vis = d.cumulFence.star().seq(rfe.opt()).to(marked).seq(strongFence.to(marked).seq(xbstar).union(xbstar.intersect(b.int)));
  // Boundaries for lifetimes of plain accesses; rmw-sequence = (rf ; rmw)*.
  const rmwSequence = rf.seq(b.rmw).star();
  const wPre = addr.union(fence).opt().from(marked);
  const rPre = addr.union(d.nonrwFence, rmbRel.from(R4rmb).to(notNoreturn)).opt().from(marked);
  const wPost = fence.opt().to(marked).seq(rmwSequence);
  const rPost = d.nonrwFence.union(rmbRel.from(notNoreturn).to(R4rmb)).opt().to(marked);
  // Visibility and executes-before for plain accesses: a fence orders plain accesses by itself,
  // and a store a strong fence separates from a marked access is visible after it.
  const wwVis = fence.union(strongFence.seq(xbstar).seq(wPre), wPost.seq(vis).seq(wPre));
  const wrVis = fence.union(strongFence.seq(xbstar).seq(rPre), wPost.seq(vis).seq(rPre));
  const rwXbstar = fence.union(rPost.seq(xbstar).seq(wPre));
  // Potential races: pre-race = ext & ((Plain * M) | ((M \ IW) * Plain)).
  const preRace = new Relation(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (!ext.has(i, j) || !M.has(i) || !M.has(j) || !b.loc.has(i, j)) continue;
      if (plain.has(i) || ((b.ev[i]!.tags & INIT) === 0 && plain.has(j))) preRace.add(i, j);
    }
  }
  const incoherent = preRace.intersect(rf).intersect(rwXbstar.inverse()).union(
    preRace.intersect(fr).intersect(wrVis.inverse()),
    preRace.intersect(co).intersect(wwVis.inverse()),
  );
  // Actual races: ww-nonrace, ww-race, wr-race, rw-race.
  const all = new Relation(n);
  all.bits.fill(0xffffffff);
  const markedToW = all.from(marked).to(W);
  const wToMarked = all.from(W).to(marked);
  const wwNonrace = wwVis.intersect(markedToW.union(rwXbstar)).intersect(wToMarked.union(wrVis));
  const wwRace = preRace.intersect(co).minus(wwNonrace);
  const wrRace = preRace.intersect(co.opt().seq(rf)).minus(wrVis).minus(rwXbstar.inverse());
  const rwRace = preRace.intersect(fr).minus(rwXbstar);
  return { incoherent, races: wwRace.union(wrRace, rwRace) };
}

/**
 * linux-kernel.cat's `flag ~empty (ww-race | wr-race | rw-race) as data-race`
 * on a whole (consistent) graph: the racing pairs, as graph ids, first the
 * earlier one in the graph. Empty when the graph has no plain access.
 * @remarks Since 0.1.0
 */
export function dataRaces(g: ExecutionGraph): [number, number][] {
  if (!g.events.some((e) => (e.tags & PLAIN) !== 0)) return [];
  const ids = g.events.map((e) => e.id);
  const b = base(g, ids);
  const { races } = plainRaces(b, derive(b));
  const out: [number, number][] = [];
  for (const [i, j] of races.edges()) {
    const pair: [number, number] = i < j ? [ids[i]!, ids[j]!] : [ids[j]!, ids[i]!];
    if (!out.some(([a, c]) => a === pair[0] && c === pair[1])) out.push(pair);
  }
  return out;
}
