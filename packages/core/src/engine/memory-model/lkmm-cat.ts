/**
 * The relations of the Linux-kernel memory model, relation by relation as
 * tools/memory-model/linux-kernel.cat states them (each named as there), over
 * the events of an execution graph: the basic relations, preserved program
 * order, propagation, happens-before, pb and RCU's rb here; the base
 * relations of linux-kernel.bell, lock.cat and herd7 in lkmm-bell.ts; the
 * plain-access part in lkmm-plain.ts. `checkAxioms` tests the axioms
 * (coherence, atomic, happens-before, propagation, rcu, plain-coherence);
 * `dataRaces` computes the `data-race` flag.
 * @remarks Since 0.1.0
 */
import {
  ACQUIRE, AFTER_ATOMIC, AFTER_SPINLOCK, AFTER_UNLOCK_LOCK, BEFORE_ATOMIC, FENCE_EVENT, LKR, LKW, MB, NORETURN, PLAIN, READ, RELEASE, RMB, RMW_SET,
  SYNC_RCU, SYNC_SRCU, UL, WMB, WRITE, type ExecutionGraph,
} from './graph.js';
import { atomicity, baseRelations, type Base } from './lkmm-bell.js';
import { coreKey, VerdictCache } from './core-key.js';
import { plainRaces } from './lkmm-plain.js';
import { EventSet, Relation, scratchScope } from './relation.js';

/** An axiom of the Linux-kernel memory model that an execution graph breaks. */
export type LkmmAxiom = 'coherence' | 'atomic' | 'happens-before' | 'propagation' | 'rcu' | 'plain-coherence';

/** The derived relations up to hb (what the happens-before axiom needs). */
interface HbStage {
  readonly marked: EventSet;
  readonly strongFence: Relation;
  readonly nonrwFence: Relation;
  readonly fence: Relation;
  readonly cumulFence: Relation;
  readonly prop: Relation;
  readonly hb: Relation;
}
/** The derived relations of linux-kernel.cat, named as there. */
export interface Derived extends HbStage {
  readonly pb: Relation;
  readonly rcuFence: Relation;
  readonly rb: Relation;
}

export function derive(b: Base): Derived {
  const h = deriveHb(b);
  const p = derivePb(b, h);
  return { ...h, ...p, ...deriveRb(b, h, p) };
}

/** linux-kernel.cat up to hb: fences, ppo, cumul-fence, prop, hb. */
function deriveHb(b: Base): HbStage {
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
  // Empty when no event has the fence's tag (most fence kinds, in most graphs).
  const fencerel = (t: number): Relation => {
    const fences = tagged(t);
    return fences.empty() ? new Relation(n) : po.to(fences).seq(po);
  };
  const poOpt = po.opt();

  // Release Acquire: acq-po, po-rel, po-unlock-lock-po (lock.cat).
  const acqPo = po.restrict(acquire, M);
  const poRel = po.restrict(M, release);
  const poUnlockLockPo = po.to(tagged(UL)).seq(po.union(rf)).to(tagged(LKR)).seq(po);
  // Fences: R4rmb = R \ Noreturn; rmb, wmb, mb.
  const R4rmb = b.set((e) => e.kind === READ && (e.tags & NORETURN) === 0);
  const rmb = fencerel(RMB).restrict(R4rmb, R4rmb);
  const wmb = fencerel(WMB).restrict(W, W);
  // Each term after the first is empty when its fence kind is absent (X ; 0 = 0): only the others are computed.
  const present = (t: number): boolean => b.ev.some((e) => (e.tags & t) !== 0);
  const mbTerms: Relation[] = [];
  if (present(BEFORE_ATOMIC)) mbTerms.push(fencerel(BEFORE_ATOMIC).restrict(M, rmwSet).seq(poOpt).to(M));
  if (present(AFTER_ATOMIC)) mbTerms.push(poOpt.restrict(M, rmwSet).seq(fencerel(AFTER_ATOMIC)).to(M));
  if (present(AFTER_SPINLOCK)) mbTerms.push(poOpt.restrict(M, tagged(LKW)).seq(fencerel(AFTER_SPINLOCK)).to(M));
  if (present(AFTER_UNLOCK_LOCK)) mbTerms.push(po.restrict(M, tagged(UL)).seq(co.union(po)).to(tagged(LKW)).seq(fencerel(AFTER_UNLOCK_LOCK)).to(M));
  const mb = fencerel(MB).restrict(M, M).union(...mbTerms);
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
  const onMarked = (r: Relation): Relation => (b.hasPlain ? r.restrict(marked, marked) : r);

  // Propagation: A-cumul, cumul-fence, prop.
  const rfe = rf.intersect(ext);
  const aCumul = (r: Relation): Relation => r.union((b.hasPlain ? rfe.to(marked) : rfe).seq(r));
  // rmw-sequence = (rf ; rmw)*: a chain of RMWs each reading from the one before extends cumul-fence.
  const rmwSequence = rf.seq(b.rmw).star();
  const cumulFence = onMarked(aCumul(strongFence.union(poRel)).union(wmb, poUnlockLockPo)).seq(rmwSequence);
  const prop = onMarked(overwrite.intersect(ext).opt().seq(cumulFence.star()).seq(onMarked(rfe.opt())));

  // Happens Before: hb = [Marked] ; (ppo | rfe | ((prop \ id) & int)) ; [Marked].
  const hb = onMarked(ppo.union(rfe, prop.minus(Relation.identity(n)).intersect(int)));
  return { marked, strongFence, nonrwFence, fence, cumulFence, prop, hb };
}

