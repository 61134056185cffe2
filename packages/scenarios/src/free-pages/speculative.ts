import { GFP_KERNEL, GFP_KERNEL_ACCOUNT, __GFP_COMP, type AddressSpace, type KernelOverrides, type RaceSpec } from '@pagecheck/core';
import { variant, type Scenario } from '../types.js';
import { e320d3012d25, fix462a8e08e0e6, hannesV1, hannesV2, preE320d3012d25, willyCacheMemcg } from './revisions.js';

/**
 * One race, through the page cache (seed 001, e320d3012d25's description):
 * P0 is a page cache page whose buddies are free. A lookup (find_get_page)
 * finds P0 in its slot; reclaim removes P0 from the cache (__remove_mapping:
 * page_ref_freeze, __delete_from_page_cache) and frees it (free_unref_page_list,
 * through the per-cpu list to the buddy, where it merges); the owner's
 * alloc_pages() gets P0 as the head of an order-N block; the lookup's
 * speculative reference lands on it, xas_reload() sees the slot changed and the
 * lookup drops the reference with put_page(), racing with the owner's
 * __free_pages(). The model has no LRU lists: setup leaves P0 with the
 * reference isolate_lru_page() would have taken for reclaim (refcount 2: the
 * cache's and reclaim's), as shrink_page_list() expects it.
 */
export function speculativeRace(name: string, overrides: KernelOverrides, gfp: number, order: number): RaceSpec<{ page: number; mapping: AddressSpace }> {
  return {
    name,
    kernel: { pages: 1 << (order + 1), overrides },
    *setup(k) {
      const mapping = k.createMapping('file', 1);
      const page = yield* k.alloc_pages(GFP_KERNEL, 0);
      if (page === null) throw new Error('setup: alloc_pages failed');
      k.name(page, 'P0');
      // The page is read in: added to the page cache locked, then unlocked.
      if ((yield* k.add_to_page_cache(page, mapping, 0, GFP_KERNEL)) !== 0) throw new Error('setup: add_to_page_cache failed');
      yield* k.unlock_page(page);
      return { page, mapping };
    },
    threads: {
      /** A page cache lookup: find_get_page(), and the caller's put_page() when it found the page. */
      *lookup(k, s) {
        const page = yield* k.find_get_page(s.mapping, 0);
        if (page !== null) yield* k.put_page(page);
      },
      /** Reclaim of the isolated page: shrink_page_list() → __remove_mapping() → free_unref_page_list(). */
      *reclaim(k, s) {
        yield* k.shrink_page_list([s.page]);
      },
      /** The owner of an order-N allocation frees it with __free_pages(). */
      *owner(k) {
        const page = yield* k.alloc_pages(gfp, order);
        if (page !== null) yield* k.__free_pages(page, order);
      },
    },
    /** Truncation drops whatever is still in the cache (when reclaim lost the race to the lookup). */
    *teardown(k, s) {
      yield* k.truncate_inode_pages(s.mapping, 0);
    },
  };
}

const ORDER = 2;

/** The finding on willy-cache-memcg: nobody in the thread noticed it. */
const WILLY_FINDING = [
  'A finding of the model, not of the thread: nobody in it noticed. The page_counter balances (each freed block uncharges its own 1 << order pages), but the css references do not.',
  'In v5.12 a charged page holds one css reference: __memcg_kmem_charge_page() keeps the one get_mem_cgroup_from_current() took, and __memcg_kmem_uncharge_page() drops it with memcg_data ("page->memcg_data = 0; css_put(&memcg->css);").',
  'split_page_memcg() copies memcg_data to pages 1..nr-1 and takes one reference for each copy: "css_get_many(&memcg->css, nr - 1)". The proposal copies memcg_data to each freed tail block ("tail->memcg_data = memcg_data") with no css_get, and each tail\'s free_the_page() → free_pages_prepare() → __memcg_kmem_uncharge_page() puts a reference that no css_get took.',
  'With an order-2 block: the charge holds 1 reference (count 2 with the cgroup\'s base reference); the owner\'s tail blocks put 2 (count 0: reported at that step, the cgroup is online and its base reference is gone); the lookup\'s put_page() → mem_cgroup_uncharge() puts the page\'s own (count -1). The css (and the mem_cgroup) can be freed while pages and the cgroup still use it.',
  'Matthew Wilcox\'s own idea in the thread (a __set_memcg_data() helper in memcontrol.h) would need a css_get per copy, as split_page_memcg() has; in 5.13, where kmem pages hold an obj_cgroup reference, an obj_cgroup_get per copy.',
].join(' ');

function cases(id: string, overrides: KernelOverrides): RaceSpec<never>[] {
  return [
    speculativeRace(`${id}: non-compound`, overrides, GFP_KERNEL, ORDER),
    speculativeRace(`${id}: compound`, overrides, GFP_KERNEL | __GFP_COMP, ORDER),
    speculativeRace(`${id}: accounted non-compound`, overrides, GFP_KERNEL_ACCOUNT, ORDER),
  ] as RaceSpec<never>[];
}

