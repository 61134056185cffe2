import type { RaceSpec } from '../../../src/spec.js';
import { __GFP_NOFAIL, GFP_KERNEL } from '../../../src/kernel/gfp.js';

/**
 * A driver's probe against a concurrent allocator: it takes a buffer (order 1)
 * and a control page; when the control page cannot be had, its error path
 * returns without freeing the buffer. Nothing leaks unless an allocation fails.
 */
export const probeLeaksOnError: RaceSpec = {
  name: 'probe: error path forgets the buffer',
  kernel: { pages: 16 },
  threads: {
    *probe(k) {
      const buf = yield* k.alloc_pages(GFP_KERNEL, 1);
      if (buf === null) return;
      const ctl = yield* k.alloc_pages(GFP_KERNEL, 0);
      if (ctl === null) return; // the bug: buf is not freed
      yield* k.__free_pages(ctl, 0);
      yield* k.__free_pages(buf, 1);
    },
    *other(k) {
      const p = yield* k.alloc_pages(GFP_KERNEL, 0);
      if (p !== null) yield* k.__free_pages(p, 0);
    },
  },
};

/** The same probe with the error path fixed: clean whatever fails. */
export const probeFreesOnError: RaceSpec = {
  ...probeLeaksOnError,
  name: 'probe: error path frees the buffer',
  threads: {
    ...probeLeaksOnError.threads,
    *probe(k) {
      const buf = yield* k.alloc_pages(GFP_KERNEL, 1);
      if (buf === null) return;
      const ctl = yield* k.alloc_pages(GFP_KERNEL, 0);
      if (ctl === null) {
        yield* k.__free_pages(buf, 1);
        return;
      }
      yield* k.__free_pages(ctl, 0);
      yield* k.__free_pages(buf, 1);
    },
  },
};

/** The leaky probe whose control page is __GFP_NOFAIL: that allocation never fails, so nothing leaks. */
export const probeNoFail: RaceSpec = {
  ...probeLeaksOnError,
  name: 'probe: control page __GFP_NOFAIL',
  threads: {
    ...probeLeaksOnError.threads,
    *probe(k) {
      const buf = yield* k.alloc_pages(GFP_KERNEL, 1);
      if (buf === null) return;
      const ctl = yield* k.alloc_pages(GFP_KERNEL | __GFP_NOFAIL, 0);
      if (ctl === null) return;
      yield* k.__free_pages(ctl, 0);
      yield* k.__free_pages(buf, 1);
    },
  },
};

/** A small leaky error path beside a reference taken and dropped: small enough for plain DFS to cover. */
export const tinyLeak: RaceSpec<{ readonly p: number }> = {
  name: 'tiny: error path forgets a page',
  kernel: { pages: 4, pcp: false },
  *setup(k) {
    const p = yield* k.alloc_pages(GFP_KERNEL, 0);
    if (p === null) throw new Error('setup: alloc_pages failed');
    return { p };
  },
  threads: {
    *A(k) {
      const a = yield* k.alloc_pages(GFP_KERNEL, 0);
      if (a === null) return;
      const b = yield* k.alloc_pages(GFP_KERNEL, 0);
      if (b === null) return; // the bug: a is not freed
      yield* k.__free_pages(b, 0);
      yield* k.__free_pages(a, 0);
    },
    *B(k, s) {
      yield* k.page_ref_inc(s.p);
      yield* k.page_ref_dec_and_test(s.p);
    },
  },
  *teardown(k, s) {
    yield* k.__free_pages(s.p, 0);
  },
};
