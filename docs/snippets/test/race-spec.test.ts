import { describe, expect, it } from 'vitest';
// #region spec
import { GFP_KERNEL, __GFP_COMP, type RaceSpec } from '@pagecheck/core';

const ORDER = 2;

export const lookupVsFree: RaceSpec<{ page: number }> = {
  name: 'speculative lookup vs __free_pages',
  kernel: { pages: 8 },
  *setup(k) {
    const page = yield* k.alloc_pages(GFP_KERNEL | __GFP_COMP, ORDER);
    if (page === null) throw new Error('setup: alloc_pages failed');
    k.name(page, 'P0'); // how diagrams call it
    return { page };
  },
  threads: {
    // A page cache lookup that found the page: take a reference if it is not free, then drop it.
    *lookup(k, s) {
      if (yield* k.get_page_unless_zero(s.page)) yield* k.put_page(s.page);
    },
    // The owner frees its compound page.
    *owner(k, s) {
      yield* k.__free_pages(s.page, ORDER);
    },
  },
};
// #endregion spec

// #region teardown
import { GFP_KERNEL_ACCOUNT } from '@pagecheck/core';

export const sharedRefs: RaceSpec<{ page: number }> = {
  name: 'two users of an accounted page',
  kernel: { pages: 8, memcg: { limit: 4 } },
  *setup(k) {
    return { page: (yield* k.alloc_pages(GFP_KERNEL_ACCOUNT, 0))! };
  },
  threads: {
    *A(k, s) { yield* k.get_page(s.page); yield* k.put_page(s.page); },
    *B(k, s) { yield* k.get_page(s.page); yield* k.put_page(s.page); },
  },
  // Runs alone after the threads, before the checks: give back setup's reference.
  *teardown(k, s) {
    yield* k.put_page(s.page);
  },
};
// #endregion teardown

// #region explore
import { explore } from '@pagecheck/core';

describe('explore', () => {
  it('finds no violation in any schedule of the lookup race', () => {
    const run = explore(lookupVsFree); // exhaustive, with partial-order reduction
    expect(run.complete).toBe(true); // every schedule was covered
    expect(run.kinds).toEqual([]);
    expect(run.schedules).toBeGreaterThan(1);
  });
});
// #endregion explore

// #region matchers
describe('matchers', () => {
  it('take an exploration, or a spec they explore themselves', () => {
    const run = explore(sharedRefs, { stopOnFirst: false });
    expect(run).toNotLeakPages();
    expect(run).toBalanceMemcg();
    expect(sharedRefs).toHaveNoViolations();
    // The same race without its teardown leaks the page (its charge is not leaked: the page still holds it).
    const { teardown, ...leaky } = sharedRefs;
    expect(leaky).toViolate('page-leak');
    expect(leaky).toBalanceMemcg();
    expect(leaky).not.toViolate('double-free');
  });
});
// #endregion matchers

// #region coverage
describe('a clean verdict', () => {
  it('needs the exploration that was asked for, or an explicit opt-in', () => {
    const cut = explore(sharedRefs, { maxSchedules: 2 }); // an exhaustive search, cut short
    expect(() => expect(cut).toHaveNoViolations()).toThrow('exhaustive search stopped at maxSchedules after 2 schedules, incomplete');
    expect(cut).toHaveNoViolations({ allowIncomplete: true }); // accepted here
    expect(explore(sharedRefs, { maxSchedules: 2, allowIncomplete: true })).toHaveNoViolations(); // or for the exploration
  });
});
// #endregion coverage

// #region sequential
import { createKernel, PG_head } from '@pagecheck/core';

describe('a kernel outside any exploration', () => {
  it('runs kernel functions to completion with k.run', () => {
    const k = createKernel({ pages: 16 });
    const page = k.run(k.alloc_pages(GFP_KERNEL | __GFP_COMP, 2))!;
    expect(k.run(k.PageHead(page))).toBe(true);
    expect(k.run(k.compound_order(page))).toBe(2);
    expect(k.nrFreePages).toBe(12);
    k.run(k.__free_pages(page, 2));
    expect(k.nrFreePages).toBe(16);
    expect(k.violations).toEqual([]);
    expect(PG_head).toBe(16); // page-flag bit numbers are exported with their kernel names
  });
});
// #endregion sequential

// #region stepwise
import { stepwise, type KGen } from '@pagecheck/core';

describe('the steps of a kernel call in k.run', () => {
  it('are performed at once, or handed out one at a time by stepwise()', () => {
    const k = createKernel({ pages: 16 });
    function* record<R>(gen: KGen<R>, labels: string[]): KGen<R> {
      let r = gen.next();
      while (r.done !== true) {
        labels.push(r.value.fn);
        r = gen.next(yield r.value);
      }
      return r.value;
    }
    const atOnce: string[] = [];
    const page = k.run(record(k.alloc_pages(GFP_KERNEL, 0), atOnce))!;
    expect(atOnce).toEqual([]); // the call ran to its end at the first next()
    const oneByOne: string[] = [];
    k.run(record(stepwise(k.__free_pages(page, 0)), oneByOne));
    expect(oneByOne).toContain('put_page_testzero'); // every step of __free_pages(), in order
    expect(k.violations).toEqual([]);
  });
});
// #endregion stepwise

// #region modifiers
import { raceTest } from '@pagecheck/vitest-plugin';

describe('raceTest, with the modifiers of test', () => {
  // One race per row; `$name` is the row's field (here each spec's own name).
  raceTest.each([lookupVsFree, sharedRefs])('$name has no violations', (spec) => spec);

  // A known-buggy variant: the test passes because the race fails.
  const { teardown, ...leaky } = sharedRefs;
  raceTest.fails('without its teardown, the page leaks', leaky);

  // One schedule instead of an exploration: the token a failure printed.
  const token = explore(leaky).failure!.replay; // usually pasted from the report
  raceTest('replays the leak', leaky, { replay: token, expect: ['page-leak'] });
});
// #endregion modifiers
