import type { Kernel, KGen, MethodsOf } from './context.js';
import { RMW_ADD, RMW_ADD_UNLESS, type OpDeps } from '../engine/op.js';
import { LRU_PREV, REFCOUNT } from '../machine/layout.js';
import { TRANSHUGE_PAGE_DTOR } from './huge-memory.js';

const showInt = (v: number): string => String(v);
const showTrue = (v: number): string => String(v !== 0);
const PUT_TESTZERO = (old: number): string => `put_page_testzero (${old} -> ${old - 1})`;
const GET_PAGE = (old: number): string => `get_page (${old} -> ${old + 1})`;

/** Page reference counts (include/linux/page_ref.h and include/linux/mm.h, v5.12). */
export const pageRef = {
  /** page_ref_count(): atomic_read(&page->_refcount). */
  *page_ref_count(this: Kernel, page: number): KGen<number> {
    return yield this.ld(page, REFCOUNT, 'page_ref_count', showInt);
  },

  /** page_count(): the head's refcount (include/linux/mm.h). */
  *page_count(this: Kernel, page: number): KGen<number> {
    const head = yield* this.compound_head(page);
    return yield this.ld(head, REFCOUNT, 'page_count', showInt);
  },

  /** set_page_count(): atomic_set(&page->_refcount, v). */
  *set_page_count(this: Kernel, page: number, v: number): KGen<void> {
    yield this.st32(page, REFCOUNT, v, `set_page_count(${v})`);
  },

  /** init_page_count(): set_page_count(page, 1). */
  *init_page_count(this: Kernel, page: number): KGen<void> {
    yield* this.set_page_count(page, 1);
  },

  /** page_ref_inc(): atomic_inc(&page->_refcount). */
  *page_ref_inc(this: Kernel, page: number): KGen<void> {
    this.checkLive(page, 'page_ref_inc');
    yield this.rmw(page, REFCOUNT, RMW_ADD, 1, 0, 'page_ref_inc');
  },

  /** page_ref_dec_and_test(): atomic_dec_and_test(&page->_refcount). */
  *page_ref_dec_and_test(this: Kernel, page: number): KGen<boolean> {
    const old: number = yield this.rmw(page, REFCOUNT, RMW_ADD, -1, 0, 'page_ref_dec_and_test', (v) => String(v - 1 === 0));
    if (old <= 0) this.bug('refcount-underflow', `page_ref_dec_and_test: _refcount was ${old} (VM_BUG_ON_PAGE(page_ref_count(page) == 0))`, page);
    return old === 1;
  },

  /** page_ref_add_unless(): atomic_add_unless(&page->_refcount, nr, u). */
  *page_ref_add_unless(this: Kernel, page: number, nr: number, u: number): KGen<boolean> {
    const old: number = yield this.rmw(page, REFCOUNT, RMW_ADD_UNLESS, nr, u, 'page_ref_add_unless', (v) => String(v !== u));
    return old !== u;
  },

  /** get_page_unless_zero(): page_ref_add_unless(page, 1, 0) (include/linux/mm.h, v5.12). */
  *get_page_unless_zero(this: Kernel, page: number, deps: OpDeps | undefined = undefined): KGen<boolean> {
    const o = this.rmw(page, REFCOUNT, RMW_ADD_UNLESS, 1, 0, 'get_page_unless_zero', (v) => String(v !== 0));
    // `deps` (weak memory model only): the page pointer came from those reads (an rcu_dereference()).
    const old: number = yield deps === undefined ? o : { ...o, deps };
    const ok = old !== 0;
    if (ok) this.note(page, 'get_page_unless_zero');
    return ok;
  },

  /** put_page_testzero(): VM_BUG_ON_PAGE(page_ref_count(page) == 0); page_ref_dec_and_test() (include/linux/mm.h, v5.12). */
  *put_page_testzero(this: Kernel, page: number): KGen<boolean> {
    const old: number = yield this.rmw(page, REFCOUNT, RMW_ADD, -1, 0, 'put_page_testzero', (v) => String(v - 1 === 0));
    this.noteFormat(page, PUT_TESTZERO, old, 0);
    if (old <= 0) this.bug('refcount-underflow', `put_page_testzero: _refcount was ${old} (VM_BUG_ON_PAGE(page_ref_count(page) == 0))`, page);
    return old === 1;
  },

  /** get_page(): page = compound_head(page); page_ref_inc(page) (include/linux/mm.h, v5.12). */
  *get_page(this: Kernel, page: number): KGen<void> {
    const head = yield* this.compound_head(page);
    this.checkLive(head, 'get_page');
    const old: number = yield this.rmw(head, REFCOUNT, RMW_ADD, 1, 0, 'get_page');
    this.noteFormat(head, GET_PAGE, old, 0);
    if (old <= 0) this.bug('refcount-underflow', `get_page on a page with _refcount ${old} (VM_BUG_ON_PAGE(page_ref_zero_or_close_to_overflow(page)))`, head);
  },

  /** put_page(): page = compound_head(page); if (put_page_testzero(page)) __put_page(page) (include/linux/mm.h, v5.12). */
  *put_page(this: Kernel, page: number): KGen<void> {
    const head = yield* this.compound_head(page);
    this.checkLive(head, 'put_page');
    if (yield* this.put_page_testzero(head)) yield* this.__put_page(head);
  },

  /** __put_page() (mm/swap.c, v5.12). */
  *__put_page(this: Kernel, page: number): KGen<void> {
    if (yield* this.PageCompound(page)) yield* this.__put_compound_page(page);
    else yield* this.__put_single_page(page);
  },

  /** __put_single_page() (mm/swap.c, v5.12): __page_cache_release; mem_cgroup_uncharge; free_unref_page. */
  *__put_single_page(this: Kernel, page: number): KGen<void> {
    yield* this.__page_cache_release(page);
    yield* this.mem_cgroup_uncharge(page);
    yield* this.free_unref_page(page);
  },

  /** __put_compound_page() (mm/swap.c, v5.12): __page_cache_release; destroy_compound_page. */
  *__put_compound_page(this: Kernel, page: number): KGen<void> {
    yield* this.__page_cache_release(page);
    yield* this.destroy_compound_page(page);
  },

  /** __page_cache_release() (mm/swap.c, v5.12): takes the page off the LRU if it is on one. */
  *__page_cache_release(this: Kernel, page: number): KGen<void> {
    if (yield* this.PageLRU(page)) yield* this.__ClearPageLRU(page);
  },

  /**
   * destroy_compound_page() (mm/page_alloc.c, v5.12; destroy_large_folio() in v6.2):
   * compound_page_dtors[page[1].compound_dtor](page).
   */
  *destroy_compound_page(this: Kernel, page: number): KGen<void> {
    const v: number = yield this.ld(page + 1, LRU_PREV, 'page[1].compound_dtor', (x) => String(x & 0xff));
    if ((v & 0xff) === TRANSHUGE_PAGE_DTOR) yield* this.free_transhuge_page(page);
    else yield* this.free_compound_page(page);
  },

  /** free_compound_page() (mm/page_alloc.c, v5.12): mem_cgroup_uncharge; __free_pages_ok(page, compound_order(page)). */
  *free_compound_page(this: Kernel, page: number): KGen<void> {
    yield* this.mem_cgroup_uncharge(page);
    const order = yield* this.compound_order(page);
    yield* this.__free_pages_ok(page, order);
  },
};
export { showInt, showTrue };

declare module './context.js' {
  interface KernelFunctions extends MethodsOf<typeof pageRef> {}
}
