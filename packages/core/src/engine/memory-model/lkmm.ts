import { READ, SYNC_RCU, SYNC_SRCU, type ExecutionGraph } from './graph.js';
import { checkAxioms, type LkmmAxiom } from './lkmm-cat.js';
import { atomicity, criticalSections } from './lkmm-bell.js';

export type { LkmmAxiom } from './lkmm-cat.js';

/**
 * Checks an execution graph against the Linux-kernel memory model
 * (tools/memory-model/linux-kernel.cat, in its current form with
 * po-unlock-lock-po; the relations are in lkmm-bell.ts, lkmm-cat.ts and lkmm-plain.ts): sequential consistency
 * per variable, RMW atomicity, the happens-before, propagation, rcu and
 * plain-coherence axioms, with address, data and control dependencies, plain
 * accesses, RCU and SRCU. Reads still waiting for
 * a promised store contribute no rf or fr edges yet: every relation only grows
 * as the graph grows, so a prefix that breaks an axiom cannot be completed.
 * Returns the first axiom broken, or undefined for a consistent graph.
 *
 * The cycle axioms are checked over the graph's cyclic core only (`cyclicCore`),
 * atomicity over the whole graph; the verdict is `checkLkmmFull`'s.
 * @remarks Since 0.1.0
 */
export function checkLkmm(g: ExecutionGraph): LkmmAxiom | undefined {
  const core = coreOf(g, 0);
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
  const core = coreOf(g, from);
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
 * The events the axioms are checked over: the cyclic core of po | rf | co | fr
 * and, when the graph has a grace period and a read-side critical section
 * (without one, rb cycles are pb cycles), the components of po | rf | co | fr |
 * rcu-rscsi | srcu-rscsi that hold one (rcu-rscsi, an unlock's edge back to the
 * lock it closes, is the one relation of the cat file that goes against program
 * order; an rb cycle goes through a grace period, since every rcu-fence holds
 * an rcu-gp or srcu-gp). Without the grace-period condition every read-side
 * critical section would be one component, and checked at every step.
 */
function coreOf(g: ExecutionGraph, from: number): number[] {
  const core = cyclicCore(g, from);
  if (g.gracePeriods === 0 || g.sectionLocks === 0) return core;
  const rcu = cyclicCore(g, from, true);
  if (rcu.length === 0) return core;
  return [...new Set([...core, ...rcu])].sort((a, b) => a - b);
}

/**
 * Typed arrays `cyclicCore` reuses from call to call (it runs after nearly every
 * weak access and before every weak alternative; allocating its thirteen arrays
 * each time showed in profiles of lkmm explorations): slot `k` as `n` entries set to `value`.
 */
const scratchSlots: Int32Array[] = [];
function scratch(k: number, n: number, value: number): Int32Array {
  let a = scratchSlots[k];
  if (a === undefined || a.length < n) scratchSlots[k] = a = new Int32Array(Math.max(n, 2 * (a?.length ?? 64)));
  const view = a.subarray(0, n);
  view.fill(value);
  return view;
}

/**
 * The events that lie on a cycle of po | rf | co | fr (the union of its strongly
 * connected components with more than one event); with `rcu`, of po | rf | co |
 * fr | rcu-rscsi | srcu-rscsi, keeping only the components that hold a grace
 * period (F[sync-rcu], SRCU[sync-srcu]). Every relation the axioms
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
export function cyclicCore(g: ExecutionGraph, from = 0, rcu = false): number[] {
  const ev = g.events;
  const n = ev.length;
  // A relation with the same reachability as po | rf | co | fr, in typed arrays: po as each
  // event's next in its thread, co as each store's next store, fr as a read's edge to the
  // store after the one it read, and rf as each store's readers (offsets into one array).
  const poNext = scratch(0, n, -1);
  for (const list of g.byThread.values()) for (let x = 0; x + 1 < list.length; x++) poNext[list[x]!] = list[x + 1]!;
  const coNext = scratch(1, n, -1);
  for (const h of g.co.values()) for (let x = 0; x + 1 < h.length; x++) coNext[h[x]!] = h[x + 1]!;
  const frNext = scratch(2, n, -1);
  const rfStart = scratch(3, n + 1, 0);
  for (let i = 0; i < n; i++) {
    const e = ev[i]!;
    if (e.kind !== READ || e.rf < 0) continue;
    rfStart[e.rf + 1]!++;
    frNext[i] = coNext[e.rf]!;
  }
  for (let i = 0; i < n; i++) rfStart[i + 1]! += rfStart[i]!;
  const readers = scratch(4, rfStart[n]!, 0);
  const fill = scratch(5, n, 0);
  fill.set(rfStart.subarray(0, n));
  for (let i = 0; i < n; i++) {
    const e = ev[i]!;
    if (e.kind === READ && e.rf >= 0) readers[fill[e.rf]!++] = i;
  }
  // rcu-rscsi and srcu-rscsi: each unlock's edge back to the lock it closes.
  const back = scratch(6, n, -1);
  if (rcu) {
    const { rcu, srcu } = criticalSections(g);
    for (const [l, u] of [...rcu, ...srcu]) back[u] = l;
  }
  /** The k-th successor of v (k < 4: po, co, fr, rscsi; then its readers), -1 for none, -2 past the last. */
  const succ = (v: number, k: number): number => {
    if (k === 0) return poNext[v]!;
    if (k === 1) return coNext[v]!;
    if (k === 2) return frNext[v]!;
    if (k === 3) return back[v]!;
    const at = rfStart[v]! + k - 4;
    return at < rfStart[v + 1]! ? readers[at]! : -2;
  };
  // Tarjan's algorithm, iterative.
  const index = scratch(7, n, -1);
  const low = scratch(8, n, 0);
  const onStack = scratch(9, n, 0);
  const stack = scratch(10, n, 0);
  let sp = 0;
  const frameV = scratch(11, n, 0);
  const frameK = scratch(12, n, 0);
  let fp = 0;
  const core: number[] = [];
  let counter = 0;
  // Only the components holding an event from `from` on are kept, and each is found from such an
  // event (everything on a cycle through it is reachable from it): the search starts there.
  for (let root = from; root < n; root++) {
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
        let gp = !rcu;
        for (let q = bottom; q < sp && !gp; q++) gp = (ev[stack[q]!]!.tags & (SYNC_RCU | SYNC_SRCU)) !== 0;
        if (sp - bottom > 1 && fresh && gp) for (let q = bottom; q < sp; q++) core.push(stack[q]!);
        sp = bottom;
      }
    }
  }
  return core.sort((a, b) => a - b);
}

