import { describe, expect, it } from 'vitest';
import { GFP_KERNEL, __GFP_COMP, explore, type Kernel, type KGen, type KernelOverrides, type RaceSpec } from '@pagecheck/core';

// #region specs
// The compound double free of e320d3012d25 (CVE-2023-52739): `lookup` must run
// 58 steps in a row between two steps of `owner`.
const e320d3012d25: KernelOverrides = {
  *__free_pages(k, page, order) {
    if (yield* k.put_page_testzero(page)) yield* k.free_the_page(page, order);
    else if (!(yield* k.PageHead(page)))
      while (order-- > 0) yield* k.free_the_page(page + (1 << order), order);
  },
};
const deep: RaceSpec<{ page: number }> = {
  name: 'e320d3012d25: compound',
  kernel: { pages: 8, overrides: e320d3012d25 },
  *setup(k) { return { page: (yield* k.alloc_pages(GFP_KERNEL | __GFP_COMP, 2))! }; },
  threads: {
    *lookup(k, s) { if (yield* k.get_page_unless_zero(s.page)) yield* k.put_page(s.page); },
    *owner(k, s) { yield* k.__free_pages(s.page, 2); },
  },
};

// Three holders of a page drop their references with a racy check-then-act.
function* racy_drop_ref(k: Kernel, page: number): KGen<void> {
  if ((yield* k.page_count(page)) === 1) {
    yield* k.set_page_count(page, 0);
    yield* k.free_the_page(page, 0);
  } else {
    yield* k.page_ref_dec_and_test(page);
  }
}
const threeHolders: RaceSpec<{ page: number }> = {
  name: 'three holders',
  *setup(k) {
    const page = (yield* k.alloc_pages(GFP_KERNEL, 0))!;
    yield* k.get_page(page);
    yield* k.get_page(page);
    return { page };
  },
  threads: {
    *A(k, s) { yield* racy_drop_ref(k, s.page); },
    *B(k, s) { yield* racy_drop_ref(k, s.page); },
    *C(k, s) { yield* racy_drop_ref(k, s.page); },
  },
};
// #endregion specs

describe('exhaustive', () => {
  it('covers every schedule up to the reduction', () => {
    // #region exhaustive
    const first = explore(deep); // stops at the first failing schedule
    expect(first.kinds).toEqual(['double-free']);
    expect(first.schedules).toBe(3);
    expect(first.stopped).toBe('first-failure');

    const all = explore(deep, { stopOnFirst: false }); // collect every kind
    expect(all.complete).toBe(true);
    expect(all.schedules).toBe(8);

    const unreduced = explore(deep, { stopOnFirst: false, reduction: false });
    expect(unreduced.complete).toBe(true);
    expect(unreduced.schedules).toBeGreaterThan(10_000); // the same verdict, 1000x the work
    // #endregion exhaustive
  });

  it('can bound the preemptions', () => {
    // #region bound
    expect(explore(deep, { preemptionBound: 1 }).kinds).toEqual([]); // complete, but blind past 1 preemption
    expect(explore(deep, { preemptionBound: 2 }).kinds).toEqual(['double-free']);
    // #endregion bound
  });
});

describe('random and pct', () => {
  it('sample schedules: random misses a deep bug, pct reaches it', () => {
    // #region sampling
    const random = explore(deep, { strategy: 'random', seed: 1, maxSchedules: 2_000 });
    expect(random.kinds).toEqual([]); // about 2^-58 per schedule
    expect(random.complete).toBe(false);

    const pct = explore(deep, { strategy: 'pct', seed: 3, depth: 3, maxSchedules: 20_000 });
    expect(pct.kinds).toEqual(['double-free']);
    expect(pct.schedules).toBeGreaterThan(1_000); // thousands of schedules

    const pos = explore(deep, { strategy: 'pos', seed: 3, maxSchedules: 20_000 });
    expect(pos.kinds).toEqual(['double-free']);
    expect(pos.schedules).toBeLessThan(1_000); // tens to hundreds
    // #endregion sampling
  });

  it('stop at a budget', () => {
    // #region budget
    const run = explore(deep, { strategy: 'random', maxSchedules: 100_000, timeBudgetMs: 50 });
    expect(run.stopped).toBe('time-budget');
    // #endregion budget
  });

  it('say what they covered', () => {
    // #region coverage
    const run = explore(deep, { strategy: 'pct', seed: 3, maxSchedules: 200 });
    run.coverage.done; // true: pct ran the 200 schedules asked for
    run.coverage.text; // 'pct sampling ran every schedule asked for: 200 of 200 schedules (maxSchedules)'
    const cut = explore(deep, { reduction: false, stopOnFirst: false, maxSchedules: 50 });
    cut.coverage.text; // 'exhaustive search stopped at maxSchedules after 50 schedules, incomplete'
    cut.coverage.more; // 'raise maxSchedules (50 now)'
    // #endregion coverage
    expect(run.coverage.done).toBe(true);
    expect(run.coverage.text).toBe('pct sampling ran every schedule asked for: 200 of 200 schedules (maxSchedules)');
    expect(cut.coverage.done).toBe(false);
    expect(cut.coverage.text).toBe('exhaustive search stopped at maxSchedules after 50 schedules, incomplete');
    expect(cut.coverage.more).toBe('raise maxSchedules (50 now)');
  });
});

describe('shrinking', () => {
  it('gives the failure with the fewest preemptions, then the fewest steps', () => {
    // #region shrink
    const run = explore(threeHolders, { strategy: 'random', seed: 2 });
    const f = run.failure!;
    expect(f.violation.kind).toBe('page-leak');
    expect(f.unshrunk.preemptions).toBe(3); // as random found it
    expect(f.preemptions).toBe(1);          // as reported

    const raw = explore(threeHolders, { strategy: 'random', seed: 2, shrink: false });
    expect(raw.failure!.preemptions).toBe(3);
    // #endregion shrink
  });
});

describe('until', () => {
  it('stops once every listed kind is found', () => {
    // #region until
    const run = explore(threeHolders, { until: ['page-leak'] });
    expect(run.stopped).toBe('until');
    // #endregion until
  });
});
