import type { ExecutionGraph } from './graph.js';

/**
 * The threads' views under the weak model: per thread and location, the
 * stores (graph ids) the thread has read or written; it can no longer read or
 * write below the latest of them in coherence order (CoRR, CoWR, CoRW, CoWW).
 * @remarks Since 0.1.0
 */
export class Views {
  /** Thread -> location -> stores the thread has read or written. */
  private readonly seen = new Map<number, Map<number, number[]>>();

  constructor(private readonly graph: ExecutionGraph) {}

  /** Thread `tid` has read or written store `id` of `loc`. */
  see(tid: number, loc: number, id: number): void {
    let m = this.seen.get(tid);
    if (m === undefined) this.seen.set(tid, (m = new Map()));
    const list = m.get(loc);
    if (list === undefined) m.set(loc, [id]);
    else list.push(id);
  }

  /** The thread's view of `loc`: the coherence position of the latest store it has read or written. */
  floor(tid: number, loc: number): number {
    const list = this.seen.get(tid)?.get(loc);
    if (list === undefined) return 0;
    const h = this.graph.co.get(loc)!;
    let f = 0;
    for (const id of list) {
      const p = h.indexOf(id);
      if (p > f) f = p;
    }
    return f;
  }
}
