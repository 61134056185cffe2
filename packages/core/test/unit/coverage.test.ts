import { describe, expect, it } from 'vitest';
import { coverageOf, groupDigits } from '../../src/coverage.js';
import type { StopReason } from '../../src/engine/explore-program.js';
import { explore } from '../../src/explore.js';
import type { ExploreOptions } from '../../src/explore-options.js';
import type { Exploration } from '../../src/exploration.js';
import { runOnce } from '../../src/run-once.js';
import { GFP_KERNEL } from '../../src/kernel/gfp.js';
import type { Kernel, KGen } from '../../src/kernel/kernel.js';
import type { RaceSpec } from '../../src/spec.js';

function* freeIfLast(k: Kernel, p: number): KGen<void> {
  if ((yield* k.page_count(p)) !== 1) return;
  yield* k.set_page_count(p, 0);
  yield* k.free_the_page(p, 0);
}

/** Both threads may pass the check: a double-free in some schedules. */
const buggy: RaceSpec<{ readonly p: number }> = {
  name: 'check-then-free race',
  kernel: { pages: 8 },
  *setup(k) {
    return { p: (yield* k.alloc_pages(GFP_KERNEL, 0))! };
  },
  threads: { *A(k, s) { yield* freeIfLast(k, s.p); }, *B(k, s) { yield* freeIfLast(k, s.p); } },
};

/** Each thread allocates and frees its own page: no violation, a handful of schedules. */
const clean: RaceSpec = {
  name: 'own pages',
  kernel: { pages: 8 },
  threads: {
    *A(k) { const p = (yield* k.alloc_pages(GFP_KERNEL, 0))!; yield* k.__free_pages(p, 0); },
    *B(k) { const p = (yield* k.alloc_pages(GFP_KERNEL, 0))!; yield* k.__free_pages(p, 0); },
  },
};

/** Like `clean`, but each run spends 3 ms of wall clock: a 1 ms budget always runs out after the first run. */
const slow: RaceSpec = {
  ...clean,
  name: 'own pages, slowly',
  threads: {
    ...clean.threads,
    *C(k) {
      const t0 = performance.now();
      while (performance.now() - t0 < 3) { /* spend time */ }
      yield k.m.yieldOp('cpu_relax');
    },
  },
};

/** How each reason is brought about, for a strategy. */
const reasons: Record<Exclude<StopReason, 'single-run'>, { spec: RaceSpec<never>; options: ExploreOptions; done: boolean }> = {
  exhausted: { spec: clean as RaceSpec<never>, options: {}, done: true },
  'max-schedules': { spec: clean as RaceSpec<never>, options: { maxSchedules: 2 }, done: false },
  'time-budget': { spec: slow as RaceSpec<never>, options: { timeBudgetMs: 1 }, done: false },
  'first-failure': { spec: buggy as RaceSpec<never>, options: {}, done: false },
  until: { spec: buggy as RaceSpec<never>, options: { until: ['double-free'] }, done: false },
};

describe('exploration.stopped', () => {
  const strategies = ['exhaustive', 'random', 'pct', 'pos'] as const;
  for (const strategy of strategies) {
    for (const [reason, how] of Object.entries(reasons)) {
      // Sampling never exhausts a space: its maxSchedules run is what it was asked to do.
      if (strategy !== 'exhaustive' && reason === 'exhausted') continue;
      it(`is '${reason}' for ${strategy} when ${reason === 'exhausted' ? 'the search covers its space' : `it ends by ${reason}`}`, () => {
        const e = explore(how.spec, { strategy, seed: 1, ...how.options });
        expect(e.stopped).toBe(reason);
        expect(e.coverage.stopped).toBe(reason);
        // A sampling strategy that ran all its maxSchedules did what was asked.
        expect(e.coverage.done).toBe(reason === 'max-schedules' && strategy !== 'exhaustive' ? true : how.done);
        expect(e.complete).toBe(reason === 'exhausted');
      });
    }
  }

  it("is 'single-run' for runOnce, with or without a token, and for explore's replay option", () => {
    const token = explore(buggy).failure!.replay;
    for (const e of [runOnce(buggy), runOnce(buggy, { replay: token }), explore(buggy, { replay: token })]) {
      expect(e.stopped).toBe('single-run');
      expect(e.coverage.done).toBe(true);
      expect(e.coverage.text).toContain('one run');
    }
  });

  it('is set on every shard of a sharded exploration', () => {
    for (const strategy of ['exhaustive', 'random'] as const) {
      for (let index = 0; index < 3; index++) {
        const e = explore(clean, { strategy, maxSchedules: 30, shard: { index, count: 3 } });
        expect(e.stopped).toBe(strategy === 'exhaustive' ? 'exhausted' : 'max-schedules');
        expect(e.coverage.done).toBe(true);
      }
    }
  });
});

