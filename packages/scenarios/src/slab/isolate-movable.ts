import { GFP_KERNEL, __GFP_COMP, layout, type Op, type Kernel, type KernelOverrides, type KmemCache, type RaceSpec } from '@pagecheck/core';
import { variant, type Scenario } from '../types.js';

/** A function address ending in binary 10, as CONFIG_CC_OPTIMIZE_FOR_SIZE may place rcu_free_slab. */
const RCU_FREE_SLAB_LOW_BITS = 2;

type IsolateShape = (k: Kernel, page: number) => Generator<never, boolean, number>;

function isolateVariant(shape: IsolateShape): KernelOverrides {
  return { isolate_movable_page: shape as never };
}

/** Before 8b8817630ae8 (mm/migrate.c, v6.1): no slab test; __PageMovable, then trylock_page. */
const noSlabCheck = isolateVariant(function* (k, page) {
  if (!(yield* k.get_page_unless_zero(page))) return false;
  if (!(yield* k.__PageMovable(page))) {
    yield* k.put_page(page);
    return false;
  }
  return yield* k.isolate_locked_movable(page);
} as IsolateShape);

/** Vlastimil Babka's v1, the shape 8b8817630ae8 merged: slab test, smp_rmb, movable test, smp_rmb, slab test. */
const slabMovableSlab = (barriers: boolean): KernelOverrides => isolateVariant(function* (k, page) {
  if (!(yield* k.get_page_unless_zero(page))) return false;
  out: {
    if (yield* k.PageSlab(page)) break out;
    if (barriers) yield k.m.fence('rmb', 'smp_rmb');
    if (!(yield* k.__PageMovable(page))) break out;
    if (barriers) yield k.m.fence('rmb', 'smp_rmb');
    if (yield* k.PageSlab(page)) break out;
    return yield* k.isolate_locked_movable(page);
  }
  yield* k.put_page(page);
  return false;
} as IsolateShape);

/** The shape Vlastimil Babka meant (2022-10-26): movable test, smp_rmb, slab test, smp_rmb, movable test. */
const movableSlabMovable = (barriers: boolean): KernelOverrides => isolateVariant(function* (k, page) {
  if (!(yield* k.get_page_unless_zero(page))) return false;
  out: {
    if (!(yield* k.__PageMovable(page))) break out;
    if (barriers) yield k.m.fence('rmb', 'smp_rmb');
    if (yield* k.PageSlab(page)) break out;
    if (barriers) yield k.m.fence('rmb', 'smp_rmb');
    if (!(yield* k.__PageMovable(page))) break out;
    return yield* k.isolate_locked_movable(page);
  }
  yield* k.put_page(page);
  return false;
} as IsolateShape);

/** alloc_slab_page() without the smp_wmb() 8b8817630ae8 added (mm/slub.c, v6.1). */
function* allocSlabPageNoWmb(k: Kernel, s: KmemCache): Generator<Op, number | null, number> {
  const folio = yield* k.alloc_pages(s.order > 0 ? GFP_KERNEL | __GFP_COMP : GFP_KERNEL, s.order);
  if (folio === null) return null;
  yield* k.__folio_set_slab(folio);
  return folio;
}

/** SLUB before 8b8817630ae8 (mm/slub.c, v6.1 after 130d4df57390): no barriers, __folio_clear_slab before mapping = NULL. */
const slubBefore: KernelOverrides = {
  alloc_slab_page: allocSlabPageNoWmb,
  *__free_slab(k: Kernel, _s: KmemCache, slab: number) {
    const order = yield* k.folio_order(slab);
    yield* k.__clear_page_bit(slab, 5 /* PG_active */, '__slab_clear_pfmemalloc');
    yield* k.__folio_clear_slab(slab);
    yield k.st(slab, layout.MAPPING, 0, 'folio->mapping = NULL');
    yield* k.__free_pages(slab, order);
  },
};

/** SLUB's barriers removed, the order of 8b8817630ae8 kept. */
const slubNoBarriers: KernelOverrides = {
  alloc_slab_page: allocSlabPageNoWmb,
  *__free_slab(k: Kernel, _s: KmemCache, slab: number) {
    const order = yield* k.folio_order(slab);
    yield* k.__clear_page_bit(slab, 5 /* PG_active */, '__slab_clear_pfmemalloc');
    yield k.st(slab, layout.MAPPING, 0, 'folio->mapping = NULL');
    yield* k.__folio_clear_slab(slab);
    yield* k.__free_pages(slab, order);
  },
};

interface State {
  readonly page: number;
  readonly cache: KmemCache;
}

