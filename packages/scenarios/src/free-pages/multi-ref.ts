import { GFP_KERNEL, type KernelOverrides, type RaceSpec } from '@pagecheck/core';
import { variant, type Scenario } from '../types.js';
import { e320d3012d25, fix462a8e08e0e6, preE320d3012d25 } from './revisions.js';

/**
 * Matthew Wilcox's feared pattern (seed 000): a second reference on a
 * non-compound block, __free_pages(), a use of p[1], and __free_pages() again.
 * @remarks Since 0.1.0
 */
export function multiRef(name: string, overrides: KernelOverrides): RaceSpec<void> {
  return {
    name,
    kernel: { pages: 8, overrides },
    threads: {
      *driver(k) {
        const p = yield* k.alloc_pages(GFP_KERNEL, 2);
        if (p === null) throw new Error('alloc_pages failed');
        k.name(p, 'p');
        yield* k.get_page(p);
        yield* k.__free_pages(p, 2);
        // ... do something with p[1] ...
        yield* k.use_page_data(p + 1, 0, 'use p[1]');
        yield* k.__free_pages(p, 2);
      },
    },
  };
}

/** Seed 000: get_page; __free_pages; use p[1]; __free_pages. */
export const freePagesMultiRef: Scenario = {
  id: 'free-pages-multi-ref',
  title: 'Two references to a non-compound block, each dropped with __free_pages()',
  sources: {
    threads: ['Re: Linux regressions report for mainline [2023-02-11] (Matthew Wilcox, 2023-02-11)'],
    commits: ['e320d3012d25 mm/page_alloc.c: fix freeing non-compound pages (5.10)', '462a8e08e0e6 Fix page corruption caused by racy check in __free_pages (6.2)'],
  },
  story: [
    'Linus Torvalds noted that e320d3012d25 assumes a multi-order allocation is freed once. Matthew Wilcox described the pattern it breaks:',
    'p = alloc_pages(gfp, 2); get_page(p); __free_pages(p, 2); ... use p[1] ...; __free_pages(p, 2);',
    'Before 5.10 the first __free_pages only drops a reference and the second frees the block. Since e320d3012d25 the first one frees the tail blocks at once: p[1] is used after it was freed, and the second __free_pages frees the tails again. 462a8e08e0e6 does not change this.',
  ].join(' '),
  variants: {
    'pre-e320d3012d25': variant({
      id: 'pre-e320d3012d25',
      title: '<= 5.9',
      description: 'The first __free_pages only drops the extra reference.',
      cases: [multiRef('multi-ref pre-e320d3012d25', preE320d3012d25)] as RaceSpec<never>[],
      expected: [],
    }),
    e320d3012d25: variant({
      id: 'e320d3012d25',
      title: '5.10 .. 6.1',
      description: 'The first __free_pages frees the tails.',
      cases: [multiRef('multi-ref e320d3012d25', e320d3012d25)] as RaceSpec<never>[],
      expected: ['double-free', 'use-after-free'],
    }),
    '462a8e08e0e6': variant({
      id: '462a8e08e0e6',
      title: '6.2 and later',
      description: 'PageHead cached; the tails are still freed by the first __free_pages.',
      cases: [multiRef('multi-ref 462a8e08e0e6', fix462a8e08e0e6)] as RaceSpec<never>[],
      expected: ['double-free', 'use-after-free'],
    }),
  },
};
