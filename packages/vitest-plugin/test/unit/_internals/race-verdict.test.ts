import { explore, runOnce } from '@pagecheck/core';
import { describe, expect, it } from 'vitest';
import { failingKinds, raceVerdict } from '../../../src/_internals/race-verdict.js';
import { clean, doubleFree, leak, memcgLeak, racyDoubleFree } from '../../specs.js';

describe('raceVerdict', () => {
  it('passes a clean exploration', () => {
    expect(raceVerdict(explore(clean), undefined)).toBeUndefined();
    expect(raceVerdict(explore(clean), [])).toBeUndefined();
  });

  it('fails on any violation without expected kinds, with the full report', () => {
    const e = explore(leak);
    const msg = raceVerdict(e, undefined)!;
    expect(msg).toBe(`race spec 'alloc without free' violated page-leak (1 schedule (exhaustive, incomplete)):\n\n${e.failure!.report}`);
  });

  it('names the shard explored', () => {
    expect(raceVerdict(explore(leak), undefined, { shard: '2/3' })).toMatch(/^race spec 'alloc without free' violated page-leak \(1 schedule \(exhaustive, incomplete\) on shard 2\/3\)/);
  });

  it('passes when exactly the expected kinds are found, in any order', () => {
    const e = explore(doubleFree, { stopOnFirst: false });
    expect(raceVerdict(e, ['use-after-free', 'double-free'])).toBeUndefined();
  });

  it('fails when an expected kind is missing, and says when the exploration did not finish', () => {
    const e = explore(doubleFree, { stopOnFirst: false });
    expect(raceVerdict(e, ['double-free', 'use-after-free', 'page-leak'])).toBe(
      "race spec 'free_the_page twice' was expected to show exactly double-free, page-leak, use-after-free, but 1 schedule (exhaustive, complete) found double-free, use-after-free\nnot found: page-leak",
    );
    const stopped = explore(racyDoubleFree);
    expect(stopped.complete).toBe(false);
    expect(raceVerdict(stopped, [...stopped.kinds, 'page-leak'])).toMatch(/not found: page-leak \(the exploration did not finish: raise maxSchedules\/timeBudgetMs, or set PAGECHECK_BUDGET\)$/);
  });

  it('fails on an unexpected kind with its report only', () => {
    const e = explore(doubleFree, { stopOnFirst: false });
    const msg = raceVerdict(e, ['double-free'])!;
    expect(msg).toMatch(/^race spec 'free_the_page twice' was expected to show exactly double-free, but .* found double-free, use-after-free\nunexpected: use-after-free\n\nuse-after-free: /);
    expect(msg).not.toContain('double-free: pfn');
    expect(raceVerdict(explore(clean), ['memcg-leak'])).toMatch(/found none\nnot found: memcg-leak$/);
  });

  it('judges a replay by what it shows: no kind outside the expected ones', () => {
    const token = explore(memcgLeak).failure!.replay;
    const run = runOnce(memcgLeak, { replay: token });
    expect(raceVerdict(run, ['memcg-leak', 'page-leak'], { replay: token })).toBeUndefined();
    expect(raceVerdict(run, undefined, { replay: token })).toMatch(new RegExp(`^race spec 'charged twice' violated memcg-leak \\(replaying PAGECHECK_REPLAY=${token.replace(/\./g, '\\.')}\\):\n\nmemcg-leak: `));
  });
});

describe('failingKinds', () => {
  it('is every kind found without expected kinds, else the kinds not expected', () => {
    const e = explore(doubleFree, { stopOnFirst: false });
    expect(e.kinds.length).toBeGreaterThan(1);
    expect(failingKinds(e, undefined)).toEqual(e.kinds);
    expect(failingKinds(e, [e.kinds[0]!])).toEqual(e.kinds.slice(1));
    expect(failingKinds(e, e.kinds)).toEqual([]);
    expect(failingKinds(explore(clean), undefined)).toEqual([]);
  });
});