/**
 * Compaction's isolate_movable_page() on a pfn while SLUB allocates a slab on
 * that page, puts it on and takes it off a partial list (slab_list.prev =
 * LIST_POISON2 in the mapping word), and frees it through call_rcu()
 * (rcu_head.func = rcu_free_slab in the mapping word); the RCU callback
 * thread runs __free_slab() after a grace period.
 * @remarks Since 0.1.0
 */
export function isolateVsSlab(name: string, overrides: KernelOverrides): RaceSpec<State> {
  return {
    name,
    kernel: { pages: 4, rcu: true, memcg: false, overrides },
    setup(k) {
      const caches: KmemCache[] = [];
      k.define_rcu_free_slab(RCU_FREE_SLAB_LOW_BITS, () => caches);
      const cache = k.kmem_cache_create('kmalloc-rcu', 0, true);
      caches.push(cache);
      // The first free page: the slab allocation below gets it.
      const page = k.pfn(0);
      k.name(page, 'page');
      return { page, cache };
    },
    threads: {
      /** isolate_migratepages_block() reaching this pfn. */
      *compaction(k, s) {
        yield* k.isolate_movable_page(s.page);
      },
      /** A slab's life: allocate_slab, add_partial, remove_partial, discard_slab. */
      *slab(k, s) {
        const slab = yield* k.allocate_slab(s.cache);
        if (slab === null) throw new Error('allocate_slab failed');
        yield* k.add_partial(s.cache, slab);
        yield* k.remove_partial(s.cache, slab);
        yield* k.discard_slab(s.cache, slab);
      },
    },
  };
}


/**
 * Under `lkmm` these variants take seconds to minutes to explore completely: the
 * matrix gives them WEAK_CLEAN_BUDGET_MS (a row whose exploration did not end in
 * it says "within budget"); `pagecheck --budget 600` explores them completely.
 */
const WEAK_CLEAN_BUDGET_MS = 12_000;
const weakClean = (complete: string) => ({
  expected: [],
  explore: { timeBudgetMs: WEAK_CLEAN_BUDGET_MS },
  note: `Clean under the weak model. The matrix gives its lkmm exploration ${WEAK_CLEAN_BUDGET_MS / 1000} s; a row whose exploration did not end in that time says "within budget". Only the read-from and coherence choices LKMM allows are branched on; most of the cost is runs abandoned inside load-buffering revisits (a load reads a later store that then cannot come). Explored completely (pagecheck --budget 600), it finds no violation: ${complete}.`,
}) as const;

function cases(id: string, overrides: KernelOverrides): RaceSpec<never>[] {
  return [isolateVsSlab(`slub-isolate-movable ${id}`, overrides)] as RaceSpec<never>[];
}

