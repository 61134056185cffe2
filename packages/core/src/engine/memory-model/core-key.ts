import { criticalSections, poKey, RCU_TAGS } from './lkmm-bell.js';
import { READ, type ExecutionGraph, type MemEvent } from './graph.js';

/**
 * What the cycle axioms' verdict on the events `ids` of a graph (a cyclic core)
 * depends on, as numbers: two cores with equal keys have the same base
 * relations up to the order of their events, so the same verdict. Events are
 * named by thread, step index, `sub`, kind and location instead of graph ids,
 * which differ between runs that reach the same graph in another interleaving;
 * for each event the key holds what `baseRelations` reads of it (tags,
 * dependencies, SRCU domain), its rmw partner and rf source among the core,
 * and its fr targets among the core's writes (a read of a store outside the
 * core, or of a stand-in with no place in coherence order yet, is so told
 * apart); then each location's core writes in coherence order, and the RCU and
 * SRCU critical sections (matched on the whole graph) whose lock and unlock
 * are both in the core. Undefined when a thread's core events in graph order
 * are not in program order (a stand-in its thread has passed: program order
 * then depends on graph order too). The key is a view into a buffer the next
 * call reuses.
 */
export function coreKey(g: ExecutionGraph, ids: readonly number[]): Int32Array | undefined {
  const ev = g.events;
  const core: MemEvent[] = [];
  let rcu = false;
  // Thread -> the poKey of its latest core event so far, in graph order.
  lastKey.fill(-1);
  for (const id of ids) {
    const e = ev[id]!;
    if ((e.tags & RCU_TAGS) !== 0) rcu = true;
    if (e.tid >= 0) {
      const k = poKey(e);
      if (e.tid >= lastKey.length || lastKey[e.tid]! > k) return undefined;
      lastKey[e.tid] = k;
    }
    core.push(e);
  }
  core.sort(byName);
  if (at.length < ev.length) {
    at = new Int32Array(2 * ev.length);
    coPos = new Int32Array(2 * ev.length);
  }
  // Graph id -> index in `core` + 1 (0: not in the core); graph id -> position in coherence order.
  for (let i = 0; i < core.length; i++) at[core[i]!.id] = i + 1;
  const locs: number[] = [];
  for (const e of core) if (e.loc >= 0 && !locs.includes(e.loc)) locs.push(e.loc);
  locs.sort((a, b) => a - b);
  for (const loc of locs) {
    const h = g.co.get(loc);
    if (h !== undefined) for (let x = 0; x < h.length; x++) coPos[h[x]!] = x + 1;
  }
  len = 0;
  put(core.length);
  for (const e of core) {
    put(e.tid);
    put(e.index);
    put(e.sub);
    put(e.kind);
    put(e.loc);
    put(e.tags);
    put(e.domain ?? -1);
    put(e.rmw >= 0 ? at[e.rmw]! : 0);
    const d = e.deps;
    if (d === undefined) put(-1);
    else {
      putList(d.addr);
      putList(d.data);
      putList(d.ctrl);
    }
    if (e.kind !== READ || e.rf < 0) {
      put(-1);
      continue;
    }
    put(at[e.rf]!);
    const from = coPos[e.rf]! - 1;
    if (from < 0) {
      put(-2);
      continue;
    }
    const h = g.co.get(e.loc)!;
    for (let y = from + 1; y < h.length; y++) if (at[h[y]!]! > 0) put(at[h[y]!]!);
    put(0);
  }
  for (const loc of locs) {
    const h = g.co.get(loc);
    if (h === undefined) continue;
    put(-3);
    put(loc);
    for (const id of h) if (at[id]! > 0) put(at[id]!);
  }
  if (rcu) {
    const sections = criticalSections(g);
    for (const [tag, pairs] of [[-4, sections.rcu], [-5, sections.srcu]] as const) {
      for (const [l, u] of pairs) {
        if (at[l]! > 0 && at[u]! > 0) {
          put(tag);
          put(at[l]!);
          put(at[u]!);
        }
      }
    }
  }
  // Leave the scratch arrays zeroed for the next call.
  for (const e of core) at[e.id] = 0;
  for (const loc of locs) {
    const h = g.co.get(loc);
    if (h !== undefined) for (const id of h) coPos[id] = 0;
  }
  return buffer.subarray(0, len);
}

/** Program order within a thread, then the location and kind of one op's events that share a `sub`. */
function byName(a: MemEvent, b: MemEvent): number {
  return a.tid - b.tid || a.index - b.index || a.sub - b.sub || a.kind - b.kind || a.loc - b.loc || a.id - b.id;
}

// Scratch state of coreKey, reused from call to call (it runs before nearly every axiom check).
const lastKey = new Float64Array(64);
let at = new Int32Array(1024);
let coPos = new Int32Array(1024);
let buffer = new Int32Array(4096);
let len = 0;

function put(x: number): void {
  if (len === buffer.length) {
    const bigger = new Int32Array(2 * buffer.length);
    bigger.set(buffer);
    buffer = bigger;
  }
  buffer[len++] = x;
}

/** A list with its length first (absent: -1). */
function putList(xs: readonly number[] | undefined): void {
  if (xs === undefined) {
    put(-1);
    return;
  }
  put(xs.length);
  for (const x of xs) put(x);
}

/**
 * Verdicts by exact key: a hash picks a bucket, a stored copy of the key is
 * compared whole, so two cores share a verdict only when their keys are equal.
 * Holds at most `limit` keys, then starts again.
 */
export class VerdictCache<V> {
  private readonly buckets = new Map<number, { key: Int32Array; value: V }[]>();
  private size = 0;

  constructor(private readonly limit: number) {}

  get(key: Int32Array): V | undefined {
    const bucket = this.buckets.get(hash(key));
    if (bucket === undefined) return undefined;
    for (const x of bucket) if (equal(x.key, key)) return x.value;
    return undefined;
  }

  /** Stores a copy of `key` (which may be a view the next `coreKey` overwrites). */
  set(key: Int32Array, value: V): void {
    if (this.size >= this.limit) {
      this.buckets.clear();
      this.size = 0;
    }
    const h = hash(key);
    const entry = { key: key.slice(), value };
    const bucket = this.buckets.get(h);
    if (bucket === undefined) this.buckets.set(h, [entry]);
    else bucket.push(entry);
    this.size++;
  }
}

function hash(key: Int32Array): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key[i]!, 0x01000193);
  return h;
}

function equal(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