/** pb = prop ; strong-fence ; hb* ; [Marked]. */
function derivePb(b: Base, h: HbStage): { hbStar: Relation; pb: Relation } {
  const { prop, strongFence, marked } = h;
  const hbStar = h.hb.star();
  // Propagation: pb = prop ; strong-fence ; hb* ; [Marked].
  const pb = b.hasPlain ? prop.seq(strongFence).seq(hbStar).to(marked) : prop.seq(strongFence).seq(hbStar);
  return { hbStar, pb };
}

/** RCU: rcu-gp, srcu-gp, rcu-rscsi, srcu-rscsi, rcu-link, rcu-fence (rcu-order), rb; empty without a grace period and a critical section. */
function deriveRb(b: Base, h: HbStage, p: { hbStar: Relation; pb: Relation }): { rcuFence: Relation; rb: Relation } {
  const { n, po } = b;
  const { prop, marked } = h;
  const { hbStar, pb } = p;

  // RCU: rcu-gp, srcu-gp, rcu-rscsi, srcu-rscsi, rcu-link, rcu-fence, rb.
  let rcuFence = new Relation(n);
  let rb = new Relation(n);
  if (b.hasRcu) {
    const tagged = (t: number): EventSet => b.set((e) => (e.tags & t) !== 0);
    const poOpt = po.opt();
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
  return { rcuFence, rb };
}

/** The axioms over the events `ids` (ascending), with the base relations of the whole graph restricted to them. */
export function checkAxioms(g: ExecutionGraph, ids: readonly number[]): LkmmAxiom | undefined {
  if (ids.length === g.events.length) return scratchScope(() => axioms(g, ids));
  // A core: the cycle axioms on its events (their verdict remembered by the core's content), atomicity on the whole graph.
  const key = coreKey(g, ids);
  let cycles = key === undefined ? undefined : verdicts.get(key);
  if (cycles === undefined) {
    cycles = scratchScope(() => axioms(g, ids, false)) ?? 'none';
    if (key !== undefined) verdicts.set(key, cycles);
  }
  if (cycles === 'coherence') return cycles;
  if (atomicity(g)) return 'atomic';
  return cycles === 'none' ? undefined : cycles;
}

/**
 * The cycle axioms' verdicts on cores already checked, by `coreKey`: runs that
 * reach the same graph in other interleavings, or replay a prefix, check the
 * same cores again, and a core's verdict depends on its content alone. At most
 * 5 000 keys (a few hundred to a thousand numbers each, ~25 MB at most) are kept.
 */
const verdicts = new VerdictCache<LkmmAxiom | 'none'>(5_000);

/** The axioms in the cat file's order; without `atomic`, all but atomicity (the caller checks it on the whole graph). */
function axioms(g: ExecutionGraph, ids: readonly number[], atomic = true): LkmmAxiom | undefined {
  const b = baseRelations(g, ids);
  // Sequential Consistency Per Variable: acyclic po-loc | com.
  const com = b.rf.union(b.co, b.fr);
  if (b.po.intersect(b.loc).union(com).cyclic()) return 'coherence';
  // Atomic Read-Modify-Write: empty rmw & (fre ; coe), on the whole graph (it is no cycle).
  if (atomic && !b.rmw.intersect(b.fr.intersect(b.ext).seq(b.co.intersect(b.ext))).empty()) return 'atomic';
  // Each stage is derived only when the axioms before it hold (the first axiom broken is the verdict).
  const h = deriveHb(b);
  if (h.hb.cyclic()) return 'happens-before';
  const p = derivePb(b, h);
  if (p.pb.cyclic()) return 'propagation';
  const r = deriveRb(b, h, p);
  // irreflexive rb as rcu.
  if (b.hasRcu && r.rb.reflexive()) return 'rcu';
  if (b.hasPlain && !plainRaces(b, { ...h, ...p, ...r }).incoherent.empty()) return 'plain-coherence';
  return undefined;
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
  const edges = scratchScope(() => {
    const b = baseRelations(g, ids);
    return plainRaces(b, derive(b)).races.edges();
  });
  const out: [number, number][] = [];
  for (const [i, j] of edges) {
    const pair: [number, number] = i < j ? [ids[i]!, ids[j]!] : [ids[j]!, ids[i]!];
    if (!out.some(([a, c]) => a === pair[0] && c === pair[1])) out.push(pair);
  }
  return out;
}
