import fc from 'fast-check';
import type { Kernel } from '../../src/kernel/kernel.js';
import { __GFP_COMP, GFP_KERNEL, GFP_KERNEL_ACCOUNT } from '../../src/kernel/gfp.js';
import type { RaceSpec } from '../../src/spec.js';

/** The gfp masks a generated spec allocates with. */
export const GFPS = [GFP_KERNEL, GFP_KERNEL | __GFP_COMP, GFP_KERNEL_ACCOUNT, GFP_KERNEL_ACCOUNT | __GFP_COMP] as const;

/** One step of a generated thread, on the setup's page `page` (an index into the setup's blocks). */
export type GenOp =
  | { readonly op: 'get_page' | 'put_page' | 'free' | 'try_get'; readonly page: number }
  | { readonly op: 'alloc'; readonly gfp: number; readonly order: number; readonly then: 'free' | 'put' | 'keep' };

/** A generated race: blocks allocated in setup, then two to four threads of kernel calls. */
export interface GenPlan {
  readonly blocks: readonly { readonly gfp: number; readonly order: number }[];
  readonly threads: readonly (readonly GenOp[])[];
  readonly pcp: boolean;
  readonly failAlloc: boolean;
}

/**
 * Plans: one or two blocks of order 0..2, two to four threads of one
 * operation each; only the first thread may allocate or free a block (tens of
 * steps each), and only when there are at most three threads, so that plain
 * DFS finishes on most plans.
 */
export function planArb(): fc.Arbitrary<GenPlan> {
  const block = fc.record({ gfp: fc.constantFrom(...GFPS), order: fc.integer({ min: 0, max: 2 }) });
  return fc.array(block, { minLength: 1, maxLength: 2 }).chain((blocks) => {
    const page = fc.integer({ min: 0, max: blocks.length - 1 });
    const light: fc.Arbitrary<GenOp> = fc.record({ op: fc.constantFrom('get_page' as const, 'put_page' as const, 'try_get' as const), page });
    const free: fc.Arbitrary<GenOp> = fc.record({ op: fc.constant('free' as const), page });
    const alloc: fc.Arbitrary<GenOp> = fc.record({ op: fc.constant('alloc' as const), gfp: fc.constantFrom(...GFPS), order: fc.integer({ min: 0, max: 1 }), then: fc.constantFrom('free' as const, 'put' as const, 'keep' as const) });
    const threads = fc.oneof(
      fc.tuple(fc.oneof(light, free, alloc), fc.array(light, { minLength: 1, maxLength: 2 })).map(([h, rest]) => [[h], ...rest.map((o) => [o])]),
      fc.array(light, { minLength: 2, maxLength: 4 }).map((ops) => ops.map((o) => [o])),
    );
    return fc.record({ blocks: fc.constant(blocks), threads, pcp: fc.boolean(), failAlloc: fc.boolean() });
  });
}

type Setup = { readonly pages: readonly number[] };

function* step(k: Kernel, s: Setup, plan: GenPlan, o: GenOp) {
  if (o.op === 'alloc') {
    const p = yield* k.alloc_pages(o.gfp, o.order);
    if (p === null) return;
    if (o.then === 'free') yield* k.__free_pages(p, o.order);
    else if (o.then === 'put') yield* k.put_page(p);
    return;
  }
  const p = s.pages[o.page]!;
  switch (o.op) {
    case 'get_page':
      yield* k.get_page(p);
      return;
    case 'put_page':
      yield* k.put_page(p);
      return;
    case 'free':
      yield* k.__free_pages(p, plan.blocks[o.page]!.order);
      return;
    case 'try_get':
      if (yield* k.get_page_unless_zero(p)) yield* k.put_page(p);
      return;
  }
}

/** The race spec of a plan; its name carries the plan, so each plan has its own fingerprint. */
export function specOf(plan: GenPlan): RaceSpec<Setup> {
  return {
    name: `generated ${JSON.stringify(plan)}`,
    kernel: { pages: 8, pcp: plan.pcp, history: false },
    *setup(k) {
      const pages: number[] = [];
      for (const b of plan.blocks) {
        const p = yield* k.alloc_pages(b.gfp, b.order);
        if (p === null) throw new Error('generated setup: alloc_pages failed');
        pages.push(p);
      }
      return { pages };
    },
    threads: Object.fromEntries(
      plan.threads.map((ops, i) => [
        `T${i}`,
        function* (k: Kernel, s: Setup) {
          for (const o of ops) yield* step(k, s, plan, o);
        },
      ]),
    ),
  };
}
