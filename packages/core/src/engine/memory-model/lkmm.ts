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
 * @remarks Since 0.2.0
 */
export function checkLkmm(g: ExecutionGraph): LkmmAxiom | undefined {
  const ev = g.events;
  const n = ev.length;
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
  for (const list of g.byThread.values()) {
    for (let x = 0; x < list.length; x++) {
      const a = ev[list[x]!]!;
      for (let y = 0; y < list.length; y++) {
        const b = ev[list[y]!]!;
        intRel.add(a.id, b.id);
        if (x < y && poKey(a) < poKey(b)) po.add(a.id, b.id);
      }
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (ev[i]!.loc >= 0 && ev[i]!.loc === ev[j]!.loc) locRel.add(i, j);
  const ext = new Relation(n);
  ext.bits.fill(0xffffffff);
  const extRel = ext.minus(intRel);

  const rf = new Relation(n);
  const co = new Relation(n);
  const fr = new Relation(n);
  const rmw = new Relation(n);
  const coPos = new Map<number, number>();
  for (const h of g.co.values()) {
    for (let x = 0; x < h.length; x++) {
      coPos.set(h[x]!, x);
      for (let y = x + 1; y < h.length; y++) co.add(h[x]!, h[y]!);
    }
  }
  for (const e of ev) {
    if (e.kind !== READ) continue;
    if (e.rmw >= 0) rmw.add(e.id, e.rmw);
    if (e.rf < 0) continue;
    rf.add(e.rf, e.id);
    const h = g.co.get(e.loc)!;
    for (let y = coPos.get(e.rf)! + 1; y < h.length; y++) fr.add(e.id, h[y]!);
  }

  // Sequential consistency per variable.
  const com = rf.union(co, fr);
  if (po.intersect(locRel).union(com).cyclic()) return 'coherence';
  // Atomic read-modify-write: no write comes between an RMW's read and its write.
  const fre = fr.intersect(extRel);
  const coe = co.intersect(extRel);
  if (!rmw.intersect(fre.seq(coe)).empty()) return 'atomic';

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
