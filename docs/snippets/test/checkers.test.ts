import { describe, expect, it } from 'vitest';
import {
  GFP_KERNEL, GFP_KERNEL_ACCOUNT, PG_referenced, __GFP_COMP, createKernel, explore, layout, type Kernel, type KGen, type RaceSpec, type SharedWord,
} from '@pagecheck/core';

// #region helpers
// Each example is the smallest spec that shows its kind; explore() collects every kind found.
function* onePage(k: Kernel, gfp = GFP_KERNEL): KGen<{ page: number }> {
  return { page: (yield* k.alloc_pages(gfp, 0))! };
}
// #endregion helpers
const kindsOf = (spec: RaceSpec<never>, maxSteps?: number) => explore(spec, { stopOnFirst: false, maxSteps }).kinds;

describe('the checkers', () => {
  it('page-leak', () => {
    // #region page-leak
    const spec: RaceSpec = {
      name: 'allocated, never freed',
      threads: { *A(k) { yield* k.alloc_pages(GFP_KERNEL, 0); } },
    };
    // #endregion page-leak
    expect(kindsOf(spec as RaceSpec<never>)).toEqual(['page-leak']);
  });

  it('double-free (and the write to the free page it takes)', () => {
    // #region double-free
    const spec: RaceSpec<{ page: number }> = {
      name: 'freed twice',
      setup: (k) => onePage(k),
      threads: {
        *A(k, s) {
          yield* k.set_page_count(s.page, 0);
          yield* k.free_the_page(s.page, 0);
          yield* k.set_page_count(s.page, 0); // a store to a free page's struct page: use-after-free
          yield* k.free_the_page(s.page, 0);  // double-free
        },
      },
    };
    // #endregion double-free
    expect(kindsOf(spec as RaceSpec<never>)).toEqual(['double-free', 'use-after-free']);
  });

  it('use-after-free and refcount-underflow', () => {
    // #region use-after-free
    const spec: RaceSpec<{ page: number }> = {
      name: 'reference taken on a free page',
      setup: (k) => onePage(k),
      threads: {
        *A(k, s) {
          yield* k.__free_pages(s.page, 0);
          yield* k.get_page(s.page); // use-after-free, and get_page on a zero count: refcount-underflow
        },
      },
    };
    // #endregion use-after-free
    expect(kindsOf(spec as RaceSpec<never>)).toEqual(['refcount-underflow', 'use-after-free']);
  });

  it('refcount-underflow', () => {
    // #region refcount-underflow
    const spec: RaceSpec<{ page: number }> = {
      name: '__free_pages twice',
      setup: (k) => onePage(k),
      threads: { *A(k, s) { yield* k.__free_pages(s.page, 0); yield* k.__free_pages(s.page, 0); } },
    };
    // #endregion refcount-underflow
    expect(kindsOf(spec as RaceSpec<never>)).toEqual(['refcount-underflow']);
  });

  it('bad-page-state', () => {
    // #region bad-page-state
    const spec: RaceSpec<{ page: number }> = {
      name: 'freed while locked',
      setup: (k) => onePage(k),
      threads: { *A(k, s) { yield* k.trylock_page(s.page); yield* k.__free_pages(s.page, 0); } },
    };
    // "BUG: Bad page state in process A pfn:00040 ... PAGE_FLAGS_CHECK_AT_FREE flag(s) set"; the page is not freed
    // #endregion bad-page-state
    expect(kindsOf(spec as RaceSpec<never>)).toEqual(['bad-page-state']);
  });

  it('memcg-leak', () => {
    // #region memcg-leak
    const spec: RaceSpec = {
      name: 'charged twice, uncharged once',
      threads: {
        *A(k) {
          const page = (yield* k.alloc_pages(GFP_KERNEL, 0))!;
          yield* k.__memcg_kmem_charge_page(page, GFP_KERNEL_ACCOUNT, 0);
          yield* k.__memcg_kmem_charge_page(page, GFP_KERNEL_ACCOUNT, 0);
          yield* k.__free_pages(page, 0);
        },
      },
    };
    // #endregion memcg-leak
    expect(kindsOf(spec as RaceSpec<never>)).toEqual(['memcg-leak']);
  });

  it('memcg-underflow', () => {
    // #region memcg-underflow
    const spec: RaceSpec<{ page: number }> = {
      name: 'racing uncharges',
      setup: (k) => onePage(k, GFP_KERNEL_ACCOUNT),
      threads: {
        *A(k, s) { yield* k.__memcg_kmem_uncharge_page(s.page, 0); },
        *B(k, s) { yield* k.__memcg_kmem_uncharge_page(s.page, 0); },
      },
      *teardown(k, s) { yield* k.__free_pages(s.page, 0); },
    };
    // #endregion memcg-underflow
    expect(kindsOf(spec as RaceSpec<never>)).toEqual(['memcg-underflow']);
  });

  it('css-underflow', () => {
    // #region css-underflow
    const spec: RaceSpec = {
      name: 'a css_put that no css_get took',
      threads: { *A(k) { yield* k.css_put(k.memcg!.addr); } },
    };
    // "css reference underflow: css_put on test_memcg takes its css refcount from 1 to 0
    //  while the cgroup is online (its base reference keeps it >= 1): ..."
    // #endregion css-underflow
    expect(kindsOf(spec as RaceSpec<never>)).toEqual(['memcg-underflow']);
    const k = createKernel({ pages: 8 });
    k.run(k.alloc_pages(GFP_KERNEL_ACCOUNT, 1));
    expect({ usage: k.memcgUsage(), css: k.cssRefs() }).toEqual({ usage: 2, css: 2 });
  });

  it('buddy-corruption', () => {
    // #region buddy-corruption
    const spec: RaceSpec = {
      name: 'a variant that forgets __SetPageBuddy',
      kernel: { overrides: { *__SetPageBuddy() {} } },
      threads: { *A(k) { const page = (yield* k.alloc_pages(GFP_KERNEL, 0))!; yield* k.__free_pages(page, 0); } },
    };
    // "pfn:40 is on free_area[0] without PageBuddy"
    // #endregion buddy-corruption
    expect(kindsOf(spec as RaceSpec<never>)).toEqual(['buddy-corruption']);
  });

  it('struct-page-corruption', () => {
    // #region struct-page-corruption
    const spec: RaceSpec<{ folio: number }> = {
      name: 'deferred list of an order-1 folio',
      *setup(k) { return { folio: (yield* k.alloc_pages(GFP_KERNEL | __GFP_COMP, 1))! }; },
      threads: {
        // folio->_deferred_list lives in page[2]: an order-1 folio has no page[2].
        *A(k, s) { yield* k.INIT_LIST_HEAD(k.folio_deferred_list(s.folio, 'my_split')); },
      },
      *teardown(k, s) { yield* k.__free_pages(s.folio, 1); },
    };
    // "my_split: folio->_deferred_list is in page[2] (pfn:42), a free page, not in the folio at pfn:40";
    // the free list that page was on is broken too: buddy-corruption
    // #endregion struct-page-corruption
    expect(kindsOf(spec as RaceSpec<never>)).toEqual(['buddy-corruption', 'struct-page-corruption']);
  });

  it('lost-update', () => {
    // #region lost-update
    const spec: RaceSpec<{ page: number }> = {
      name: 'non-atomic flag update vs trylock_page',
      setup: (k) => onePage(k),
      threads: {
        *A(k, s) { yield* k.__set_page_bit(s.page, PG_referenced, '__SetPageReferenced'); }, // load, then store
        *B(k, s) { if (yield* k.trylock_page(s.page)) yield* k.unlock_page(s.page); },      // atomic
      },
      *teardown(k, s) { yield* k.clear_page_bit(s.page, PG_referenced, 'ClearPageReferenced'); yield* k.__free_pages(s.page, 0); },
    };
    // "non-atomic store overwrites the update B made at step 1 after A loaded the word at step 0"
    // #endregion lost-update
    expect(kindsOf(spec as RaceSpec<never>)).toEqual(['lost-update']);
  });

  it('data-race', () => {
    // #region data-race
    const spec: RaceSpec<{ flag: SharedWord }> = {
      name: 'plain store vs READ_ONCE',
      setup: (k) => ({ flag: k.sharedWord('flag', 0) }),
      threads: {
        *writer(k, s) { yield k.writeSharedPlain(s.flag, 1, 'p->flag = 1'); }, // no WRITE_ONCE
        *reader(k, s) { yield k.readShared(s.flag); },                        // READ_ONCE(flag)
      },
    };
    const r = explore(spec, { memoryModel: 'lkmm', stopOnFirst: false });
    // r.kinds: ['data-race']; r.failures[0].diagram:
    //   writer        | reader
    //   p->flag = 1() |
    //                 | READ_ONCE(flag)
    //                 | >>> data-race
    // #endregion data-race
    expect(r.kinds).toEqual(['data-race']);
    expect(r.failures[0]!.diagram).toContain('>>> data-race');
    expect(kindsOf(spec as unknown as RaceSpec<never>)).toEqual([]);
  });

  it('wild-deref', () => {
    // #region wild-deref
    const spec: RaceSpec<{ page: number }> = {
      name: 'junk in compound_head',
      setup: (k) => onePage(k),
      threads: {
        *A(k, s) {
          yield k.st(s.page, layout.LRU_NEXT, 0x123, 'page->compound_head = 0x123'); // bit 0: a tail page
          yield* k.compound_head(s.page); // "compound_head: page->compound_head 0x123 is not a struct page"
        },
      },
    };
    // #endregion wild-deref
    expect(kindsOf(spec as RaceSpec<never>)).toEqual(['wild-deref']);
  });

  it('deadlock and lock-violation', () => {
    // #region deadlock
    const abba: RaceSpec<{ a: number; b: number }> = {
      name: 'AB-BA',
      setup: (k) => ({ a: k.spin_lock_init('a'), b: k.spin_lock_init('b') }),
      threads: {
        *A(k, s) { yield* k.spin_lock(s.a); yield* k.spin_lock(s.b); yield* k.spin_unlock(s.b); yield* k.spin_unlock(s.a); },
        *B(k, s) { yield* k.spin_lock(s.b); yield* k.spin_lock(s.a); yield* k.spin_unlock(s.a); yield* k.spin_unlock(s.b); },
      },
    };
    // "every live thread is blocked: A (spin_lock(b)), B (spin_lock(a))"
    const unlockOthers: RaceSpec<{ a: number }> = {
      name: 'unlock by a non-owner',
      setup: (k) => ({ a: k.spin_lock_init('a') }),
      threads: { *A(k, s) { yield* k.spin_lock(s.a); }, *B(k, s) { yield* k.spin_unlock(s.a); } },
    };
    // "spin_unlock(a) by B, which does not hold it"
    // #endregion deadlock
    expect(kindsOf(abba as RaceSpec<never>)).toEqual(['deadlock']);
    expect(kindsOf(unlockOthers as RaceSpec<never>)).toEqual(['lock-violation']);
  });

  it('thread-error and step-limit', () => {
    // #region thread-error
    const throws: RaceSpec = {
      name: 'out of memory',
      kernel: { pages: 4 },
      threads: {
        *A(k) {
          yield* k.alloc_pages(GFP_KERNEL, 2); // all four pages
          const page = yield* k.alloc_pages(GFP_KERNEL, 0);
          if (page === null) throw new Error('alloc_pages failed'); // "thread A threw Error: alloc_pages failed"
        },
      },
    };
    const spins: RaceSpec<{ page: number }> = {
      name: 'never finishes',
      setup: (k) => onePage(k),
      threads: { *A(k, s) { for (;;) yield* k.page_count(s.page); } },
    };
    explore(spins, { maxSteps: 200 }); // "run exceeded 200 steps; still running: A (200 steps)"
    // #endregion thread-error
    expect(kindsOf(throws as RaceSpec<never>)).toEqual(['thread-error']);
    expect(kindsOf(spins as RaceSpec<never>, 200)).toEqual(['step-limit']);
  });
});
