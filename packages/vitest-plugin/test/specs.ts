import { GFP_KERNEL, GFP_KERNEL_ACCOUNT, type Kernel, type KGen, type RaceSpec } from '@pagecheck/core';

/** Small race specs with known verdicts (checked in test/unit/specs.test.ts). */

type P = { readonly p: number };

function* allocOne(k: Kernel, gfp = GFP_KERNEL): KGen<P> {
  const p = yield* k.alloc_pages(gfp, 0);
  if (p === null) throw new Error('alloc_pages failed');
  return { p };
}

/** Allocates a page and frees it: nothing to report. */
export const clean: RaceSpec<P> = {
  name: 'alloc and free',
  kernel: { pages: 8 },
  setup: (k) => allocOne(k),
  threads: {
    *A(k, s) { yield* k.__free_pages(s.p, 0); },
    *B(k) { const q = (yield* k.alloc_pages(GFP_KERNEL, 1))!; yield* k.__free_pages(q, 1); },
  },
};

/** Allocates a page and never frees it: page-leak. */
export const leak: RaceSpec = {
  name: 'alloc without free',
  kernel: { pages: 8 },
  threads: { *A(k) { yield* k.alloc_pages(GFP_KERNEL, 0); } },
};

/** __free_pages twice on a page with one reference: the second put underflows the refcount. */
export const freeTwice: RaceSpec<P> = {
  name: '__free_pages twice',
  kernel: { pages: 8 },
  setup: (k) => allocOne(k),
  threads: { *A(k, s) { yield* k.__free_pages(s.p, 0); yield* k.__free_pages(s.p, 0); } },
};

/** Drops the refcount by hand and frees twice: double-free (and the write to the free page is a use-after-free). */
export const doubleFree: RaceSpec<P> = {
  name: 'free_the_page twice',
  kernel: { pages: 8 },
  setup: (k) => allocOne(k),
  threads: {
    *A(k, s) {
      yield* k.set_page_count(s.p, 0);
      yield* k.free_the_page(s.p, 0);
      yield* k.set_page_count(s.p, 0);
      yield* k.free_the_page(s.p, 0);
    },
  },
};

function* freeIfLast(k: Kernel, p: number): KGen<void> {
  if ((yield* k.page_count(p)) !== 1) return;
  yield* k.set_page_count(p, 0);
  yield* k.free_the_page(p, 0);
}

/** Two threads check page_count() == 1, then free: both may pass the check (double-free, only in some interleavings). */
export const racyDoubleFree: RaceSpec<P> = {
  name: 'check-then-free race',
  kernel: { pages: 8 },
  setup: (k) => allocOne(k),
  threads: { *A(k, s) { yield* freeIfLast(k, s.p); }, *B(k, s) { yield* freeIfLast(k, s.p); } },
};

/** Takes a reference on a page after freeing it: use-after-free. */
export const useAfterFree: RaceSpec<P> = {
  name: 'page_ref_inc after free',
  kernel: { pages: 8 },
  setup: (k) => allocOne(k),
  threads: { *A(k, s) { yield* k.__free_pages(s.p, 0); yield* k.page_ref_inc(s.p); yield* k.page_ref_dec_and_test(s.p); } },
};

/** Charges a page to the memcg twice; the free uncharges once: memcg-leak. */
export const memcgLeak: RaceSpec = {
  name: 'charged twice',
  kernel: { pages: 8 },
  threads: {
    *A(k) {
      const p = (yield* k.alloc_pages(GFP_KERNEL, 0))!;
      yield* k.__memcg_kmem_charge_page(p, GFP_KERNEL_ACCOUNT, 0);
      yield* k.__memcg_kmem_charge_page(p, GFP_KERNEL_ACCOUNT, 0);
      yield* k.__free_pages(p, 0);
    },
  },
};

/** Two threads uncharge the same accounted page: both may read memcg_data before either clears it (memcg-underflow). */
export const memcgUnderflow: RaceSpec<P> = {
  name: 'racing uncharges',
  kernel: { pages: 8 },
  setup: (k) => allocOne(k, GFP_KERNEL_ACCOUNT),
  threads: {
    *A(k, s) { yield* k.__memcg_kmem_uncharge_page(s.p, 0); },
    *B(k, s) { yield* k.__memcg_kmem_uncharge_page(s.p, 0); },
  },
  *teardown(k, s) { yield* k.__free_pages(s.p, 0); },
};

/** Two threads take and drop a reference on the same page; teardown frees it: clean, several interleavings. */
export const sharedRefs: RaceSpec<P> = {
  name: 'shared references',
  kernel: { pages: 8 },
  setup: (k) => allocOne(k),
  threads: {
    *A(k, s) { yield* k.get_page(s.p); yield* k.put_page(s.p); },
    *B(k, s) { yield* k.get_page(s.p); yield* k.put_page(s.p); },
  },
  *teardown(k, s) { yield* k.__free_pages(s.p, 0); },
};

/**
 * `clean` with a third thread that spends 3 ms of wall clock per run: a
 * `timeBudgetMs: 1` exploration runs out of time after its first schedule,
 * whatever the machine.
 */
export const slowClean: RaceSpec<P> = {
  ...clean,
  name: 'alloc and free, slowly',
  threads: {
    ...clean.threads,
    *C(k) {
      const t0 = performance.now();
      while (performance.now() - t0 < 3) { /* spend time */ }
      yield k.m.yieldOp('cpu_relax');
    },
  },
};
