import { GFP_KERNEL, __GFP_COMP, type KernelOverrides, type RaceSpec } from '@pagecheck/core';
import { variant, type Scenario } from '../types.js';
import { e320d3012d25, preE320d3012d25 } from './revisions.js';

/** lib/test_free_pages.c runs the loop 1,000,000 times; the model is deterministic, so a few iterations show the same. */
export const TEST_FREE_PAGES_ITERATIONS = 3;

/**
 * Port of lib/test_free_pages.c (added with e320d3012d25): allocate an order-3
 * block, take a second reference as the page cache would, free_pages(), put_page().
 * @remarks Since 0.1.0
 */
export function testFreePages(name: string, overrides: KernelOverrides, gfp: number): RaceSpec<void> {
  return {
    name,
    kernel: { pages: 8 * (TEST_FREE_PAGES_ITERATIONS + 1), overrides },
    threads: {
      // lib/test_free_pages.c: test_free_pages(gfp)
      *test_free_pages(k) {
        for (let i = 0; i < TEST_FREE_PAGES_ITERATIONS; i++) {
          const addr = yield* k.__get_free_pages(gfp, 3);
          if (addr === 0) throw new Error('__get_free_pages failed');
          const page = k.virt_to_page(addr);
          /* Simulate page cache getting a speculative reference */
          yield* k.get_page(page);
          yield* k.free_pages(addr, 3);
          yield* k.put_page(page);
        }
      },
    },
  };
}

function cases(id: string, overrides: KernelOverrides): RaceSpec<never>[] {
  return [
    testFreePages(`test_free_pages ${id}: GFP_KERNEL`, overrides, GFP_KERNEL),
    testFreePages(`test_free_pages ${id}: GFP_KERNEL | __GFP_COMP`, overrides, GFP_KERNEL | __GFP_COMP),
  ] as RaceSpec<never>[];
}

/** lib/test_free_pages.c: the test e320d3012d25 added. */
export const testFreePagesScenario: Scenario = {
  id: 'test-free-pages',
  title: 'lib/test_free_pages.c: free_pages() with an extra reference held',
  sources: {
    threads: ['e320d3012d25 mm/page_alloc.c: fix freeing non-compound pages (Matthew Wilcox, 5.10-rc1)'],
    commits: ['e320d3012d25 mm/page_alloc.c: fix freeing non-compound pages'],
  },
  story: [
    'The test allocates an order-3 block, takes a second reference ("simulate page cache getting a speculative reference"), frees the block with free_pages() and drops the reference with put_page(), once with GFP_KERNEL and once with GFP_KERNEL | __GFP_COMP.',
    'Before e320d3012d25 the non-compound run leaks seven pages per iteration; the compound run does not. It checks only for the leak.',
  ].join(' '),
  variants: {
    'pre-e320d3012d25': variant({
      id: 'pre-e320d3012d25',
      title: '<= 5.9',
      description: 'put_page() of the extra reference frees page 0 alone.',
      cases: cases('pre-e320d3012d25', preE320d3012d25),
      expected: ['page-leak'],
    }),
    e320d3012d25: variant({
      id: 'e320d3012d25',
      title: '5.10',
      description: 'free_pages() frees the tails itself.',
      cases: cases('e320d3012d25', e320d3012d25),
      expected: [],
    }),
  },
};
