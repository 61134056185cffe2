import { rmw as rmwResult } from '../execution.js';
import { RMW_ADD_UNLESS, RMW_CMPXCHG, type Op } from '../op.js';
import { ACQUIRE, ExecutionGraph, FENCE_EVENT, MB, NORETURN, ONCE, READ, RELEASE, RMW_SET, WRITE, type MemEvent } from './graph.js';
import { checkLkmmFrom, type LkmmAxiom } from './lkmm.js';

/** An event to add, without its id. */
export type EventSpec = Omit<MemEvent, 'id'>;

/**
 * One event of an alternative a step may take, in program order: a write with
 * the coherence position it takes (`at`, default last), a read with the write
 * it reads in its spec's `rf`; `rmwNext` links a read to the write after it.
 */
export interface TentativeEvent {
  readonly spec: EventSpec;
  readonly at?: number;
  readonly rmwNext?: boolean;
}

/**
 * Whether an alternative leaves the graph consistent: adds its events, checks
 * the axioms from the new events only (`checkLkmmFrom`: the graph before them
 * is consistent), and takes them out again, leaving the graph as it was.
 * Returns the axiom broken, or undefined. This is how a step offers only
 * alternatives LKMM allows: a run is never started down a branch the check
 * after the step would abandon (the same check, made before instead of after).
 * @remarks Since 0.1.0
 */
export function tentativeBreaks(g: ExecutionGraph, t: readonly TentativeEvent[]): LkmmAxiom | undefined {
  const from = g.events.length;
  const added: MemEvent[] = [];
  for (const { spec, at } of t) {
    const e = g.add(spec);
    if (e.kind === WRITE) g.co.get(e.loc)!.splice(at ?? g.co.get(e.loc)!.length, 0, e.id);
    added.push(e);
  }
  t.forEach((x, i) => {
    if (x.rmwNext === true) {
      added[i]!.rmw = added[i + 1]!.id;
      added[i + 1]!.rmw = added[i]!.id;
    }
  });
  const broken = checkLkmmFrom(g, from);
  for (let i = added.length - 1; i >= 0; i--) {
    const e = added[i]!;
    if (e.kind === WRITE) {
      const h = g.co.get(e.loc)!;
      h.splice(h.indexOf(e.id), 1);
    }
    g.removeLast();
  }
  return broken;
}

/**
 * A fence a promising thread's pending op will add before the promised store
 * (`WeakMemory.doomed`): the thread, the op's step index, the fence's tags, and
 * an SRCU fence's domain.
 */
export interface AheadFence {
  readonly tid: number;
  readonly index: number;
  readonly tags: number;
  readonly domain?: number | undefined;
}

/**
 * The check of a graph whose reads `waiting` wait for promised stores (rf -1):
 * each promised store gets a stand-in, a W[once] after its thread's events so
 * far, read by the loads waiting for it, in no coherence order yet. Each
 * relation of that graph is contained in the one of any run where the store
 * comes (it comes later in its thread's program order, perhaps with more tags
 * and coherence edges), so a broken axiom dooms the run. The graph before
 * `from` must be consistent without the stand-ins' edges: the check covers
 * the cycles through events from `from` on and through the stand-ins. With
 * `ahead`, the fences the promising threads' pending ops will add come before
 * their stand-ins (a thread's pending op comes before the store it promised).
 * The stand-ins and fences are taken out again.
 * @remarks Since 0.1.0
 */
export function promisedBreaks(g: ExecutionGraph, waiting: readonly MemEvent[], from: number, ahead: readonly AheadFence[] = []): LkmmAxiom | undefined {
  if (waiting.length === 0) return undefined;
  const first = g.events.length;
  const added: MemEvent[] = [];
  for (const f of ahead) {
    added.push(g.add({ tid: f.tid, index: f.index, step: -1, sub: 0, kind: FENCE_EVENT, loc: -1, value: 0, tags: f.tags, rf: -1, promise: undefined, rmw: -1, fn: 'ahead', domain: f.domain }));
  }
  for (const r of waiting) {
    const p = r.promise!;
    let w = added.find((x) => x.tid === p.tid && x.index === p.index && x.loc === r.loc);
    if (w === undefined) {
      w = g.add({ tid: p.tid, index: p.index, step: -1, sub: 1, kind: WRITE, loc: r.loc, value: p.value, tags: ONCE, rf: -1, promise: undefined, rmw: -1, fn: 'promised' });
      added.push(w);
    }
    r.rf = w.id;
  }
  // A waiting read gets rf from a stand-in: an edge through a new event, so `from` covers it.
  const broken = checkLkmmFrom(g, Math.min(from, first));
  for (const r of waiting) r.rf = -1;
  for (let i = 0; i < added.length; i++) g.removeLast();
  return broken;
}

