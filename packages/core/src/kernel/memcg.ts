import type { Kernel, KGen, MemCgroup, MethodsOf } from './context.js';
import { RMW_ADD } from '../engine/op.js';
import { MEMCG_DATA } from '../machine/layout.js';
import { MEMCG_DATA_FLAGS_MASK, MEMCG_DATA_KMEM, MEMCG_DATA_OBJCGS } from './page-flags.js';

export type { MemCgroup } from './context.js';

/** memcg charging of kernel pages (mm/memcontrol.c, v5.12; mm/page_counter.c). */
export const memcg = {
  /** page_memcg() (include/linux/memcontrol.h, v5.12): memcg_data without its flag bits. */
  *page_memcg(this: Kernel, page: number): KGen<number> {
    const memcg_data: number = yield this.ld(page, MEMCG_DATA, 'page_memcg', (v) => (v === 0 ? 'NULL' : this.symbolName(v & ~MEMCG_DATA_FLAGS_MASK)));
    if ((memcg_data & MEMCG_DATA_OBJCGS) !== 0) this.bug('wild-deref', 'page_memcg: VM_BUG_ON_PAGE(memcg_data & MEMCG_DATA_OBJCGS)', page);
    return memcg_data & ~MEMCG_DATA_FLAGS_MASK;
  },

  /** PageMemcgKmem() (include/linux/memcontrol.h, v5.12). */
  *PageMemcgKmem(this: Kernel, page: number): KGen<boolean> {
    const memcg_data: number = yield this.ld(page, MEMCG_DATA, 'PageMemcgKmem', (v) => String((v & MEMCG_DATA_KMEM) !== 0));
    return (memcg_data & MEMCG_DATA_KMEM) !== 0;
  },

  /** __memcg_kmem_charge_page() (mm/memcontrol.c, v5.12): charge 1 << order pages, set memcg_data. */
  *__memcg_kmem_charge_page(this: Kernel, page: number, _gfp: number, order: number): KGen<number> {
    const mc = this.currentMemcg();
    if (mc === undefined) return 0;
    // get_mem_cgroup_from_current(): css_tryget
    yield this.m.grmw(mc.css, RMW_ADD, 1, 0, 'css_get');
    const nr = 1 << order;
    if (yield* this.page_counter_try_charge(mc, nr)) {
      yield this.st(page, MEMCG_DATA, mc.addr | MEMCG_DATA_KMEM, 'page->memcg_data = memcg | MEMCG_DATA_KMEM');
      this.shadowCharge(page, mc.name, nr);
      return 0;
    }
    yield this.m.grmw(mc.css, RMW_ADD, -1, 0, 'css_put');
    return -12; // -ENOMEM
  },

  /** __memcg_kmem_uncharge_page() (mm/memcontrol.c, v5.12): uncharge 1 << order pages, clear memcg_data. */
  *__memcg_kmem_uncharge_page(this: Kernel, page: number, order: number): KGen<void> {
    const addr = yield* this.page_memcg(page);
    if (addr === 0) return;
    const mc = this.memcgAt(addr, page, '__memcg_kmem_uncharge_page');
    yield* this.page_counter_uncharge(mc, 1 << order);
    yield this.st(page, MEMCG_DATA, 0, 'page->memcg_data = 0');
    yield this.m.grmw(mc.css, RMW_ADD, -1, 0, 'css_put');
  },

  /** split_page_memcg() (mm/memcontrol.c, v5.12): copy the head's memcg_data to every page. */
  *split_page_memcg(this: Kernel, head: number, nr: number): KGen<void> {
    if (!this.memcgEnabled) return;
    const addr = yield* this.page_memcg(head);
    if (addr === 0) return;
    const memcg_data: number = yield this.ld(head, MEMCG_DATA, 'head->memcg_data');
    for (let i = 1; i < nr; i++) yield this.st(head + i, MEMCG_DATA, memcg_data, 'head[i].memcg_data = head->memcg_data');
    const mc = this.memcgAt(addr, head, 'split_page_memcg');
    // css_get_many(&memcg->css, nr - 1)
    yield this.m.grmw(mc.css, RMW_ADD, nr - 1, 0, 'css_get_many');
  },

  /** mem_cgroup_uncharge() → uncharge_page() → uncharge_batch() (mm/memcontrol.c, v5.12). */
  *mem_cgroup_uncharge(this: Kernel, page: number): KGen<void> {
    if (!this.memcgEnabled) return;
    // Don't touch page->lru of any random page, pre-check:
    if ((yield* this.page_memcg(page)) === 0) return;
    // uncharge_page(page, &ug)
    const addr = yield* this.page_memcg(page);
    if (addr === 0) return;
    const mc = this.memcgAt(addr, page, 'mem_cgroup_uncharge');
    const nr_pages = yield* this.compound_nr(page);
    yield this.st(page, MEMCG_DATA, 0, 'page->memcg_data = 0');
    // uncharge_batch(&ug)
    yield* this.page_counter_uncharge(mc, nr_pages);
    yield this.m.grmw(mc.css, RMW_ADD, -1, 0, 'css_put');
  },

  /** page_counter_try_charge() (mm/page_counter.c, v5.12): add, and back out over the limit. */
  *page_counter_try_charge(this: Kernel, mc: MemCgroup, nr_pages: number): KGen<boolean> {
    const old: number = yield this.m.grmw(mc.usage, RMW_ADD, nr_pages, 0, 'page_counter_try_charge');
    const max: number = yield this.m.gld(mc.max, 'page_counter max');
    if (old + nr_pages > max) {
      // page_counter_cancel(c, nr_pages)
      yield this.m.grmw(mc.usage, RMW_ADD, -nr_pages, 0, 'page_counter_cancel');
      return false;
    }
    return true;
  },

  /** page_counter_uncharge() → page_counter_cancel() (mm/page_counter.c, v5.12). */
  *page_counter_uncharge(this: Kernel, mc: MemCgroup, nr_pages: number): KGen<void> {
    const old: number = yield this.m.grmw(mc.usage, RMW_ADD, -nr_pages, 0, 'page_counter_uncharge');
    if (old - nr_pages < 0) {
      this.warn('memcg-underflow', `page_counter underflow: ${old - nr_pages} nr_pages=${nr_pages} (WARN_ONCE in page_counter_cancel) in ${mc.name}`, -1);
    }
    this.shadowUncharge(mc.name, nr_pages);
  },
};

declare module './context.js' {
  interface KernelFunctions extends MethodsOf<typeof memcg> {}
}