/** Seed 001: __free_pages() against a speculative reference, every revision from 5.9 to 6.2. */
export const freePagesSpeculative: Scenario = {
  id: 'free-pages-speculative',
  title: '__free_pages() racing with a speculative page cache reference',
  sources: {
    threads: [
      '[PATCH] mm: page_alloc: fix memcg accounting leak in speculative cache lookup (Johannes Weiner, 2021-03-19 .. 2021-03-26)',
      'Re: Linux regressions report for mainline [2023-02-11] (Linus Torvalds, Matthew Wilcox)',
    ],
    commits: [
      'e286781d5f2e mm: speculative page references',
      'e320d3012d25 mm/page_alloc.c: fix freeing non-compound pages (5.10)',
      '462a8e08e0e6 Fix page corruption caused by racy check in __free_pages (6.2, CVE-2023-52739)',
    ],
    links: ['https://nvd.nist.gov/vuln/detail/CVE-2023-52739'],
  },
  story: [
    'A speculative page cache lookup can take a reference on a page that has just been freed and reallocated as the first page of a higher-order block.',
    'In the model it happens through the kernel\'s own code (v5.10): find_get_page() loads P0 from its xarray slot; reclaim freezes P0\'s refcount, deletes it from the page cache and frees it through the per-cpu list to the buddy, where it merges with its free buddies; the owner\'s alloc_pages() gets P0 as the head of an order-2 block; the lookup\'s page_cache_get_speculative() pins it, xas_reload() sees the slot changed, and the lookup\'s put_page() races with the owner\'s __free_pages(); a non-compound page the lookup frees goes through free_unref_page() as order 0.',
    'Before 5.10 the owner\'s __free_pages() then only dropped its reference, and the lookup\'s put_page() freed page 0 alone: the rest of a non-compound block leaked.',
    'e320d3012d25 made __free_pages() free the tail blocks itself when its put was not the last, but it read PageHead after the put: the lookup may have freed a compound page by then and cleared PG_head, and the tails are freed twice.',
    'Only page 0 carries memcg_data, so an accounted non-compound block leaks the charge of its tails.',
    'Johannes Weiner\'s v1 added split_page_memcg(); v2 also cached PageHead. Hugh Dickins pointed out that the lookup\'s uncharge can clear memcg_data before split_page_memcg() reads it (the model finds the css references split_page_memcg() then takes with nothing to carry them leaked too), and that memcg_data on every sub-page trips the free-time checks; Matthew Wilcox proposed caching memcg_data too, which the model finds drops css references nobody took. Andrew Morton dropped the patch; in 2023 462a8e08e0e6 cached PageHead only, accepting the rare memcg leak.',
  ].join(' '),
  variants: {
    'pre-e320d3012d25': variant({
      id: 'pre-e320d3012d25',
      title: '<= 5.9: put_page_testzero, then free the block',
      description: 'The last reference frees the block; a speculative put_page frees only page 0 of a non-compound block.',
      cases: cases('pre-e320d3012d25', preE320d3012d25),
      expected: ['page-leak'],
    }),
    e320d3012d25: variant({
      id: 'e320d3012d25',
      title: '5.10 .. 6.1: free the tails when the put was not the last',
      description: 'PageHead is read after put_page_testzero; memcg_data is only on page 0.',
      cases: cases('e320d3012d25', e320d3012d25),
      expected: ['double-free', 'memcg-leak'],
    }),
    'hannes-v1': variant({
      id: 'hannes-v1',
      title: 'Johannes Weiner v1 (2021-03-19): split_page_memcg() after the put',
      description: 'Adds split_page_memcg(page, 1 << order) before freeing the tails; PageHead still read after the put.',
      cases: cases('hannes-v1', hannesV1),
      expected: ['bad-page-state', 'double-free', 'memcg-leak'],
    }),
    'hannes-v2': variant({
      id: 'hannes-v2',
      title: 'Johannes Weiner v2 (2021-03-23): PageHead cached',
      description: 'Caches PageHead before the put; split_page_memcg() still reads memcg_data after it.',
      cases: cases('hannes-v2', hannesV2),
      expected: ['bad-page-state', 'memcg-leak'],
    }),
    'willy-cache-memcg': variant({
      id: 'willy-cache-memcg',
      title: 'Matthew Wilcox (2021-03-26): PageHead and memcg_data cached',
      description: 'Caches PageHead and memcg_data before the put and sets memcg_data on the first page of each freed block, without taking a css reference for it.',
      cases: cases('willy-cache-memcg', willyCacheMemcg),
      expected: ['memcg-underflow'],
      expectedFrom: WILLY_FINDING,
    }),
    '462a8e08e0e6': variant({
      id: '462a8e08e0e6',
      title: '6.2: PageHead cached before the put',
      description: 'Upstream since 6.2: the double free is gone; the memcg charge of an accounted non-compound block\'s tails still leaks (the "rare leak" accepted).',
      cases: cases('462a8e08e0e6', fix462a8e08e0e6),
      expected: ['memcg-leak'],
    }),
  },
};