/**
 * Whether a load that read something else in this run may read `w`, a store of
 * another thread performed after it (load buffering): the check a run that
 * takes that offer makes at the load (`promisedBreaks` on the graph of the
 * steps before the load, the load waiting for `w`, and the other loads that
 * wait there). The prefix before the load is the same in that run (it replays
 * the schedule and the choices up to there), so an offer that fails here would
 * only start a run abandoned at the load: it is not made.
 * @remarks Since 0.1.0
 */
export function revisitAllowed(g: ExecutionGraph, r: MemEvent, w: MemEvent, value = w.value): boolean {
  const prefix = new ExecutionGraph();
  const map = new Int32Array(g.events.length).fill(-1);
  const waiting: MemEvent[] = [];
  for (const e of g.events) {
    if (e.tid >= 0 && e.step >= r.step) continue;
    const c = prefix.add({ ...e, rf: e.rf >= 0 ? map[e.rf]! : -1, rmw: -1 });
    map[e.id] = c.id;
    // A read whose promised store came after the load still waits there.
    if (c.kind === READ && c.rf < 0 && c.promise !== undefined) waiting.push(c);
  }
  for (const e of g.events) if (e.rmw >= 0 && map[e.id]! >= 0) prefix.events[map[e.id]!]!.rmw = map[e.rmw]!;
  for (const [loc, h] of g.co) {
    const list: number[] = [];
    for (const id of h) if (map[id]! >= 0) list.push(map[id]!);
    prefix.co.set(loc, list);
  }
  const read = prefix.add({ ...r, rf: -1, rmw: -1, promise: { ...prefix.alternative(w), value }, value });
  waiting.push(read);
  return promisedBreaks(prefix, waiting, read.id) === undefined;
}

/**
 * Whether RMW op `o` fails on reading `old` (a cmpxchg whose old value differs,
 * an add_unless on its `u`): then it writes nothing and is a relaxed read.
 * @remarks Since 0.1.0
 */
export function rmwFails(o: Op, old: number): boolean {
  return (o.rmw === RMW_CMPXCHG && old !== o.a) || (o.rmw === RMW_ADD_UNLESS && old === o.b);
}

/**
 * Whether an RMW op `o` reading the store at coherence position `p` of `h`
 * breaks an axiom: its events as `WeakMemory` adds them (a fully ordered one's
 * F[mb] before, its read, its write right after the store it read; a failed
 * cmpxchg a relaxed read alone), `base` giving thread, step and op.
 * @remarks Since 0.1.0
 */
export function rmwBreaks(g: ExecutionGraph, base: EventSpec, o: Op, h: readonly number[], p: number): LkmmAxiom | undefined {
  const order = o.order ?? 'mb';
  const old = g.events[h[p]!]!.value;
  const fails = rmwFails(o, old);
  const events: TentativeEvent[] = [];
  if (order === 'mb' && !fails) events.push({ spec: { ...base, sub: 0, kind: FENCE_EVENT, loc: -1, value: 0, tags: MB } });
  const rtag = RMW_SET | (fails ? ONCE : order === 'acquire' ? ACQUIRE : order === 'noreturn' ? NORETURN : ONCE);
  events.push({ spec: { ...base, value: old, tags: rtag, rf: h[p]! }, rmwNext: !fails });
  if (!fails) events.push({ spec: { ...base, sub: 2, kind: WRITE, value: rmwResult(o, old), tags: RMW_SET | (order === 'release' ? RELEASE : ONCE) }, at: p + 1 });
  return tentativeBreaks(g, events);
}
