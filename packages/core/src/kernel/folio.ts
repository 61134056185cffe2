import type { Kernel, KGen, MethodsOf } from './context.js';
import { RMW_ADD, RMW_ADD_UNLESS } from '../engine/op.js';
import { LRU_PREV, REFCOUNT } from '../machine/layout.js';
import { pfnToAddr } from '../machine/addresses.js';
import { PG_head, PG_slab } from './page-flags.js';

// The texts of the page history's reference events.
const FOLIO_GET = (old: number): string => `folio_get (${old} -> ${old + 1})`;
const FOLIO_TRY_GET = (old: number): string => `folio_try_get (${old} -> ${old + 1})`;

/**
 * struct folio as a view over struct pages (include/linux/mm.h and
 * include/linux/mm_types.h, v6.2). A folio is the pfn of its head page;
 * page[1] holds `_folio_order`, page[2] the `_deferred_list`.
 */
export const folio = {
  /** page_folio(): the folio a page belongs to (via compound_head). */
  *page_folio(this: Kernel, page: number): KGen<number> {
    return yield* this.compound_head(page);
  },
  /** folio_test_large() (include/linux/page-flags.h, v6.2): folio_test_head(). */
  *folio_test_large(this: Kernel, f: number): KGen<boolean> {
    return yield* this.test_page_bit(f, PG_head, 'folio_test_large');
  },
  /** folio_order() (include/linux/mm.h, v6.2). */
  *folio_order(this: Kernel, f: number): KGen<number> {
    if (!(yield* this.folio_test_large(f))) return 0;
    const v: number = yield this.ld(f + 1, LRU_PREV, 'folio_order', (x) => String((x >>> 8) & 0xff));
    return (v >>> 8) & 0xff;
  },
  /** folio_nr_pages() (include/linux/mm.h, v6.2). */
  *folio_nr_pages(this: Kernel, f: number): KGen<number> {
    return 1 << (yield* this.folio_order(f));
  },
  /** folio_ref_count(). */
  *folio_ref_count(this: Kernel, f: number): KGen<number> {
    return yield this.ld(f, REFCOUNT, 'folio_ref_count', String);
  },
  /** folio_get() (include/linux/mm.h, v6.2): folio_ref_inc(). */
  *folio_get(this: Kernel, f: number): KGen<void> {
    this.checkLive(f, 'folio_get');
    const old: number = yield this.rmw(f, REFCOUNT, RMW_ADD, 1, 0, 'folio_get');
    this.noteFormat(f, FOLIO_GET, old, 0);
    if (old <= 0) this.bug('refcount-underflow', `folio_get on a folio with _refcount ${old} (VM_BUG_ON_FOLIO(folio_ref_zero_or_close_to_overflow(folio)))`, f);
  },
  /** folio_try_get() (include/linux/page_ref.h, v6.2): folio_ref_add_unless(folio, 1, 0). */
  *folio_try_get(this: Kernel, f: number): KGen<boolean> {
    const old: number = yield this.rmw(f, REFCOUNT, RMW_ADD_UNLESS, 1, 0, 'folio_try_get', (v) => String(v !== 0));
    if (old !== 0) this.noteFormat(f, FOLIO_TRY_GET, old, 0);
    return old !== 0;
  },
  /** folio_put_testzero(). */
  *folio_put_testzero(this: Kernel, f: number): KGen<boolean> {
    return yield* this.put_page_testzero(f);
  },
  /** folio_put() (include/linux/mm.h, v6.2): if (folio_put_testzero(folio)) __folio_put(folio). */
  *folio_put(this: Kernel, f: number): KGen<void> {
    this.checkLive(f, 'folio_put');
    if (yield* this.folio_put_testzero(f)) yield* this.__folio_put(f);
  },
  /** __folio_put() (mm/swap.c, v6.2): large folios through destroy_large_folio, small through free_unref_page. */
  *__folio_put(this: Kernel, f: number): KGen<void> {
    if (yield* this.folio_test_large(f)) yield* this.__put_compound_page(f);
    else yield* this.__put_single_page(f);
  },
  /** folio_test_slab() (include/linux/page-flags.h, v6.2). */
  *folio_test_slab(this: Kernel, f: number): KGen<boolean> {
    return yield* this.test_page_bit(f, PG_slab, 'folio_test_slab');
  },
  /** __folio_set_slab(): non-atomic. */
  *__folio_set_slab(this: Kernel, f: number): KGen<void> {
    yield* this.__set_page_bit(f, PG_slab, '__folio_set_slab');
  },
  /** __folio_clear_slab(): non-atomic. */
  *__folio_clear_slab(this: Kernel, f: number): KGen<void> {
    yield* this.__clear_page_bit(f, PG_slab, '__folio_clear_slab');
  },
  /**
   * &folio->_deferred_list: words 2 and 3 of page[2], after _flags_2a and _head_2a
   * (struct folio, include/linux/mm_types.h, v6.3; v6.2 had no folio field, and
   * page_deferred_list() was page[2].deferred_list, words 3 and 4).
   * Writing through it on a folio of fewer than three pages writes another page's
   * struct page: reported as struct-page-corruption.
   */
  folio_deferred_list(this: Kernel, f: number, fn: string): number {
    this.checkFolioPage(f, 2, `${fn}: folio->_deferred_list`);
    return pfnToAddr(f + 2) + 16;
  },
};

declare module './context.js' {
  interface KernelFunctions extends MethodsOf<typeof folio> {}
}
