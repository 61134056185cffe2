import { explore, runOnce } from '@pagecheck/core';
import { describe, expect, it } from 'vitest';
import { summary } from '../../../src/_internals/summary.js';
import { clean, leak } from '../../specs.js';

describe('summary', () => {
  it('says how many schedules, which strategy, and whether it covered them all', () => {
    const e = explore(clean);
    expect(summary(e)).toBe(`${e.schedules} schedules (exhaustive, complete)`);
    expect(summary(explore(leak))).toBe('1 schedule (exhaustive, incomplete)');
    expect(summary(explore(clean, { strategy: 'random', maxSchedules: 3 }))).toBe('3 schedules (random, incomplete)');
  });

  it('calls a run of one schedule a replay', () => {
    expect(summary(runOnce(clean))).toBe('1 schedule (replay)');
  });
});
