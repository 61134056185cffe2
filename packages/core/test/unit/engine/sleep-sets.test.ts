import { describe, expect, it } from 'vitest';
import type { Node } from '../../../src/engine/dfs-path.js';
import { sleepSetOf } from '../../../src/engine/sleep-sets.js';
import { load, store } from './programs.js';

describe('sleepSetOf', () => {
  it('puts to sleep the explored threads whose next op is independent of the step taken, not the dependent ones', () => {
    const parent: Node = {
      enabled: 0b111, backtrack: 0b111, done: 0b011, sleep: 0b100, chosen: 1,
      pending: [load(5), store(0, 1), store(0, 2)],
      preemptions: 0, alts: -1, alt: 0, offered: undefined, foreign: 0, foreignAlts: false,
    };
    // Thread 0 (explored, reads another word) sleeps; thread 2 (asleep, writes the same word) wakes; thread 1 was taken.
    expect(sleepSetOf(parent, 3)).toBe(0b001);
  });
});
