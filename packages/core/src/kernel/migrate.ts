import type { Kernel, KGen, MethodsOf } from './context.js';
import { MAPPING } from '../machine/layout.js';
import { PAGE_MAPPING_FLAGS, PAGE_MAPPING_MOVABLE, PG_isolated } from './page-flags.js';

export type { IsolatePage } from './context.js';

/** Page migration of non-LRU movable pages (mm/migrate.c, mm/compaction.c, v6.2). */
export const migrate = {
  /** __PageMovable() (include/linux/page-flags.h, v6.2): (mapping & PAGE_MAPPING_FLAGS) == PAGE_MAPPING_MOVABLE. */
  *__PageMovable(this: Kernel, page: number): KGen<boolean> {
    const mapping: number = yield this.ld(page, MAPPING, '__PageMovable', (v) => String((v & PAGE_MAPPING_FLAGS) === PAGE_MAPPING_MOVABLE));
    return (mapping & PAGE_MAPPING_FLAGS) === PAGE_MAPPING_MOVABLE;
  },

  /** page_movable_ops() (include/linux/migrate.h, v6.2): mapping - PAGE_MAPPING_MOVABLE, as a movable_operations pointer. */
  *page_movable_ops(this: Kernel, page: number): KGen<number> {
    const mapping: number = yield this.ld(page, MAPPING, 'page_movable_ops', (v) => this.symbolName(v - PAGE_MAPPING_MOVABLE));
    return mapping - PAGE_MAPPING_MOVABLE;
  },

  /** PageMovable() (mm/compaction.c, v6.2): __PageMovable and a movable_operations table. */
  *PageMovable(this: Kernel, page: number): KGen<boolean> {
    if (!(yield* this.PageLocked(page))) this.bug('lock-violation', 'PageMovable: VM_BUG_ON_PAGE(!PageLocked(page))', page);
    if (!(yield* this.__PageMovable(page))) return false;
    const mops = yield* this.page_movable_ops(page);
    return mops !== 0;
  },

  *PageIsolated(this: Kernel, page: number): KGen<boolean> {
    return yield* this.test_page_bit(page, PG_isolated, 'PageIsolated');
  },

  /** Calls mops->isolate_page(): `mops` must point at a movable_operations table, else a wild dereference. */
  *call_isolate_page(this: Kernel, mops: number, page: number): KGen<boolean> {
    const impl = this.movableOps.get(mops);
    if (impl === undefined) {
      this.bug('wild-deref', `isolate_movable_page: mops->isolate_page() through 0x${(mops >>> 0).toString(16)} (${this.symbolName(mops + PAGE_MAPPING_MOVABLE)} - PAGE_MAPPING_MOVABLE), which is not a movable_operations`, page);
    }
    return yield* impl(this, page);
  },

  /**
   * isolate_movable_page() (mm/migrate.c, v6.2, with 8b8817630ae8): skip slab pages,
   * test the movable flag, test slab again, then trylock and isolate. Variants of
   * this function are the slub-isolate-movable scenario.
   */
  *isolate_movable_page(this: Kernel, page: number): KGen<boolean> {
    if (!(yield* this.get_page_unless_zero(page))) return false;
    out_putpage: {
      if (yield* this.PageSlab(page)) break out_putpage;
      // Pairs with smp_wmb() in slab freeing, e.g. SLUB's __free_slab()
      yield this.m.fence('rmb', 'smp_rmb');
      if (!(yield* this.__PageMovable(page))) break out_putpage;
      // Pairs with smp_wmb() in slab allocation, e.g. SLUB's alloc_slab_page()
      yield this.m.fence('rmb', 'smp_rmb');
      if (yield* this.PageSlab(page)) break out_putpage;
      return yield* this.isolate_locked_movable(page);
    }
    yield* this.put_page(page);
    return false;
  },

  /** The rest of isolate_movable_page() from trylock_page() on (mm/migrate.c, v6.2). */
  *isolate_locked_movable(this: Kernel, page: number): KGen<boolean> {
    if (!(yield* this.trylock_page(page))) {
      yield* this.put_page(page);
      return false;
    }
    out_no_isolated: {
      if (!(yield* this.PageMovable(page)) || (yield* this.PageIsolated(page))) break out_no_isolated;
      const mops = yield* this.page_movable_ops(page);
      if (!(yield* this.call_isolate_page(mops, page))) break out_no_isolated;
      yield* this.set_page_bit(page, PG_isolated, 'SetPageIsolated');
      yield* this.unlock_page(page);
      return true;
    }
    yield* this.unlock_page(page);
    yield* this.put_page(page);
    return false;
  },
};

declare module './context.js' {
  interface KernelFunctions extends MethodsOf<typeof migrate> {}
}
