import { describe, expect, it } from 'vitest';
import { explore } from '../../../src/explore.js';
import { runOnce } from '../../../src/run-once.js';
import { decodeToken } from '../../../src/engine/token.js';
import { GFP_KERNEL } from '../../../src/kernel/gfp.js';
import type { RaceSpec } from '../../../src/spec.js';
import { probeFreesOnError, probeLeaksOnError, probeNoFail, tinyLeak } from './specs.js';

describe("failAlloc: 'explore'", () => {
  it('finds the leak on the error path by exhaustive search, and only there', () => {
    const off = explore(probeLeaksOnError);
    expect(off.complete).toBe(true);
    expect(off.kinds).toEqual([]);
    const on = explore(probeLeaksOnError, { failAlloc: 'explore' });
    expect(on.kinds).toEqual(['page-leak']);
    const f = on.failure!;
    expect(f.diagram).toContain('should_fail_alloc_page() == true');
    // The token carries the injected failure after '+': thread a (probe) chose 1 at one of its steps.
    expect(decodeToken(f.replay).decisions).toEqual([expect.objectContaining({ tid: 0, value: 1 })]);
  });

  it('replays the violation from its token, with no option given', () => {
    const f = explore(probeLeaksOnError, { failAlloc: 'explore' }).failure!;
    const again = runOnce(probeLeaksOnError, { replay: f.replay });
    expect(again.kinds).toEqual(['page-leak']);
    expect(again.failure!.replay).toBe(f.replay);
    expect(again.failure!.diagram).toBe(f.diagram);
    expect(explore(probeLeaksOnError, { replay: f.replay }).kinds).toEqual(['page-leak']);
  });

  it('refuses a token with choices replayed under { nth }', () => {
    const f = explore(probeLeaksOnError, { failAlloc: 'explore' }).failure!;
    expect(() => runOnce(probeLeaksOnError, { replay: f.replay, failAlloc: { nth: 1 } })).toThrow(/made with failAlloc: 'explore'.*leave failAlloc out/);
  });

  it('leaves a correct error path clean, with every outcome explored', () => {
    const r = explore(probeFreesOnError, { failAlloc: 'explore' });
    expect(r.complete).toBe(true);
    expect(r.kinds).toEqual([]);
    // Each thread's allocations succeed or fail: more schedules than without injection.
    expect(r.schedules).toBeGreaterThan(explore(probeFreesOnError).schedules);
  });

  it('never fails a __GFP_NOFAIL allocation', () => {
    const r = explore(probeNoFail, { failAlloc: 'explore' });
    expect(r.complete).toBe(true);
    expect(r.kinds).toEqual([]);
  });

  it('plain DFS, DPOR and the sampling strategies agree', { timeout: 180_000 }, () => {
    // Plain DFS runs ~8 000 schedules here: a budget that a loaded CI machine does not cut short.
    const dfs = explore(tinyLeak, { failAlloc: 'explore', reduction: false, stopOnFirst: false, timeBudgetMs: 120_000 });
    const dpor = explore(tinyLeak, { failAlloc: 'explore', stopOnFirst: false });
    expect(dpor.kinds).toEqual(['page-leak']);
    expect(explore(tinyLeak).kinds).toEqual([]);
    expect(dfs.complete && dpor.complete).toBe(true);
    expect(dfs.kinds).toEqual(dpor.kinds);
    expect(dpor.schedules).toBeLessThanOrEqual(dfs.schedules);
    for (const strategy of ['random', 'pct', 'pos'] as const) {
      const r = explore(probeLeaksOnError, { failAlloc: 'explore', strategy, maxSchedules: 200 });
      expect(r.kinds, strategy).toEqual(['page-leak']);
      expect(runOnce(probeLeaksOnError, { replay: r.failure!.replay }).kinds, strategy).toEqual(['page-leak']);
    }
  });

  it('never fails an allocation of setup', () => {
    const spec: RaceSpec<{ p: number }> = {
      name: 'setup allocates',
      kernel: { pages: 8 },
      *setup(k) {
        const p = yield* k.alloc_pages(GFP_KERNEL, 0);
        if (p === null) throw new Error('setup allocation failed');
        return { p };
      },
      threads: { *A(k, s) { yield* k.__free_pages(s.p, 0); } },
    };
    expect(explore(spec, { failAlloc: 'explore' }).kinds).toEqual([]);
  });
});

describe('failAlloc: { nth }', () => {
  it("fails each thread's N-th allocation and shows it in the diagram", () => {
    const second = explore(probeLeaksOnError, { failAlloc: { nth: 2 } });
    expect(second.kinds).toEqual(['page-leak']);
    expect(second.failure!.diagram).toContain('should_fail_alloc_page() == true');
    // The first allocation failing takes the probe's other error path, which is right.
    expect(explore(probeLeaksOnError, { failAlloc: { nth: 1 } }).kinds).toEqual([]);
    expect(explore(probeLeaksOnError, { failAlloc: { nth: 3 } }).kinds).toEqual([]);
  });

  it('replays its token when given the same option', () => {
    const f = explore(probeLeaksOnError, { failAlloc: { nth: 2 } }).failure!;
    expect(decodeToken(f.replay).decisions).toBeUndefined();
    expect(runOnce(probeLeaksOnError, { replay: f.replay, failAlloc: { nth: 2 } }).kinds).toEqual(['page-leak']);
  });
});

describe('failAlloc option checks', () => {
  it.each([['sometimes'], [{ nth: 0 }], [{ nth: 1.5 }], [{ nth: 2, extra: 1 }], [null], [[1]]])('refuses %j with what it takes', (v) => {
    expect(() => explore(probeLeaksOnError, { failAlloc: v as never })).toThrow(/explore\(\{ failAlloc \}\): must be 'explore'.*\{ nth: N \}/);
  });
});

describe('failAlloc and the timeline', () => {
  it('replays an injected failure in the timeline', async () => {
    const { timeline } = await import('../../../src/report/timeline.js');
    const f = explore(probeLeaksOnError, { failAlloc: 'explore' }).failure!;
    const t = timeline(probeLeaksOnError, f);
    expect(t.steps.some((s) => s.op === 'choice')).toBe(true);
  });
});
