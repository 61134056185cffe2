import type { Kernel, KGen, MemCgroup, MethodsOf } from './context.js';
import { RMW_ADD } from '../engine/op.js';
import { MEMCG_DATA } from '../machine/layout.js';
import { MEMCG_DATA_FLAGS_MASK, MEMCG_DATA_KMEM, MEMCG_DATA_OBJCGS } from './page-flags.js';
import { checkCssPut, checkPageCounterCancel } from '../checkers/css-refs.js';

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

  /**
   * __memcg_kmem_charge_page() (mm/memcontrol.c, v5.12): charge 1 << order pages; the css
   * reference from get_mem_cgroup_from_current() stays with page->memcg_data.
   */
  *__memcg_kmem_charge_page(this: Kernel, page: number, _gfp: number, order: number): KGen<number> {
    // memcg = get_mem_cgroup_from_current(): css_tryget(&memcg->css) on an online cgroup
    const mc = this.currentMemcg();
    if (mc === undefined) return 0;
    yield* this.css_get(mc.addr);
    // ret = __memcg_kmem_charge(memcg, gfp, 1 << order) → try_charge() → page_counter_try_charge(&memcg->memory)
    const nr = 1 << order;
    if (yield* this.page_counter_try_charge(mc, nr)) {
      yield this.st(page, MEMCG_DATA, mc.addr | MEMCG_DATA_KMEM, 'page->memcg_data = memcg | MEMCG_DATA_KMEM');
      this.shadowCharge(page, mc.name, nr);
      return 0;
    }
    yield* this.css_put(mc.addr);
    return -12; // -ENOMEM
  },

  /** __memcg_kmem_uncharge_page() (mm/memcontrol.c, v5.12): uncharge, clear memcg_data, css_put the page's reference. */
  *__memcg_kmem_uncharge_page(this: Kernel, page: number, order: number): KGen<void> {
    const addr = yield* this.page_memcg(page);
    if (addr === 0) return;
    const mc = this.memcgAt(addr, page, '__memcg_kmem_uncharge_page');
    // __memcg_kmem_uncharge(memcg, nr_pages): the charge goes back to memcg->memory (refill_stock's per-cpu cache not modelled)
    yield* this.page_counter_uncharge(mc, 1 << order);
    yield this.st(page, MEMCG_DATA, 0, 'page->memcg_data = 0');
    yield* this.css_put(addr);
  },

  /** split_page_memcg() (mm/memcontrol.c, v5.12): copy the head's memcg_data to pages 1..nr-1, css_get_many(nr - 1). */
  *split_page_memcg(this: Kernel, head: number, nr: number): KGen<void> {
    if (!this.memcgEnabled) return;
    const addr = yield* this.page_memcg(head);
    if (addr === 0) return;
    const memcg_data: number = yield this.ld(head, MEMCG_DATA, 'head->memcg_data');
    for (let i = 1; i < nr; i++) yield this.st(head + i, MEMCG_DATA, memcg_data, 'head[i].memcg_data = head->memcg_data');
    yield* this.css_get_many(addr, nr - 1);
  },

  /**
   * mem_cgroup_uncharge() → uncharge_page() → uncharge_batch() (mm/memcontrol.c, v5.12):
   * the gather takes its own css reference, the page's is dropped with memcg_data,
   * and the batch drops the gather's after the page_counter.
   */
  *mem_cgroup_uncharge(this: Kernel, page: number): KGen<void> {
    if (!this.memcgEnabled) return;
    // Don't touch page->lru of any random page, pre-check:
    if ((yield* this.page_memcg(page)) === 0) return;
    // uncharge_page(page, &ug): if (!page_memcg(page)) return;
    const addr = yield* this.page_memcg(page);
    if (addr === 0) return;
    const mc = this.memcgAt(addr, page, 'mem_cgroup_uncharge');
    // ug->memcg = page_memcg(page); /* pairs with css_put in uncharge_batch */ css_get(&ug->memcg->css);
    yield* this.css_get(addr);
    const nr_pages = yield* this.compound_nr(page);
    yield this.st(page, MEMCG_DATA, 0, 'page->memcg_data = 0');
    yield* this.css_put(addr);
    // uncharge_batch(&ug): page_counter_uncharge(&memcg->memory, nr_pages); ...; css_put(&ug->memcg->css)
    yield* this.page_counter_uncharge(mc, nr_pages);
    yield* this.css_put(addr);
  },

  /** css_get() (include/linux/cgroup.h, v5.12): percpu_ref_get(&css->refcnt), one atomic step. */
  *css_get(this: Kernel, memcg: number): KGen<void> {
    yield* this.css_get_many(memcg, 1);
  },

  /** css_get_many() (include/linux/cgroup.h, v5.12): percpu_ref_get_many(&css->refcnt, n), one atomic step. */
  *css_get_many(this: Kernel, memcg: number, n: number): KGen<void> {
    const mc = this.memcgAt(memcg, -1, 'css_get_many');
    yield this.m.grmw(mc.css, RMW_ADD, n, 0, n === 1 ? 'css_get' : `css_get_many(${n})`);
  },

  /**
   * css_put() (include/linux/cgroup.h, v5.12): percpu_ref_put(&css->refcnt), one atomic step.
   * The cgroup is online, so its base reference keeps the count at 1 or more: a put that
   * takes it lower drops a reference nobody took (checkers/css-refs.ts reports it at this step).
   */
  *css_put(this: Kernel, memcg: number): KGen<void> {
    const mc = this.memcgAt(memcg, -1, 'css_put');
    const old: number = yield this.m.grmw(mc.css, RMW_ADD, -1, 0, 'css_put', (v) => `${v} -> ${v - 1}`);
    checkCssPut(this, mc, old, 1);
  },

  /** page_counter_try_charge() (mm/page_counter.c, v5.12): add, and back out over the limit. */
  *page_counter_try_charge(this: Kernel, mc: MemCgroup, nr_pages: number): KGen<boolean> {
    const old: number = yield this.m.grmw(mc.usage, RMW_ADD, nr_pages, 0, 'page_counter_try_charge');
    const max: number = yield this.m.gld(mc.max, 'page_counter max');
    if (old + nr_pages > max) {
      // atomic_long_sub(nr_pages, &c->usage); c->failcnt++;
      yield this.m.grmw(mc.usage, RMW_ADD, -nr_pages, 0, 'atomic_long_sub(nr_pages, &c->usage)');
      return false;
    }
    return true;
  },

  /**
   * page_counter_uncharge() → page_counter_cancel() (mm/page_counter.c, v5.12):
   * new = atomic_long_sub_return(nr_pages, &counter->usage); WARN_ON_ONCE(new < 0).
   */
  *page_counter_uncharge(this: Kernel, mc: MemCgroup, nr_pages: number): KGen<void> {
    const old: number = yield this.m.grmw(mc.usage, RMW_ADD, -nr_pages, 0, 'page_counter_cancel', (v) => `${v} -> ${v - nr_pages}`);
    checkPageCounterCancel(this, mc, old, nr_pages);
    this.shadowUncharge(mc.name, nr_pages);
  },
};

declare module './context.js' {
  interface KernelFunctions extends MethodsOf<typeof memcg> {}
}
