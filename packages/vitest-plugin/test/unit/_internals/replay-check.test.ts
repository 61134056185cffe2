import type { TestModule } from 'vitest/node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { replayCheckReporter, unmatchedReplay } from '../../../src/_internals/replay-check.js';

const TOKEN = 'pc1.1udj9nr-k2x.2.a63b2';

/** A run of race tests, as the reporter sees it: each test's meta and errors. */
function modules(tests: readonly { strategy?: string; error?: string }[]): TestModule[] {
  const cases = tests.map((t) => ({
    meta: () => (t.strategy === undefined ? {} : { pagecheck: { strategy: t.strategy } }),
    result: () => ({ errors: t.error === undefined ? [] : [{ message: t.error }] }),
  }));
  return [{ children: { *allTests() { yield* cases; } } } as unknown as TestModule];
}

describe('unmatchedReplay', () => {
  it('says nothing without a token, with a bad one, or when a race test replayed it', () => {
    expect(unmatchedReplay({}, modules([{ strategy: 'exhaustive' }]))).toBeUndefined();
    expect(unmatchedReplay({ PAGECHECK_REPLAY: 'garbage' }, modules([{ strategy: 'exhaustive' }]))).toBeUndefined();
    expect(unmatchedReplay({ PAGECHECK_REPLAY: TOKEN }, modules([{ strategy: 'exhaustive' }, { strategy: 'replay' }]))).toBeUndefined();
  });

  it('says nothing when a race test failed on the token as stale: that test says so itself', () => {
    expect(unmatchedReplay({ PAGECHECK_REPLAY: TOKEN }, modules([{ error: `PAGECHECK_REPLAY=${TOKEN}: replay token ${TOKEN} does not match: spec 'x' changed since the token was made` }]))).toBeUndefined();
  });

  it('names the token, its fingerprint, the likely causes and the remedy when no race test replayed it', () => {
    const msg = unmatchedReplay({ PAGECHECK_REPLAY: TOKEN }, modules([{ strategy: 'exhaustive' }, {}]));
    expect(msg).toContain(`PAGECHECK_REPLAY=${TOKEN} replayed no race test in this run: no raceTest that ran has the spec the token was made from (fingerprint 1udj9nr).`);
    expect(msg).toContain('renamed or changed since the token was made');
    expect(msg).toContain('a file or -t filter');
    expect(msg).toContain('Remove PAGECHECK_REPLAY to explore, or run the test the token came from and record a new token.');
    expect(msg).toContain('another fingerprint under Vitest');
  });
});

describe('replayCheckReporter', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('fails the run with the message at its end, unless the run was interrupted', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const reporter = replayCheckReporter({ PAGECHECK_REPLAY: TOKEN });
    reporter.onTestRunEnd!(modules([{ strategy: 'exhaustive' }]), [], 'interrupted');
    expect(write).not.toHaveBeenCalled();
    reporter.onTestRunEnd!(modules([{ strategy: 'exhaustive' }]), [], 'passed');
    expect(String(write.mock.calls[0]![0])).toMatch(/^\npagecheck: PAGECHECK_REPLAY=pc1\.1udj9nr-k2x\.2\.a63b2 replayed no race test/);
    expect(process.exitCode).toBe(1);
  });
});
