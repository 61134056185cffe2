import { describe, expect, it } from 'vitest';
import { lowest, maskList, pendingOf, preemptionsWith, type Node } from '../../../src/engine/dfs-path.js';

function node(fields: Partial<Node>): Node {
  return { enabled: 0, backtrack: 0, done: 0, sleep: 0, chosen: -1, pending: [], preemptions: 0, alts: -1, alt: 0, offered: undefined, foreign: 0, foreignAlts: false, ...fields };
}

describe('the DFS path', () => {
  it('lists the branches still to explore from the root down: threads to backtrack to, not done, awake and enabled, and untried alternatives', () => {
    const root = node({ enabled: 0b111, backtrack: 0b111, done: 0b001, sleep: 0b100, chosen: 0 });
    const child = node({ enabled: 0b011, backtrack: 0b011, done: 0b011, chosen: 1, alts: 2, alt: 0 });
    expect(pendingOf([root, child], 3).map((p) => [p.node === root ? 'root' : 'child', p.thread])).toEqual([['root', 1], ['child', -1]]);
  });

  it('counts a switch away from a thread that could go on as a preemption', () => {
    const stack = [node({ enabled: 0b11, chosen: 0, preemptions: 0 }), node({ enabled: 0b11, chosen: 0 })];
    expect(preemptionsWith(stack, 0, 1)).toBe(0);
    expect(preemptionsWith(stack, 1, 0)).toBe(0);
    expect(preemptionsWith(stack, 1, 1)).toBe(1);
    stack[1]!.enabled = 0b10;
    expect(preemptionsWith(stack, 1, 1)).toBe(0);
  });

  it('names the lowest thread of a mask, and lists a mask', () => {
    expect(lowest(0b10100)).toBe(2);
    expect(maskList(0b10100)).toBe('{2, 4}');
  });
});
