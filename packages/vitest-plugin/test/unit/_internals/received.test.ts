import { explore, runOnce } from '@pagecheck/core';
import { describe, expect, it } from 'vitest';
import { explorationOf, isExploration, isRaceSpec } from '../../../src/_internals/received.js';
import { leak, racyDoubleFree } from '../../specs.js';

describe('explorationOf', () => {
  it('takes an Exploration or a Run as it is', () => {
    const e = explore(leak);
    const r = runOnce(leak);
    expect(explorationOf(e, 'm')).toBe(e);
    expect(explorationOf(r, 'm')).toBe(r);
    expect(isExploration(e) && isExploration(r)).toBe(true);
  });

  it('explores a RaceSpec collecting every kind, once per spec object', () => {
    expect(isRaceSpec(racyDoubleFree)).toBe(true);
    const first = explorationOf(racyDoubleFree, 'm');
    expect(first.kinds).toEqual(explore(racyDoubleFree, { stopOnFirst: false }).kinds);
    expect(first.complete).toBe(true);
    expect(explorationOf(racyDoubleFree, 'm')).toBe(first);
    expect(explorationOf({ ...racyDoubleFree }, 'm')).not.toBe(first);
  });

  it('throws a TypeError naming the matcher and what it received', () => {
    expect(() => explorationOf([], 'toViolate')).toThrow(/^toViolate\(\) expects an Exploration or Run \(what explore\(\) or runOnce\(\) from @pagecheck\/core return\) or a RaceSpec \(an object with threads: .*\), but received an array of 0 elements$/);
    expect(() => explorationOf({ threads: null }, 'm')).toThrow(TypeError);
    expect(isExploration({ violations: [], kinds: [], failures: [], schedules: '1', complete: true })).toBe(false);
  });

  it('lets core say what is wrong with a malformed spec', () => {
    expect(() => explorationOf({ name: 'x', threads: {} }, 'm')).toThrow(/race spec x has no threads/);
  });
});
