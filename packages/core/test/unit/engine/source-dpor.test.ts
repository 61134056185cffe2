import { describe, expect, it } from 'vitest';
import type { Node } from '../../../src/engine/dfs-path.js';
import { RaceTracker } from '../../../src/engine/source-dpor.js';
import { load, store } from './programs.js';

function node(chosen: number): Node {
  return { enabled: 0b11, backtrack: 1 << chosen, done: 1 << chosen, sleep: 0, chosen, pending: [], preemptions: 0, alts: -1, alt: 0, offered: undefined, foreign: 0, foreignAlts: false };
}

describe('RaceTracker', () => {
  it('reverses a race: a later step of another thread on the same word adds that thread at the earlier step', () => {
    const stack = [node(0), node(1)];
    const t = new RaceTracker(stack, 2);
    t.step(0, 0, store(0, 1));
    t.step(1, 1, load(0));
    expect(stack[0]!.backtrack).toBe(0b11);
  });

  it('leaves steps on different words alone', () => {
    const stack = [node(0), node(1)];
    const t = new RaceTracker(stack, 2);
    t.step(0, 0, store(0, 1));
    t.step(1, 1, load(1));
    expect(stack[0]!.backtrack).toBe(0b01);
  });

  it('counts the accesses to a word and gives a pending op the clock it would run with', () => {
    const t = new RaceTracker([node(0), node(1)], 2);
    t.step(0, 0, store(0, 1));
    expect(t.accessCount(load(0))).toBe(1);
    expect(Array.from(t.clockOf(1, load(0)))).toEqual([1, 0]);
    expect(Array.from(t.clockOf(1, load(1)))).toEqual([0, 0]);
  });
});
