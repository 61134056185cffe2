import { describe, expect, it } from 'vitest';
import { parseExists } from '../../../src/engine/litmus/litmus.js';
import { ExecutionGraph, READ, WRITE, ONCE } from '../../../src/engine/memory-model/graph.js';
import { checkLkmm } from '../../../src/engine/memory-model/lkmm.js';
import { EventSet, Relation } from '../../../src/engine/memory-model/relation.js';

const rel = (n: number, edges: [number, number][]): Relation => {
  const r = new Relation(n);
  for (const [a, b] of edges) r.add(a, b);
  return r;
};

describe('Relation', () => {
  it('composes, closes and finds cycles across 32-bit words', () => {
    const r = rel(40, [[0, 33], [33, 39], [39, 5]]);
    expect(r.seq(r).edges()).toEqual([[0, 39], [33, 5]]);
    expect(r.plus().has(0, 5)).toBe(true);
    expect(r.cyclic()).toBe(false);
    r.add(5, 0);
    expect(r.cyclic()).toBe(true);
  });

  it('restricts domains and ranges to sets, and inverts', () => {
    const r = rel(4, [[0, 1], [2, 3], [1, 3]]);
    const s = EventSet.of(4, (i) => i < 2);
    expect(r.from(s).edges()).toEqual([[0, 1], [1, 3]]);
    expect(r.to(s).edges()).toEqual([[0, 1]]);
    expect(r.inverse().edges()).toEqual([[1, 0], [3, 1], [3, 2]]);
    expect(r.minus(rel(4, [[1, 3]])).union(Relation.identity(4, s)).edges()).toEqual([[0, 0], [0, 1], [1, 1], [2, 3]]);
  });
});

describe('checkLkmm', () => {
  it('rejects a read of an overwritten value in the writer\'s own thread (CoWR)', () => {
    const g = new ExecutionGraph();
    const h = g.history(0, 0);
    const w = g.add({ tid: 0, index: 0, step: 0, sub: 1, kind: WRITE, loc: 0, value: 1, tags: ONCE, rf: -1, promise: undefined, rmw: -1, fn: 'WRITE_ONCE' });
    h.push(w.id);
    g.add({ tid: 0, index: 1, step: 1, sub: 1, kind: READ, loc: 0, value: 0, tags: ONCE, rf: h[0]!, promise: undefined, rmw: -1, fn: 'READ_ONCE' });
    expect(checkLkmm(g)).toBe('coherence');
    g.events[2]!.rf = w.id;
    expect(checkLkmm(g)).toBeUndefined();
  });
});

describe('parseExists', () => {
  it('reads herd conditions: registers, final values, /\\, \\/, ~ and parentheses', () => {
    const regs: Record<string, number>[] = [{ r0: 1 }, { r0: 0, r1: 2 }];
    const final = (n: string): number => (n === 'x' ? 2 : 0);
    expect(parseExists('0:r0=1 /\\ 1:r1=2 /\\ x=2')(regs, final)).toBe(true);
    expect(parseExists('0:r0=0 \\/ (1:r0=0 /\\ ~y=1)')(regs, final)).toBe(true);
    expect(parseExists('~(x=2)')(regs, final)).toBe(false);
    expect(() => parseExists('0:r0==1')).toThrow(/exists clause '0:r0==1'/);
  });
});
