import { describe, expect, it } from 'vitest';
import { tentativeBreaks, type EventSpec } from '../../../src/engine/memory-model/consistent.js';
import { ExecutionGraph, FENCE_EVENT, MB, ONCE, READ, WRITE } from '../../../src/engine/memory-model/graph.js';
import { checkLkmmFull } from '../../../src/engine/memory-model/lkmm.js';

const ev = (tid: number, index: number, kind: typeof READ | typeof WRITE | typeof FENCE_EVENT, loc: number, value: number, rf = -1): EventSpec => ({
  tid, index, step: index * 2 + tid, sub: 1, kind, loc, value, tags: kind === FENCE_EVENT ? MB : ONCE, rf, promise: undefined, rmw: -1, fn: 'test',
});

/** SB+fencembonceonces up to P1's read: P0 wrote x, fenced and read y's initial value; P1 wrote y and fenced. */
function sbPrefix(): ExecutionGraph {
  const g = new ExecutionGraph();
  const x = g.history(0, 0);
  const y = g.history(1, 0);
  x.push(g.add(ev(0, 0, WRITE, 0, 1)).id);
  g.add(ev(0, 1, FENCE_EVENT, -1, 0));
  g.add(ev(0, 2, READ, 1, 0, y[0]!));
  y.push(g.add(ev(1, 0, WRITE, 1, 1)).id);
  g.add(ev(1, 1, FENCE_EVENT, -1, 0));
  return g;
}

describe('checking an alternative before taking it', () => {
  it('finds the axiom the full check finds once the alternative is taken, and leaves the graph as it was', () => {
    const g = sbPrefix();
    const before = JSON.stringify({ events: g.events, co: [...g.co], byThread: [...g.byThread] });
    const initX = g.co.get(0)![0]!;
    const latestX = g.co.get(0)![1]!;
    // P1 reading x's initial value is the outcome SB+fencembonceonces forbids; reading P0's store is allowed.
    const stale = tentativeBreaks(g, [{ spec: ev(1, 2, READ, 0, 0, initX) }]);
    const fresh = tentativeBreaks(g, [{ spec: ev(1, 2, READ, 0, 1, latestX) }]);
    expect(JSON.stringify({ events: g.events, co: [...g.co], byThread: [...g.byThread] })).toBe(before);
    expect(fresh).toBeUndefined();
    g.add(ev(1, 2, READ, 0, 0, initX));
    expect(checkLkmmFull(g)).toBeDefined();
    expect(stale).toBe(checkLkmmFull(g));
  });
});
