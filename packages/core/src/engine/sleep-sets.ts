import type { Node } from './dfs-path.js';
import { dependent } from './op.js';

/**
 * The sleep set of a new state (Godefroid): the threads asleep or explored at
 * its parent, other than the one taken there, whose next op is independent of
 * the step taken. Running one of them next would only reorder independent
 * steps of a schedule already covered.
 */
export function sleepSetOf(parent: Node, n: number): number {
  let sleep = 0;
  const taken = parent.pending[parent.chosen]!;
  const candidates = (parent.sleep | parent.done) & ~(1 << parent.chosen);
  for (let q = 0; q < n; q++) {
    if (((candidates >>> q) & 1) === 0) continue;
    const qo = parent.pending[q];
    if (qo !== undefined && !dependent(qo, taken)) sleep |= 1 << q;
  }
  return sleep;
}
