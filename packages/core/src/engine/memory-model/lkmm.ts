import {
  ACQUIRE, AFTER_ATOMIC, AFTER_SPINLOCK, AFTER_UNLOCK_LOCK, BEFORE_ATOMIC, LKR, LKW, MB, NORETURN, READ, RELEASE, RMB, RMW_SET, UL, WMB, WRITE,
  type ExecutionGraph, type MemEvent,
} from './graph.js';
import { EventSet, Relation } from './relation.js';

/** An axiom of the Linux-kernel memory model that an execution graph breaks. */
export type LkmmAxiom = 'coherence' | 'atomic' | 'happens-before' | 'propagation';

/**
 * Program order within a thread. The events of one op share its step index and
 * are ordered by `sub`: a fully ordered atomic is F[mb] ->po R ->rmw W ->po F[mb],
 * every rmw link a po link (tools/memory-model/Documentation/herd-representation.txt).
 */
function poKey(e: MemEvent): number {
  return e.index * 4 + e.sub;
}

/**
 * Checks an execution graph against the Linux-kernel memory model
 * (tools/memory-model/linux-kernel.cat, in its current form with
 * po-unlock-lock-po): sequential consistency per
 * variable, RMW atomicity, the happens-before and the propagation axioms. All
 * accesses are marked (READ_ONCE and friends); there are no address, data or
 * control dependencies, no plain accesses and no RCU. Reads still waiting for
 * a promised store contribute no rf or fr edges yet: every relation only grows
 * as the graph grows, so a prefix that breaks an axiom cannot be completed.
 * Returns the first axiom broken, or undefined for a consistent graph.
 *
 * The cycle axioms are checked over the graph's cyclic core only (`cyclicCore`),
 * atomicity over the whole graph; the verdict is `checkLkmmFull`'s.
 * @remarks Since 0.1.0
 */
export function checkLkmm(g: ExecutionGraph): LkmmAxiom | undefined {
  const core = cyclicCore(g);
  if (core.length === 0) return atomicity(g) ? 'atomic' : undefined;
  return checkAxioms(g, core);
}

/**
 * The check after events were added to a graph known consistent without them
 * (those with ids from `from` on): a cycle the new events close runs through one
 * of them (every edge they add is incident to one: a new read's rf and fr, a new
 * write's co and fr, a kept promise's rf), so only the strongly connected
 * components of po | rf | co | fr that hold a new event are checked, and
 * atomicity on the whole graph. The verdict is `checkLkmm`'s on such a graph.
 * @remarks Since 0.1.0
 */
export function checkLkmmFrom(g: ExecutionGraph, from: number): LkmmAxiom | undefined {
  const core = cyclicCore(g, from);
  if (core.length === 0) return atomicity(g) ? 'atomic' : undefined;
  return checkAxioms(g, core);
}

/**
 * The same check over every event of the graph, as the cat file states it: the
 * reference `checkLkmm` must agree with (tests compare the two).
 * @remarks Since 0.1.0
 */
export function checkLkmmFull(g: ExecutionGraph): LkmmAxiom | undefined {
  return checkAxioms(g, g.events.map((e) => e.id));
}

/**
 * The events that lie on a cycle of po | rf | co | fr (the union of its strongly
 * connected components with more than one event). Every relation the axioms
 * test is built from these four by union, sequence, closure and restriction, so
 * each of its edges stands for a path of them, and a cycle of it for a closed
 * walk whose events all lie in one such component: the coherence,
 * happens-before and propagation axioms hold on the whole graph when they hold
 * on these events (with po, co and fr restricted to them, which are transitive
 * or computed on the whole graph first). An execution that is sequentially
 * consistent has none, and checks nothing; a weak one checks only the events
 * its cycles go through, a few dozen rather than the run's hundreds. With
 * `from`, only the components holding an event with an id from `from` on.
 */
