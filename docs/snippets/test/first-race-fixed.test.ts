import { GFP_KERNEL, type Kernel, type KGen, type RaceSpec } from '@pagecheck/core';
import { raceTest } from '@pagecheck/vitest-plugin';

// #region racy
function* racy_drop_ref(k: Kernel, page: number): KGen<void> {
  if ((yield* k.page_count(page)) === 1) {
    yield* k.set_page_count(page, 0);
    yield* k.free_the_page(page, 0);
  } else {
    yield* k.page_ref_dec_and_test(page);
  }
}
// #endregion racy

// #region fixed
// put_page(): one atomic decrement-and-test, and the last reference frees the page.
function* drop_ref(k: Kernel, page: number): KGen<void> {
  yield* k.put_page(page);
}
// #endregion fixed

// #region spec
function twoHolders(drop: (k: Kernel, page: number) => KGen<void>): RaceSpec<{ page: number }> {
  return {
    name: `${drop.name} vs ${drop.name}`,
    *setup(k) {
      const page = (yield* k.alloc_pages(GFP_KERNEL, 0))!;
      yield* k.get_page(page);
      return { page };
    },
    threads: {
      *A(k, s) { yield* drop(k, s.page); },
      *B(k, s) { yield* drop(k, s.page); },
    },
  };
}

raceTest('two holders drop their references', twoHolders(drop_ref));
// #endregion spec

// #region known-bug
raceTest('the racy drop_ref leaks the page', twoHolders(racy_drop_ref), { expect: ['page-leak'] });
// #endregion known-bug
