import { GFP_KERNEL, explore } from '@pagecheck/core';

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
    yield* k.get_page(page); yield* k.get_page(page); return { page }; },
  threads: { *A(k: any, s: any) { yield* racy_drop_ref(k, s.page); }, *B(k: any, s: any) { yield* racy_drop_ref(k, s.page); }, *C(k: any, s: any) { yield* racy_drop_ref(k, s.page); } } };
const first = explore(deep); console.log(first.kinds, first.schedules, first.stopped);
const all = explore(deep, { stopOnFirst: false }); console.log(all.complete, all.schedules, all.stopped);
const un = explore(deep, { stopOnFirst: false, reduction: false }); console.log(un.complete, un.schedules, un.stopped, un.kinds);
