/** Race specs with known failures, for the report's tests. */
import { GFP_KERNEL, GFP_KERNEL_ACCOUNT } from '../../../src/kernel/gfp.js';
import type { Kernel, KGen } from '../../../src/kernel/kernel.js';
import type { RaceSpec } from '../../../src/spec.js';
import { READ_ONCE, WRITE_ONCE } from '../../../src/engine/litmus/ops.js';

function* freeIfLast(k: Kernel, p: number): KGen<void> {
  if ((yield* k.page_count(p)) !== 1) return;
  yield* k.set_page_count(p, 0);
  yield* k.free_the_page(p, 0);
}

/** Two threads check page_count(P0) == 1, then free it: both may pass the check (double-free). */
export const checkThenFree: RaceSpec<{ readonly p: number }> = {
  name: 'check-then-free race',
  kernel: { pages: 8 },
  *setup(k) {
    const p = (yield* k.alloc_pages(GFP_KERNEL, 0))!;
    k.name(p, 'P0');
    return { p };
  },
  threads: { *A(k, s) { yield* freeIfLast(k, s.p); }, *B(k, s) { yield* freeIfLast(k, s.p); } },
};

/** Message passing without barriers: under lkmm the consumer may see the flag and not the data (a thread-error). */
export const messagePassing: RaceSpec<{ readonly buf: number; readonly flag: number }> = {
  name: 'message passing without barriers',
  memoryModel: 'lkmm',
  setup: (k) => ({ buf: k.m.allocGlobal('buf'), flag: k.m.allocGlobal('flag') }),
  threads: {
    *producer(_k, s) {
      yield WRITE_ONCE(s.buf, 1);
      yield WRITE_ONCE(s.flag, 1);
    },
    *consumer(_k, s) {
      const flag = yield READ_ONCE(s.flag);
      const buf = yield READ_ONCE(s.buf);
      if (flag === 1 && buf === 0) throw new Error('saw the flag but not the data');
    },
  },
};

/** Allocates a page and never frees it: a page-leak, found at teardown. */
export const leak: RaceSpec = {
  name: 'alloc without free',
  kernel: { pages: 8 },
  threads: { *A(k) { yield* k.alloc_pages(GFP_KERNEL, 0); }, *B() {} },
};

/** Setup throws: a thread-error before any thread runs. */
export const badSetup: RaceSpec = {
  name: 'setup throws',
  setup() {
    throw new Error('no memory');
  },
  threads: { *A() {} },
};

/** Spins forever: a step-limit. */
export const spinner: RaceSpec = {
  name: 'spins',
  kernel: { pages: 8 },
  threads: { *A(k) { for (;;) yield k.m.yieldOp('cpu_relax'); } },
};

/** Two threads uncharge one accounted page: a memcg-underflow the kernel WARNs about and runs on after. */
export const racingUncharges: RaceSpec<{ readonly p: number }> = {
  name: 'racing uncharges',
  kernel: { pages: 8 },
  *setup(k) {
    const p = (yield* k.alloc_pages(GFP_KERNEL_ACCOUNT, 0))!;
    k.name(p, 'P0');
    return { p };
  },
  threads: {
    *A(k, s) { yield* k.__memcg_kmem_uncharge_page(s.p, 0); },
    *B(k, s) { yield* k.__memcg_kmem_uncharge_page(s.p, 0); },
  },
  *teardown(k, s) { yield* k.__free_pages(s.p, 0); },
};

/** Two threads increment a word with a plain load and store: a lost update, found as the second store is made. */
export const lostUpdate: RaceSpec<{ readonly x: number }> = {
  name: 'x++ on two cpus',
  setup: (k) => ({ x: k.m.allocGlobal('counter') }),
  threads: {
    *A(k, s) { const v = yield k.m.gld(s.x, 'READ_ONCE(counter)'); yield { ...k.m.gst(s.x, v + 1, 'WRITE_ONCE(counter)'), paired: true }; },
    *B(k, s) { const v = yield k.m.gld(s.x, 'READ_ONCE(counter)'); yield { ...k.m.gst(s.x, v + 1, 'WRITE_ONCE(counter)'), paired: true }; },
  },
};
