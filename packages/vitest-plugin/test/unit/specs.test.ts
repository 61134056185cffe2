import { explore, runOnce, type RaceSpec, type ViolationKind } from '@pagecheck/core';
import { describe, expect, it } from 'vitest';
import { clean, doubleFree, freeTwice, leak, memcgLeak, memcgUnderflow, racyDoubleFree, sharedRefs, slowClean, useAfterFree } from '../specs.js';

// The matcher and raceTest tests rely on these verdicts of the core model.
describe('the test specs', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- specs of different state types
  const cases: ReadonlyArray<readonly [RaceSpec<any>, readonly ViolationKind[]]> = [
    [clean, []],
    [sharedRefs, []],
    [slowClean, []],
    [leak, ['page-leak']],
    [freeTwice, ['refcount-underflow']],
    [doubleFree, ['double-free', 'use-after-free']],
    [useAfterFree, ['use-after-free']],
    [memcgLeak, ['memcg-leak']],
    [memcgUnderflow, ['memcg-underflow']],
  ];
  for (const [spec, kinds] of cases) {
    it(`'${spec.name}' shows ${kinds.length === 0 ? 'nothing' : kinds.join(', ')} under exhaustive exploration`, () => {
      const e = explore(spec, { stopOnFirst: false });
      expect(e.complete).toBe(true);
      expect(e.kinds).toEqual(kinds);
    });
  }

  it('has races that only some interleavings show', () => {
    // The exact company double-free keeps here depends on the model's free path: tests derive it.
    expect(explore(racyDoubleFree, { stopOnFirst: false }).kinds).toContain('double-free');
    expect(runOnce(racyDoubleFree).kinds).toEqual([]);
    expect(runOnce(memcgUnderflow).kinds).toEqual([]);
  });
});
