import { describe, expect, it } from 'vitest';
import type { Node } from '../../../src/engine/dfs-path.js';
import { splitAmongShards } from '../../../src/engine/dfs-sharding.js';

function node(backtrack: number): Node {
  return { enabled: 0b1111, backtrack, done: 0b0001, sleep: 0, chosen: 0, pending: [], preemptions: 0, alts: -1, alt: 0, offered: undefined, foreign: 0, foreignAlts: false };
}

describe('splitAmongShards', () => {
  it('waits while too few branches are pending and the probe is short', () => {
    const stack = [node(0b0011)];
    expect(splitAmongShards(stack, 4, { index: 0, count: 2 }, undefined, 1)).toBe(false);
    expect(stack[0]!.foreign).toBe(0);
  });

  it('deals the pending branches to the shards in turn, marking the others\' as foreign', () => {
    const a = [node(0b1111)];
    const b = [node(0b1111)];
    expect(splitAmongShards(a, 4, { index: 0, count: 2 }, { pendingPerShard: 1 }, 1)).toBe(true);
    expect(splitAmongShards(b, 4, { index: 1, count: 2 }, { pendingPerShard: 1 }, 1)).toBe(true);
    // Pending: threads 1, 2, 3. Shard 0 keeps 1 and 3; shard 1 keeps 2.
    expect(a[0]!.foreign).toBe(0b0100);
    expect(b[0]!.foreign).toBe(0b1010);
  });

  it('splits after the probe\'s last run whatever is pending', () => {
    expect(splitAmongShards([node(0b0011)], 4, { index: 0, count: 2 }, { maxRuns: 5 }, 5)).toBe(true);
  });
});