describe('exploration.coverage', () => {
  it('says how far a time-budgeted exhaustive search got, that it is incomplete, and how to ask for more', () => {
    const e = explore(slow, { timeBudgetMs: 1 });
    expect(e.coverage).toMatchObject({ schedules: e.schedules, timeBudgetMs: 1, maxSchedules: 200_000, stopped: 'time-budget', done: false });
    expect(e.coverage.text).toBe(`exhaustive search stopped by the time budget after ${e.schedules} schedule${e.schedules === 1 ? '' : 's'} (1 ms), incomplete`);
    expect(e.coverage.more).toBe('raise timeBudgetMs (1 now)');
  });

  it('counts a sampling run against its maxSchedules', () => {
    const e = explore(clean, { strategy: 'pct', maxSchedules: 1234 });
    expect(e.coverage.text).toBe('pct sampling ran every schedule asked for: 1 234 of 1 234 schedules (maxSchedules)');
    const cut = explore(slow, { strategy: 'random', maxSchedules: 1234, timeBudgetMs: 1 });
    expect(cut.coverage.text).toMatch(/^random sampling stopped by the time budget after \d+ of 1 234 schedules \(1 ms\), incomplete$/);
  });

  it('names maxSchedules for an exhaustive search cut short, and stopOnFirst for one stopped at a failure', () => {
    expect(explore(clean, { maxSchedules: 2 }).coverage).toMatchObject({ text: 'exhaustive search stopped at maxSchedules after 2 schedules, incomplete', more: 'raise maxSchedules (2 now)' });
    expect(explore(buggy).coverage.more).toBe('explore with stopOnFirst: false to look past the first failure');
  });

  it('is not done when a run hit the step limit, even in a complete search', () => {
    const spinner: RaceSpec = { name: 'spinner', threads: { *A(k) { for (;;) yield k.m.yieldOp('cpu_relax'); }, *B() {} } };
    const e = explore(spinner, { stopOnFirst: false, maxSteps: 50 });
    expect(e.kinds).toContain('step-limit');
    expect(e.coverage.done).toBe(false);
    expect(e.coverage.stepLimited).toBe(true);
    expect(e.coverage.text).toContain('a run hit the step limit (maxSteps 50)');
    expect(e.coverage.more).toContain('raise maxSteps');
  });

  it('is derived from the other fields for an Exploration built by hand', () => {
    const made = { strategy: 'exhaustive', schedules: 3, complete: false, kinds: [] } as const;
    expect(coverageOf(made)).toMatchObject({ stopped: 'max-schedules', done: false });
    expect(coverageOf({ ...made, complete: true })).toMatchObject({ stopped: 'exhausted', done: true });
    expect(coverageOf({ ...made, strategy: 'random' })).toMatchObject({ stopped: 'max-schedules', done: true });
    const e: Exploration = explore(clean);
    expect(coverageOf(e)).toBe(e.coverage);
  });

  it('groups digits by three', () => {
    expect([0, 999, 1000, 1234567].map(groupDigits)).toEqual(['0', '999', '1 000', '1 234 567']);
  });
});
