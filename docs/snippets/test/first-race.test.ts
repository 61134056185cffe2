// #region test
import { GFP_KERNEL, type Kernel, type KGen } from '@pagecheck/core';
import { raceTest } from '@pagecheck/vitest-plugin';

// Our helper: drop a reference, and free the page if it was the last one.
function* drop_ref(k: Kernel, page: number): KGen<void> {
  if ((yield* k.page_count(page)) === 1) {
    yield* k.set_page_count(page, 0);
    yield* k.free_the_page(page, 0);
  } else {
    yield* k.page_ref_dec_and_test(page);
  }
}

raceTest('two holders drop their references', {
  name: 'drop_ref vs drop_ref',
  *setup(k) {
    const page = (yield* k.alloc_pages(GFP_KERNEL, 0))!;
    yield* k.get_page(page); // a second reference: one for each thread
    return { page };
  },
  threads: {
    *A(k, s) { yield* drop_ref(k, s.page); },
    *B(k, s) { yield* drop_ref(k, s.page); },
  },
});
// #endregion test
