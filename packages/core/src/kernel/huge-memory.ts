import type { Kernel, KGen, MethodsOf } from './context.js';
import { RMW_CMPXCHG } from '../engine/op.js';
import { FLAGS, INDEX, LRU_PREV, MAPCOUNT, MAPPING, PRIVATE, REFCOUNT } from '../machine/layout.js';
import { TAIL_MAPPING, globalAddr } from '../machine/addresses.js';
import {
  PAGE_FLAGS_CHECK_AT_PREP, PG_active, PG_dirty, PG_head, PG_locked, PG_mlocked, PG_referenced,
  PG_swapbacked, PG_unevictable, PG_uptodate, PG_workingset,
} from './page-flags.js';

/** A deferred_split queue's words: its spinlock, the split_queue list head and split_queue_len. */
export interface DeferredSplitQueue {
  /** Location of split_queue_lock. */
  readonly lock: number;
  /** Address of the split_queue list_head. */
  readonly split_queue: number;
  /** Location of split_queue_len. */
  readonly split_queue_len: number;
}

/** enum compound_dtor_id (include/linux/mm.h, v6.2, CONFIG_HUGETLB_PAGE): TRANSHUGE_PAGE_DTOR. */
export const TRANSHUGE_PAGE_DTOR = 3;
/** HPAGE_PMD_ORDER with 4 KiB pages (PMD_SHIFT 21 - PAGE_SHIFT 12). */
export const HPAGE_PMD_ORDER = 9;
/** -EBUSY. */
export const EBUSY = 16;

/** The head flags __split_huge_page_tail() copies to each tail (v6.2; PG_swapcache, PG_arch_2 and the LRU gen bits are not modelled). */
const TAIL_INHERITED_FLAGS =
  (1 << PG_referenced) | (1 << PG_swapbacked) | (1 << PG_mlocked) | (1 << PG_uptodate) | (1 << PG_active) |
  (1 << PG_workingset) | (1 << PG_locked) | (1 << PG_unevictable) | (1 << PG_dirty);

const QUEUE = 'deferred_split_queue';

/**
 * Transparent huge pages and large folios (mm/huge_memory.c, v6.2): the
 * deferred split queue (one per node; memcg queues are not modelled) and
 * split_huge_page_to_list() for anonymous folios.
 *
 * The deferred list of a folio is `folio->_deferred_list`, words 2-3 of its
 * page[2] as v6.3's struct folio lays it out (folio_deferred_list(), folio.ts;
 * v6.2 and earlier had page[2].deferred_list at words 3-4): on a folio of fewer
 * than three pages that is another page's struct page, and the checker reports it.
 */
