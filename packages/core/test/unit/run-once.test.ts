import { beforeEach, describe, expect, it } from 'vitest';
import { explore } from '../../src/explore.js';
import { runOnce } from '../../src/run-once.js';
import { checkThenFree, messagePassing } from './report/specs.js';
import { decodeToken, encodeToken, ReplayTokenError } from '../../src/engine/token.js';
import { specFingerprint } from '../../src/spec-fingerprint.js';

describe('runOnce', () => {
  it('runs each thread to completion in turn without a token', () => {
    const r = runOnce(checkThenFree);
    expect(r.strategy).toBe('replay');
    expect(r.kinds).toEqual([]);
  });

  it('reproduces a failure from its token, under the memory model the token was made with', () => {
    for (const spec of [checkThenFree, messagePassing]) {
      const f = explore(spec as never).failure!;
      const again = runOnce(spec as never, { replay: f.replay }).failures.find((x) => x.violation.kind === f.violation.kind)!;
      expect(again.replay).toBe(f.replay);
      expect(again.diagram).toBe(f.diagram);
    }
  });

  it('checks its options', () => {
    expect(() => runOnce(checkThenFree, { maxSteps: 0 })).toThrow('runOnce({ maxSteps }): must be a positive integer, got 0');
  });

  describe('replay checks', () => {
    const token = (schedule: number[], threads = 2): string => encodeToken(specFingerprint(checkThenFree), threads, schedule);
    // The schedule of the race's failure, A and B interleaved (found inside each test, not while tests are collected).
    let schedule: number[] = [];
    beforeEach(() => {
      schedule = [...decodeToken(explore(checkThenFree).failure!.replay).schedule];
    });

    it('replays the whole schedule to the same verdict', () => {
      expect(runOnce(checkThenFree, { replay: token(schedule) }).kinds).toEqual(explore(checkThenFree).kinds);
    });

    it('says a token that ends before the run does was cut short', () => {
      const cut = schedule.slice(0, 3);
      expect(() => runOnce(checkThenFree, { replay: token(cut) })).toThrow(
        new ReplayTokenError("replay token for 'check-then-free race' ends at step 3 but the run goes on: the token was cut short, or the spec changed since it was made"),
      );
    });

    it('says where a replay diverges and which threads could run', () => {
      // A runs alone to its end, then the token still wants A: only B can run there.
      expect(() => runOnce(checkThenFree, { replay: token(new Array<number>(200).fill(0)) })).toThrow(
        /^replay of 'check-then-free race' diverged at step [1-9]\d*: the token wants thread 0 but only 1 can run; the spec no longer behaves as when the token was made$/,
      );
    });

    it('refuses a token for another number of threads', () => {
      expect(() => runOnce(checkThenFree, { replay: token(schedule, 3) })).toThrow(
        new ReplayTokenError("replay token is for 3 threads; spec 'check-then-free race' runs 2"),
      );
    });
  });
});