/** Seed 002: SLUB's slab pages look movable to compaction. */
export const slubIsolateMovable: Scenario = {
  id: 'slub-isolate-movable',
  title: 'isolate_movable_page() against SLUB slab pages whose mapping word holds rcu_head.func or LIST_POISON2',
  sources: {
    threads: [
      'amusing SLUB compaction bug when CC_OPTIMIZE_FOR_SIZE (Hugh Dickins, Vlastimil Babka, Hyeonggon Yoo, 2022-10)',
    ],
    commits: [
      '130d4df57390 mm/sl[au]b: rearrange struct slab fields to allow larger rcu_head',
      '8b8817630ae8 mm/migrate: make isolate_movable_page() skip slab pages (6.2-rc1)',
      '41d78ba55037 (2006) the same false positive on i386 -Os with a compound page destructor',
    ],
  },
  story: [
    'After 130d4df57390, SLUB\'s rcu_head and slab_list overlay struct page\'s mapping word. Hugh Dickins saw compaction crash in isolate_movable_page(): page->mapping held the address of rcu_free_slab(), which under CONFIG_CC_OPTIMIZE_FOR_SIZE may end in binary 10 and so passes __PageMovable(); the value was then used as a movable_operations pointer. slab_list.prev = LIST_POISON2 (0x122) passes it too.',
    'Vlastimil Babka\'s fix makes isolate_movable_page() skip slab pages, with smp_rmb() between the tests and smp_wmb() on the slab side; it must test before folio_trylock(), because slab code changes a new page\'s flags with non-atomic bitops.',
    'Hyeonggon Yoo sketched a schedule that passes both slab tests and the movable test of the shape that was merged; Vlastimil replied that he meant two movable tests around one slab test.',
  ].join(' '),
  variants: {
    'no-slab-check': variant({
      id: 'no-slab-check',
      title: 'before 8b8817630ae8: no slab test',
      description: '__PageMovable() alone decides; rcu_free_slab or LIST_POISON2 in the mapping word passes it and is used as movable_operations.',
      cases: cases('no-slab-check', { ...noSlabCheck, ...slubBefore }),
      expected: ['lost-update', 'wild-deref'],
      expectedFrom: 'Hugh Dickins hit the wild dereference: rcu_free_slab or LIST_POISON2 in the mapping word used as movable_operations. The lost update is the other reason the fix gives for testing before trylock_page(): "we use non-atomic bitops on newly allocated page flags so unconditionally grabbing the lock ruins page\'s owner side" (8b8817630ae8); in the model, trylock_page() sets PG_locked while __slab_clear_pfmemalloc() or __folio_clear_slab() rewrites page->flags non-atomically. DESIGN.md\'s table named only the wild dereference.',
    }),
    'vlastimil-v1': variant({
      id: 'vlastimil-v1',
      title: 'slab test, smp_rmb, movable test, smp_rmb, slab test (the shape 8b8817630ae8 merged)',
      description: 'Skips slab pages; Hyeonggon Yoo\'s schedule was meant to pass all three tests while the slab is freed, and lose an update to page->flags.',
      cases: cases('vlastimil-v1', slabMovableSlab(true)),
      expected: [],
      expectedFrom: 'Hyeonggon Yoo said this shape loses an update; the model refutes his schedule, under SC and under LKMM, and DESIGN.md\'s table now expects none. Under sequential consistency the model finds this shape clean. Hyeonggon Yoo\'s schedule does reach trylock_page(), but only after __free_slab() has set folio->mapping = NULL and cleared PG_slab: PageMovable() then fails under the page lock, and __free_slab() changes no flag non-atomically after __folio_clear_slab(), so nothing is lost. Compaction\'s reference keeps the page from being freed and reallocated meanwhile. Whether reordered loads (no smp_rmb() before PageMovable(), as Vlastimil Babka asked) make the lost update reachable is a question for the weak memory model: under memoryModel \'lkmm\', with lost updates checked on the execution graph, the exhaustive exploration of this case completes (1137 executions, and 163k runs pruned as redundant or as executions LKMM forbids, in under 3 minutes, with memoryModel \'lkmm\', stopOnFirst false and a 600 s time budget) and finds no violation. By hand LKMM forbids it too: once __PageMovable() has read rcu_free_slab, the second smp_rmb() paired with alloc_slab_page()\'s smp_wmb() keeps the second PageSlab() from reading page->flags older than __folio_set_slab() (message passing), so it can only read PG_slab clear from __free_slab(), and coherence puts trylock_page()\'s atomic RMW after that store. The thread agrees in the end: 8b8817630ae8 went upstream with exactly these three tests and the two smp_rmb(), carrying Hyeonggon Yoo\'s Acked-by (row upstream-8b8817630ae8, also clean).',
    }),
    'upstream-8b8817630ae8': variant({
      id: 'upstream-8b8817630ae8',
      title: '8b8817630ae8 as merged (6.2-rc1)',
      description: 'The same tests as vlastimil-v1, with smp_wmb() in alloc_slab_page() and mapping = NULL before __folio_clear_slab() in __free_slab(): the model\'s own isolate_movable_page and SLUB.',
      cases: cases('upstream-8b8817630ae8', {}),
      expected: [],
      weak: weakClean('471 executions (44 distinct execution graphs) and 60 710 abandoned runs in 32 s of wall time (33 s of CPU) on the shared 2-core machine'),
    }),
    'vlastimil-v2': variant({
      id: 'vlastimil-v2',
      title: 'movable test, smp_rmb, slab test, smp_rmb, movable test',
      description: 'The shape Vlastimil Babka meant: two movable tests around one slab test.',
      cases: cases('vlastimil-v2', movableSlabMovable(true)),
      expected: [],
      weak: weakClean('105 executions (26 distinct execution graphs) and 17 166 abandoned runs in 7.6 s of wall time (8.7 s of CPU) on the shared 2-core machine'),
    }),
    'v2-without-barriers': variant({
      id: 'v2-without-barriers',
      title: 'v2 with the smp_rmb()/smp_wmb() pairs removed',
      description: 'Clean under sequential consistency; the barriers matter only on hardware that reorders.',
      cases: cases('v2-without-barriers', { ...movableSlabMovable(false), ...slubNoBarriers }),
      expected: [],
      weak: {
        expected: ['wild-deref'],
        explore: { timeBudgetMs: 15_000 },
        note: 'Without smp_rmb() and smp_wmb(), isolate_movable_page()\'s loads may see the slab side\'s stores out of order: in the witness compaction reads call_rcu()\'s rcu_free_slab from the mapping word but page->flags from before __folio_set_slab(), so __PageMovable() passes twice, PageSlab() fails, and rcu_free_slab is used as movable_operations. Found in a few schedules (well under a second); explored until wild-deref, so incomplete. A longer exploration (no until, 60 s) also shows bad-page-state.',
      },
    }),
  },
};
