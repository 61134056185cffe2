/**
 * linux-kernel.cat's last part, "Plain accesses and data races": executes-before
 * and visibility (xbstar, vis), the lifetimes of plain accesses
 * (w-pre-bounded, r-pre-bounded, w-post-bounded, r-post-bounded), the
 * coherence requirements for plain accesses (wr-, rw-, ww-incoh) and the
 * actual races (ww-, wr-, rw-race), each named as there.
 * @remarks Since 0.1.0
 */
import {
  FENCE_EVENT, INIT, NORETURN, PLAIN, READ, RMB, WRITE,
} from './graph.js';
import type { Base } from './lkmm-bell.js';
import { Relation, type EventSet } from './relation.js';

/** The relations of linux-kernel.cat before its plain-access part that the part uses (lkmm-cat.ts derives them). */
export interface PlainInputs {
  readonly marked: EventSet;
  readonly strongFence: Relation;
  readonly nonrwFence: Relation;
  readonly fence: Relation;
  readonly cumulFence: Relation;
  readonly hb: Relation;
  readonly pb: Relation;
  readonly rcuFence: Relation;
  readonly rb: Relation;
}

/** linux-kernel.cat's plain-access part: the coherence requirements (wr-, rw-, ww-incoh) and the races. */
export function plainRaces(b: Base, d: PlainInputs): { incoherent: Relation; races: Relation } {
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