export const hugeMemory = {
  /**
   * pgdat_init_split_queue() (mm/page_alloc.c, v6.2): spin_lock_init,
   * INIT_LIST_HEAD(&ds_queue->split_queue), split_queue_len = 0. The kernel
   * does this at boot; call it in setup, or get_deferred_split_queue() does it
   * on first use, outside any step.
   */
  pgdat_init_split_queue(this: Kernel): DeferredSplitQueue {
    if (this.symbols.has(QUEUE)) return queueWords(this);
    const lock = this.spin_lock_init('ds_queue->split_queue_lock');
    const head = this.m.allocGlobal('ds_queue->split_queue', 2);
    const len = this.m.allocGlobal('ds_queue->split_queue_len');
    this.m.words[head] = globalAddr(head);
    this.m.words[head + 1] = globalAddr(head);
    this.m.words[len] = 0;
    this.symbols.add(QUEUE, 'object', { words: { lock, split_queue: head, split_queue_len: len } });
    return queueWords(this);
  },

  /** get_deferred_split_queue() (mm/huge_memory.c, v6.2, !CONFIG_MEMCG): the node's queue. */
  get_deferred_split_queue(this: Kernel, _folio: number): DeferredSplitQueue {
    return this.pgdat_init_split_queue();
  },

  /** prep_transhuge_page() (mm/huge_memory.c, v6.2): INIT_LIST_HEAD(&folio->_deferred_list); the THP destructor. */
  *prep_transhuge_page(this: Kernel, page: number): KGen<void> {
    const order = yield* this.folio_order(page);
    if (order < 2) this.bug('bad-page-state', `prep_transhuge_page: VM_BUG_ON_FOLIO(folio_order(folio) < 2): order ${order}`, page);
    yield* this.INIT_LIST_HEAD(this.folio_deferred_list(page, 'prep_transhuge_page'));
    // folio_set_compound_dtor(folio, TRANSHUGE_PAGE_DTOR): a byte store of _folio_dtor; the model's slot holds
    // _folio_dtor and _folio_order together, so the order byte is stored again with its own value.
    yield this.st32(page + 1, LRU_PREV, TRANSHUGE_PAGE_DTOR | (order << 8), 'folio_set_compound_dtor(folio, TRANSHUGE_PAGE_DTOR)');
  },

  /**
   * deferred_split_huge_page() (mm/huge_memory.c, v6.2): queue a partially
   * mapped THP for the deferred split shrinker. PageSwapCache is not modelled.
   */
  *deferred_split_huge_page(this: Kernel, page: number): KGen<void> {
    const folio = yield* this.page_folio(page);
    const ds_queue = this.get_deferred_split_queue(folio);
    // VM_BUG_ON_PAGE(!PageTransHuge(page), page);
    if (!(yield* this.PageHead(folio))) this.bug('bad-page-state', 'deferred_split_huge_page: VM_BUG_ON_PAGE(!PageTransHuge(page))', folio);
    const list = this.folio_deferred_list(folio, 'deferred_split_huge_page');
    if (!(yield* this.list_empty(list))) return;
    yield* this.spin_lock(ds_queue.lock);
    if (yield* this.list_empty(list)) {
      yield* this.list_add_tail(list, ds_queue.split_queue);
      const len: number = yield this.m.gld(ds_queue.split_queue_len, 'ds_queue->split_queue_len');
      yield this.m.gst(ds_queue.split_queue_len, len + 1, 'ds_queue->split_queue_len++');
    }
    yield* this.spin_unlock(ds_queue.lock);
  },

  /**
   * free_transhuge_page() (mm/huge_memory.c, v6.2): off the deferred split queue under
   * split_queue_lock, then free_compound_page().
   */
  *free_transhuge_page(this: Kernel, page: number): KGen<void> {
    const folio = page;
    const ds_queue = this.get_deferred_split_queue(folio);
    yield* this.spin_lock(ds_queue.lock);
    const list = this.folio_deferred_list(folio, 'free_transhuge_page');
    if (!(yield* this.list_empty(list))) {
      const len: number = yield this.m.gld(ds_queue.split_queue_len, 'ds_queue->split_queue_len');
      yield this.m.gst(ds_queue.split_queue_len, len - 1, 'ds_queue->split_queue_len--');
      yield* this.list_del(list);
    }
    yield* this.spin_unlock(ds_queue.lock);
    yield* this.free_compound_page(page);
  },

  /** folio_ref_freeze() → page_ref_freeze() (include/linux/page_ref.h, v6.2): atomic_cmpxchg(&_refcount, count, 0) == count. */
  *folio_ref_freeze(this: Kernel, folio: number, count: number): KGen<boolean> {
    const old: number = yield this.rmw(folio, REFCOUNT, RMW_CMPXCHG, count, 0, `folio_ref_freeze(${count})`, (v) => String(v === count));
    return old === count;
  },

  /** page_ref_unfreeze() (include/linux/page_ref.h, v6.2): VM_BUG_ON_PAGE(page_count(page) != 0); atomic_set_release(&_refcount, count). */
  *page_ref_unfreeze(this: Kernel, page: number, count: number): KGen<void> {
    const now: number = yield this.ld(page, REFCOUNT, 'page_ref_unfreeze: page_count');
    if (now !== 0) this.bug('refcount-underflow', `page_ref_unfreeze: VM_BUG_ON_PAGE(page_count(page) != 0): ${now}`, page);
    yield this.st32(page, REFCOUNT, count, `page_ref_unfreeze(${count})`);
  },

  /** can_split_folio() (mm/huge_memory.c, v6.2): the mappings account for every reference but the caller's pin. */
  *can_split_folio(this: Kernel, folio: number): KGen<{ ok: boolean; extra_pins: number }> {
    // Additional pins from page cache (PageSwapCache is not modelled: an anonymous folio has none)
    const extra_pins = (yield* this.folio_test_anon(folio)) ? 0 : yield* this.folio_nr_pages(folio);
    const mapcount = yield* this.folio_mapcount(folio);
    const ref = yield* this.folio_ref_count(folio);
    return { ok: mapcount === ref - extra_pins - 1, extra_pins };
  },

  /**
   * unmap_folio() → try_to_migrate() (mm/huge_memory.c, mm/rmap.c, v6.2): each
   * PTE mapping becomes a migration entry (page_remove_rmap, folio_put).
   * Returns the mapped subpages, the migration entries remap_page() restores.
   */
  *unmap_folio(this: Kernel, folio: number): KGen<number[]> {
    const nr = yield* this.folio_nr_pages(folio);
    const entries: number[] = [];
    for (let i = 0; i < nr; i++) {
      const mapcount: number = yield this.ld(folio + i, MAPCOUNT, 'try_to_migrate: page mapped?', (v) => String(v >= 0));
      if (mapcount < 0) continue;
      yield* this.page_remove_rmap(folio + i);
      yield* this.folio_put(folio);
      entries.push(i);
    }
    return entries;
  },

  /** remap_page() → remove_migration_ptes() (mm/huge_memory.c, mm/migrate.c, v6.2): each migration entry maps its page again. */
  *remap_page(this: Kernel, folio: number, entries: readonly number[]): KGen<void> {
    for (const i of entries) {
      const f = yield* this.page_folio(folio + i);
      yield* this.folio_get(f);
      yield* this.page_add_anon_rmap(folio + i);
    }
  },

  /**
   * split_huge_page_to_list() (mm/huge_memory.c, v6.2), anonymous folios only.
   * Returns 0 or -EBUSY. Not modelled: the anon_vma lock (one splitter per
   * folio here), the huge zero page, writeback, xarray and swap cache.
   */
  *split_huge_page_to_list(this: Kernel, page: number, _list: number | null): KGen<number> {
    const folio = yield* this.page_folio(page);
    const ds_queue = this.get_deferred_split_queue(folio);
    if (!(yield* this.PageLocked(folio))) this.bug('lock-violation', `split_huge_page_to_list: VM_BUG_ON_FOLIO(!folio_test_locked(folio)) on pfn:${folio.toString(16)}`, folio);
    if (!(yield* this.folio_test_large(folio))) this.bug('bad-page-state', 'split_huge_page_to_list: VM_BUG_ON_FOLIO(!folio_test_large(folio))', folio);
    if (!(yield* this.folio_test_anon(folio))) throw new Error('split_huge_page_to_list: only anonymous folios are modelled');
    const end = -1;
    // Racy check if we can split the page, before unmap_folio() will split PMDs
    const { ok, extra_pins } = yield* this.can_split_folio(folio);
    if (!ok) return -EBUSY;
    const entries = yield* this.unmap_folio(folio);
    // Prevent deferred_split_scan() touching ->_refcount
    yield* this.spin_lock(ds_queue.lock);
    if (yield* this.folio_ref_freeze(folio, 1 + extra_pins)) {
      const list = this.folio_deferred_list(folio, 'split_huge_page_to_list');
      if (!(yield* this.list_empty(list))) {
        const len: number = yield this.m.gld(ds_queue.split_queue_len, 'ds_queue->split_queue_len');
        yield this.m.gst(ds_queue.split_queue_len, len - 1, 'ds_queue->split_queue_len--');
        yield* this.list_del(list);
      }
      yield* this.spin_unlock(ds_queue.lock);
      yield* this.__split_huge_page(page, entries, end);
      return 0;
    }
    yield* this.spin_unlock(ds_queue.lock);
    yield* this.remap_page(folio, entries);
    return -EBUSY;
  },

  /** split_folio() (include/linux/huge_mm.h, v6.2): split_huge_page_to_list(&folio->page, NULL). */
  *split_folio(this: Kernel, folio: number): KGen<number> {
    return yield* this.split_huge_page_to_list(folio, null);
  },

  /**
   * __split_huge_page() (mm/huge_memory.c, v6.2), anonymous and not in the
   * swap cache. `entries` are unmap_folio()'s migration entries. The lruvec
   * lock and LRU are not modelled; split_page_owner() is the shadow split.
   */
  *__split_huge_page(this: Kernel, page: number, entries: readonly number[], _end: number): KGen<void> {
    const folio = yield* this.page_folio(page);
    const head = folio;
    const order = yield* this.folio_order(folio);
    const nr = 1 << order;
    // complete memcg works before add pages to LRU
    yield* this.split_page_memcg(head, nr);
    for (let i = nr - 1; i >= 1; i--) yield* this.__split_huge_page_tail(head, i);
    // ClearPageCompound(head): BUG_ON(!PageHead(page)); ClearPageHead(page);
    yield* this.clear_page_bit(head, PG_head, 'ClearPageCompound');
    // split_page_owner(head, nr);
    this.shadowSplit(head, order);
    // See comment in __split_huge_page_tail(): PageAnon and not PageSwapCache
    yield* this.page_ref_inc(head);
    yield* this.remap_page(folio, entries);
    for (let i = 0; i < nr; i++) {
      const subpage = head + i;
      if (subpage === page) continue;
      yield* this.unlock_page(subpage);
      // Subpages may be freed if there wasn't any mapping.
      yield* this.free_page_and_swap_cache(subpage);
    }
  },

  /** __split_huge_page_tail() (mm/huge_memory.c, v6.2), anonymous, not in the swap cache; the LRU is not modelled. */
  *__split_huge_page_tail(this: Kernel, head: number, tail: number): KGen<void> {
    const page_tail = head + tail;
    const mc: number = yield this.ld(page_tail, MAPCOUNT, 'page_tail->_mapcount');
    if (mc !== -1) this.bug('bad-page-state', `__split_huge_page_tail: VM_BUG_ON_PAGE(atomic_read(&page_tail->_mapcount) != -1): ${mc}`, page_tail);
    // Clone page flags before unfreezing refcount.
    let f: number = yield this.ld(page_tail, FLAGS, 'page_tail->flags &= ~PAGE_FLAGS_CHECK_AT_PREP');
    yield this.stRmw(page_tail, FLAGS, f & ~PAGE_FLAGS_CHECK_AT_PREP, 'page_tail->flags &= ~PAGE_FLAGS_CHECK_AT_PREP');
    const hf: number = yield this.ld(head, FLAGS, 'head->flags');
    f = yield this.ld(page_tail, FLAGS, 'page_tail->flags |= (head->flags & ...)');
    yield this.stRmw(page_tail, FLAGS, f | (hf & TAIL_INHERITED_FLAGS), 'page_tail->flags |= (head->flags & ...)');
    // ->mapping in first tail page is compound_mapcount
    if (tail > 2) {
      const m: number = yield this.ld(page_tail, MAPPING, 'page_tail->mapping');
      if (m !== TAIL_MAPPING) this.bug('bad-page-state', `__split_huge_page_tail: VM_BUG_ON_PAGE(tail > 2 && page_tail->mapping != TAIL_MAPPING): 0x${(m >>> 0).toString(16)}`, page_tail);
    }
    const mapping: number = yield this.ld(head, MAPPING, 'head->mapping');
    yield this.st(page_tail, MAPPING, mapping, 'page_tail->mapping = head->mapping');
    const index: number = yield this.ld(head, INDEX, 'head->index');
    yield this.st(page_tail, INDEX, index + tail, 'page_tail->index = head->index + tail');
    yield this.st(page_tail, PRIVATE, 0, 'page_tail->private = 0');
    // Page flags must be visible before we make the page non-compound.
    yield this.m.fence('wmb', 'smp_wmb');
    yield* this.clear_compound_head(page_tail);
    // Finally unfreeze refcount. Additional reference from page cache: none for anon.
    yield* this.page_ref_unfreeze(page_tail, 1);
  },

  /** free_page_and_swap_cache() (mm/swap_state.c, v6.2): free_swap_cache (not modelled), then put_page. */
  *free_page_and_swap_cache(this: Kernel, page: number): KGen<void> {
    yield* this.put_page(page);
  },
};

function queueWords(k: Kernel): DeferredSplitQueue {
  const w = k.symbols.get(QUEUE).words;
  return { lock: w.lock!, split_queue: globalAddr(w.split_queue!), split_queue_len: w.split_queue_len! };
}

declare module './context.js' {
  interface KernelFunctions extends MethodsOf<typeof hugeMemory> {}
}
