import { describe, expect, it } from 'vitest';
import { explore } from '../../src/explore.js';
import { runOnce } from '../../src/run-once.js';
import { checkThenFree, messagePassing } from './report/specs.js';

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
});