export function cyclicCore(g: ExecutionGraph, from = 0): number[] {
  const ev = g.events;
  const n = ev.length;
  // A relation with the same reachability as po | rf | co | fr, in typed arrays: po as each
  // event's next in its thread, co as each store's next store, fr as a read's edge to the
  // store after the one it read, and rf as each store's readers (offsets into one array).
  const poNext = new Int32Array(n).fill(-1);
  for (const list of g.byThread.values()) for (let x = 0; x + 1 < list.length; x++) poNext[list[x]!] = list[x + 1]!;
  const coNext = new Int32Array(n).fill(-1);
  for (const h of g.co.values()) for (let x = 0; x + 1 < h.length; x++) coNext[h[x]!] = h[x + 1]!;
  const frNext = new Int32Array(n).fill(-1);
  const rfStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const e = ev[i]!;
    if (e.kind !== READ || e.rf < 0) continue;
    rfStart[e.rf + 1]!++;
    frNext[i] = coNext[e.rf]!;
  }
  for (let i = 0; i < n; i++) rfStart[i + 1]! += rfStart[i]!;
  const readers = new Int32Array(rfStart[n]!);
  const fill = rfStart.slice(0, n);
  for (let i = 0; i < n; i++) {
    const e = ev[i]!;
    if (e.kind === READ && e.rf >= 0) readers[fill[e.rf]!++] = i;
  }
  /** The k-th successor of v (k < 3: po, co, fr; then its readers), -1 for none, -2 past the last. */
  const succ = (v: number, k: number): number => {
    if (k === 0) return poNext[v]!;
    if (k === 1) return coNext[v]!;
    if (k === 2) return frNext[v]!;
    const at = rfStart[v]! + k - 3;
    return at < rfStart[v + 1]! ? readers[at]! : -2;
  };
  // Tarjan's algorithm, iterative.
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  let sp = 0;
  const frameV = new Int32Array(n);
  const frameK = new Int32Array(n);
  let fp = 0;
  const core: number[] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (index[root]! >= 0) continue;
    frameV[fp] = root;
    frameK[fp++] = 0;
    index[root] = low[root] = counter++;
    stack[sp++] = root;
    onStack[root] = 1;
    while (fp > 0) {
      const v = frameV[fp - 1]!;
      const w = succ(v, frameK[fp - 1]!++);
      if (w !== -2) {
        if (w < 0) continue;
        if (index[w]! < 0) {
          index[w] = low[w] = counter++;
          stack[sp++] = w;
          onStack[w] = 1;
          frameV[fp] = w;
          frameK[fp++] = 0;
        } else if (onStack[w] === 1 && index[w]! < low[v]!) {
          low[v] = index[w]!;
        }
        continue;
      }
      fp--;
      if (fp > 0) {
        const parent = frameV[fp - 1]!;
        if (low[v]! < low[parent]!) low[parent] = low[v]!;
      }
      if (low[v] === index[v]) {
        // v's component is v and everything above it on the stack; one event alone is no cycle.
        let bottom = sp - 1;
        while (stack[bottom] !== v) bottom--;
        for (let q = bottom; q < sp; q++) onStack[stack[q]!] = 0;
        let fresh = false;
        for (let q = bottom; q < sp && !fresh; q++) fresh = stack[q]! >= from;
        if (sp - bottom > 1 && fresh) for (let q = bottom; q < sp; q++) core.push(stack[q]!);
        sp = bottom;
      }
    }
  }
  return core.sort((a, b) => a - b);
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
function atomicity(g: ExecutionGraph): boolean {
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

/** The axioms over the events `ids` (ascending), with the base relations of the whole graph restricted to them. */
function checkAxioms(g: ExecutionGraph, ids: readonly number[]): LkmmAxiom | undefined {
  const all = g.events;
  const n = ids.length;
  // Graph id -> index among `ids`, -1 for an event left out.
  const local = new Int32Array(all.length).fill(-1);
  for (let i = 0; i < n; i++) local[ids[i]!] = i;
  const ev = ids.map((id) => all[id]!);
  const set = (test: (e: MemEvent) => boolean): EventSet => EventSet.of(n, (i) => test(ev[i]!));
  const tagged = (t: number): EventSet => set((e) => (e.tags & t) !== 0);
  const W = set((e) => e.kind === WRITE);
  const M = set((e) => e.kind !== 2);
  const acquire = tagged(ACQUIRE);
  const release = tagged(RELEASE);
  const rmwSet = tagged(RMW_SET);
  const R4rmb = set((e) => e.kind === READ && (e.tags & NORETURN) === 0);

  const po = new Relation(n);
  const intRel = new Relation(n);
  const locRel = new Relation(n);
  // Each thread's events and each location's accesses among `ids`, in id order (a thread's: program order).
  const byTid = new Map<number, number[]>();
  const byLoc = new Map<number, EventSet>();
  for (let i = 0; i < n; i++) {
    const e = ev[i]!;
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
    for (const i of list) intRel.orRow(i, same);
    programOrder(po, list, ev);
  }
  for (let i = 0; i < n; i++) if (ev[i]!.loc >= 0) locRel.orRow(i, byLoc.get(ev[i]!.loc)!);
  const ext = new Relation(n);
  ext.bits.fill(0xffffffff);
  const extRel = ext.minus(intRel);

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

  // Sequential consistency per variable.
  const com = rf.union(co, fr);
  if (po.intersect(locRel).union(com).cyclic()) return 'coherence';
  // Atomic read-modify-write: no write comes between an RMW's read and its write
  // (rmw & (fre; coe) empty), on the whole graph: it is no cycle.
  if (n === all.length ? !rmw.intersect(fr.intersect(extRel).seq(co.intersect(extRel))).empty() : atomicity(g)) return 'atomic';

  const fencerel = (t: number): Relation => po.to(tagged(t)).seq(po);
  const poOpt = po.opt();
  const acqPo = po.from(acquire).to(M);
  const poRel = po.from(M).to(release);
  // po-unlock-lock-po: an unlock followed by a lock of the same CPU (any lock) or reading from it.
  const poUnlockLockPo = po.to(tagged(UL)).seq(po.union(rf)).to(tagged(LKR)).seq(po);
  const rmb = fencerel(RMB).from(R4rmb).to(R4rmb);
  const wmb = fencerel(WMB).from(W).to(W);
  const mb = fencerel(MB).from(M).to(M).union(
    fencerel(BEFORE_ATOMIC).from(M).to(rmwSet).seq(poOpt).to(M),
    poOpt.from(M).to(rmwSet).seq(fencerel(AFTER_ATOMIC)).to(M),
    poOpt.from(M).to(tagged(LKW)).seq(fencerel(AFTER_SPINLOCK)).to(M),
    po.from(M).to(tagged(UL)).seq(co.union(po)).to(tagged(LKW)).seq(fencerel(AFTER_UNLOCK_LOCK)).to(M),
  );
  const strongFence = mb;
  const nonrwFence = strongFence.union(poRel, acqPo);
  const fence = nonrwFence.union(wmb, rmb);

  // Preserved program order (no dependencies: to-r is empty, to-w is overwrite & int).
  const overwrite = co.union(fr);
  const ppo = overwrite.intersect(intRel).union(fence, poUnlockLockPo.intersect(intRel));

  // Propagation: ordering from release operations and strong fences.
  const rfe = rf.intersect(extRel);
  const aCumul = (r: Relation): Relation => r.union(rfe.seq(r));
  const cumulFence = aCumul(strongFence.union(poRel)).union(wmb, poUnlockLockPo);
  const prop = overwrite.intersect(extRel).opt().seq(cumulFence.star()).seq(rfe.opt());

  const hb = ppo.union(rfe, prop.minus(Relation.identity(n)).intersect(intRel));
  if (hb.cyclic()) return 'happens-before';
  const pb = prop.seq(strongFence).seq(hb.star());
  if (pb.cyclic()) return 'propagation';
  return undefined;
}
