import { describe, expect, it } from 'vitest';
import { decodeToken, explore, runOnce, type RaceSpec } from '../../src/index.js';

const badSetup: RaceSpec<void> = {
  name: 'setup that throws',
  setup() {
    throw new Error('boom');
  },
  threads: {
    *A() {},
    *B() {},
  },
};

describe('a spec whose setup throws', () => {
  it('is reported as a thread-error in setup, with a token that decodes and replays', () => {
    const r = explore(badSetup);
    expect(r.kinds).toEqual(['thread-error']);
    expect(r.failure!.violation.thread).toBe('setup');
    expect(r.failure!.violation.message).toContain('setup threw Error: boom');
    expect(decodeToken(r.failure!.replay).threads).toBe(2);
    expect(runOnce(badSetup, { replay: r.failure!.replay }).kinds).toEqual(['thread-error']);
  });
});
