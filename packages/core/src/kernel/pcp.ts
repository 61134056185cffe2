import type { Kernel, KGen, MethodsOf } from './context.js';
import { perRun } from './per-run.js';
import { RMW_ADD } from '../engine/op.js';
import { DATA, INDEX } from '../machine/layout.js';
import { globalAddr } from '../machine/addresses.js';
import { lruAddr } from './page-alloc.js';
import { safeString } from '../engine/safe-string.js';

/** MIGRATE_MOVABLE (include/linux/mmzone.h): the one migratetype the model has. */
export const MIGRATE_MOVABLE = 1;

/** How the per-cpu page lists are configured. @remarks Since 0.1.0 */
export interface PcpConfig {
  /** pcp->high; default from zone_batchsize() of the zone, as v5.10 sets it (6 * batch). */
  readonly high?: number;
  /** pcp->batch; default from zone_batchsize() (at least 1). */
  readonly batch?: number;
}

/** One CPU's `struct per_cpu_pages` for the zone, as global words. @remarks Since 0.1.0 */
export interface PerCpuPages {
  readonly cpu: number;
  /** The word local_irq_save() takes on this CPU: threads on the CPU exclude each other through it. */
  readonly irq: number;
  readonly count: number;
  readonly high: number;
  readonly batch: number;
  /** Location of pcp->lists[MIGRATE_MOVABLE] (next at loc, prev at loc + 1). */
  readonly list: number;
  /** The list head's address. */
  readonly listAddr: number;
}

/** The kernel's per-cpu state: whether order-0 pages go through pcp lists, and each CPU's lists. @remarks Since 0.1.0 */
export interface PerCpuState {
  readonly enabled: boolean;
  readonly cpus: readonly PerCpuPages[];
  /** CPU of each thread by name, where the config placed it. */
  readonly threadCpus: Readonly<Record<string, number>>;
}

/** Words each CPU's per_cpu_pages takes. */
const PCP_WORDS = 6;

/**
 * zone_batchsize() (mm/page_alloc.c, v5.10, CONFIG_MMU) for a zone of `managed` pages of 4 KiB.
 * @example
 * ```ts
 * zone_batchsize(65536); // 15: pcp->batch of a zone of 65536 managed pages
 * ```
 * @remarks Since 0.1.0
 */
export function zone_batchsize(managed: number): number {
  let batch = Math.floor(managed / 1024);
  if (batch * 4096 > 1024 * 1024) batch = (1024 * 1024) / 4096;
  batch = Math.floor(batch / 4);
  if (batch < 1) batch = 1;
  // rounddown_pow_of_two(batch + batch/2) - 1
  return 2 ** Math.floor(Math.log2(batch + Math.floor(batch / 2))) - 1;
}

/** The number of global words the per-cpu lists of `cpus` CPUs need. @internal */
export function pcpWords(cpus: number): number {
  return cpus * PCP_WORDS;
}

/**
 * Allocates and initialises each CPU's per_cpu_pages: setup_pageset() →
 * pageset_set_batch(p, zone_batchsize(zone)) (mm/page_alloc.c, v5.10): high =
 * 6 * batch, batch = max(1, batch); the list empty. @internal
 */
export function setupPcp(k: Kernel, config: { pcp?: boolean | PcpConfig; cpus?: number; threadCpus?: Readonly<Record<string, number>> }): PerCpuState {
  const enabled = config.pcp !== false;
  const nr = config.cpus ?? 4;
  if (!Number.isInteger(nr) || nr < 1 || nr > 64) throw new RangeError(`kernel.cpus must be an integer in 1..64 (the number of CPUs), got ${safeString(config.cpus)}`);
  const threadCpus = config.threadCpus ?? {};
  for (const [name, cpu] of Object.entries(threadCpus)) {
    if (!Number.isInteger(cpu) || cpu < 0 || cpu >= nr) throw new RangeError(`kernel.threadCpus.${name} is ${safeString(cpu)}; CPUs are 0..${nr - 1} (raise kernel.cpus for more)`);
  }
  if (!enabled) return { enabled, cpus: [], threadCpus };
  const tuning = typeof config.pcp === 'object' ? config.pcp : {};
  const b = zone_batchsize(k.m.nrPages);
  const high = tuning.high ?? 6 * b;
  const batch = tuning.batch ?? Math.max(1, b);
  if (!Number.isInteger(high) || high < 0) throw new RangeError(`kernel.pcp.high must be a non-negative integer (pcp->high), got ${safeString(tuning.high)}`);
  if (!Number.isInteger(batch) || batch < 1) throw new RangeError(`kernel.pcp.batch must be a positive integer (pcp->batch), got ${safeString(tuning.batch)}`);
  const cpus: PerCpuPages[] = [];
  for (let cpu = 0; cpu < nr; cpu++) {
    const irq = k.m.allocGlobal(`cpu${cpu}: irqs off`);
    const count = k.m.allocGlobal(`cpu${cpu}: pcp->count`);
    const highW = k.m.allocGlobal(`cpu${cpu}: pcp->high`);
    const batchW = k.m.allocGlobal(`cpu${cpu}: pcp->batch`);
    const list = k.m.allocGlobal(`cpu${cpu}: pcp->lists[MIGRATE_MOVABLE]`, 2);
    const listAddr = globalAddr(list);
    k.m.words[highW] = high;
    k.m.words[batchW] = batch;
    k.m.words[list] = listAddr;
    k.m.words[list + 1] = listAddr;
    k.lockNames.set(irq, `cpu${cpu} irqs`);
    cpus.push({ cpu, irq, count, high: highW, batch: batchW, list, listAddr });
  }
  return { enabled, cpus, threadCpus };
}

/** Per run: each thread's local_irq_save() nesting (index tid + 1). */
const irqDepth = perRun((): number[] => []);

/**
 * Per-cpu page lists (mm/page_alloc.c, v5.10 .. v5.12): order-0 frees go on the
 * freeing CPU's list and back to the buddy `batch` at a time once `count >= high`;
 * order-0 allocations come from the list, refilled `batch` at a time. One
 * migratetype (MIGRATE_MOVABLE), so one list per CPU; CONFIG_DEBUG_VM's checks.
 */
export const pcp = {
  /** smp_processor_id(): the CPU the running thread is on (kernel.threadCpus, else thread i on CPU i; setup and teardown on CPU 0). */
  smp_processor_id(this: Kernel): number {
    const t = this.exec.current;
    if (t < 0) return 0;
    const name = this.threadName();
    const placed = this.percpu.threadCpus[name];
    if (placed !== undefined) return placed;
    const nr = this.percpu.cpus.length;
    if (this.exec.threads[t]?.daemon === true) return t % nr;
    if (t >= nr) {
      throw new RangeError(`thread ${name} is thread #${t} but the kernel has ${nr} CPU(s): raise kernel.cpus, or place it with kernel.threadCpus: { ${name}: <cpu> }`);
    }
    return t;
  },

  /** this_cpu_ptr(zone->pageset)->pcp: the per-cpu lists of the running thread's CPU. */
  this_cpu_pcp(this: Kernel): PerCpuPages {
    return this.percpu.cpus[this.smp_processor_id()]!;
  },

  /**
   * local_irq_save() (include/linux/irqflags.h): nothing else runs on this CPU
   * until local_irq_restore(). The model takes the CPU's irq word as a lock, so
   * the scheduler does not run another thread of the same CPU inside; it nests.
   */
  *local_irq_save(this: Kernel): KGen<void> {
    const d = irqDepth(this);
    const t = this.exec.current + 1;
    const cpu = this.smp_processor_id();
    if ((d[t] ?? 0) === 0) yield this.m.glock(this.percpu.cpus[cpu]!.irq, `local_irq_save (cpu${cpu})`);
    d[t] = (d[t] ?? 0) + 1;
  },

  /** local_irq_restore() (include/linux/irqflags.h). */
  *local_irq_restore(this: Kernel): KGen<void> {
    const d = irqDepth(this);
    const t = this.exec.current + 1;
    const cpu = this.smp_processor_id();
    if ((d[t] ?? 0) === 0) this.bug('lock-violation', `local_irq_restore() in ${this.threadName()} without local_irq_save()`, -1);
    d[t] = d[t]! - 1;
    if (d[t] === 0) yield this.m.gunlock(this.percpu.cpus[cpu]!.irq, `local_irq_restore (cpu${cpu})`);
  },

  /** free_unref_page() (mm/page_alloc.c, v5.10): prepare, then commit to this CPU's list with irqs off. */
  *free_unref_page(this: Kernel, page: number): KGen<void> {
    if (!this.percpu.enabled) {
      // Kernels configured without per-cpu lists (kernel.pcp: false): straight to the buddy.
      yield* this.__free_pages_ok(page, 0);
      return;
    }
    // The shadow's double-free check, as in __free_pages_ok: a read of the page's data word.
    yield this.m.ld(this.validPage(page, 'free_unref_page'), DATA, 'free_unref_page');
    this.shadowFree(page, 0);
    this.enterAllocator();
    const pfn = page;
    if (yield* this.free_unref_page_prepare(page, pfn)) {
      yield* this.local_irq_save();
      yield* this.free_unref_page_commit(page, pfn);
      yield* this.local_irq_restore();
    }
    this.leaveAllocator();
  },

  /**
   * free_unref_page_list() (mm/page_alloc.c, v5.10): prepare every page, then
   * commit them with irqs off (reclaim's shrink_page_list frees this way).
   */
  *free_unref_page_list(this: Kernel, pages: readonly number[]): KGen<void> {
    if (!this.percpu.enabled) {
      for (const page of pages) yield* this.__free_pages_ok(page, 0);
      return;
    }
    const prepared: number[] = [];
    for (const page of pages) {
      yield this.m.ld(this.validPage(page, 'free_unref_page_list'), DATA, 'free_unref_page_list');
      this.shadowFree(page, 0);
      this.enterAllocator();
      if (yield* this.free_unref_page_prepare(page, page)) prepared.push(page);
      this.leaveAllocator();
    }
    if (prepared.length === 0) return;
    this.enterAllocator();
    yield* this.local_irq_save();
    for (const page of prepared) yield* this.free_unref_page_commit(page, page);
    yield* this.local_irq_restore();
    this.leaveAllocator();
  },

  /** free_unref_page_prepare() (mm/page_alloc.c, v5.10): free_pcp_prepare() (DEBUG_VM: free_pages_prepare(page, 0, true)); set_pcppage_migratetype(). */
  *free_unref_page_prepare(this: Kernel, page: number, _pfn: number): KGen<boolean> {
    if (!(yield* this.free_pages_prepare(page, 0, true))) return false;
    // migratetype = get_pfnblock_migratetype(page, pfn); set_pcppage_migratetype(page, migratetype): page->index = migratetype.
    yield this.st(page, INDEX, MIGRATE_MOVABLE, 'set_pcppage_migratetype');
    return true;
  },

  /** free_unref_page_commit() (mm/page_alloc.c, v5.10): list_add on pcp->lists[mt]; pcp->count++; at count >= high, free_pcppages_bulk(batch). */
  *free_unref_page_commit(this: Kernel, page: number, _pfn: number): KGen<void> {
    const pcp = this.this_cpu_pcp();
    yield* this.list_add(lruAddr(page), pcp.listAddr);
    const count: number = (yield this.m.grmw(pcp.count, RMW_ADD, 1, 0, 'pcp->count++')) + 1;
    const high: number = yield this.m.gld(pcp.high, 'pcp->high');
    if (count >= high) {
      const batch: number = yield this.m.gld(pcp.batch, 'READ_ONCE(pcp->batch)');
      yield* this.free_pcppages_bulk(batch, pcp);
    }
  },

  /**
   * free_pcppages_bulk() (mm/page_alloc.c, v5.10): take `count` pages off the
   * list's tail onto a local list, then __free_one_page() each under zone->lock.
   * One list, so the round-robin over migratetypes takes them all from it; the
   * local list is the thread's own (the stack's LIST_HEAD), not shared words.
   */
  *free_pcppages_bulk(this: Kernel, count: number, pcp: PerCpuPages): KGen<void> {
    const have: number = yield this.m.gld(pcp.count, 'pcp->count');
    count = Math.min(have, count);
    const head: number[] = [];
    while (count > 0) {
      // page = list_last_entry(list, struct page, lru)
      const last: number = yield this.m.gld(pcp.list + 1, 'list_last_entry(pcp->lists[mt])');
      if (last === pcp.listAddr) this.bug('buddy-corruption', `free_pcppages_bulk: cpu${pcp.cpu}'s pcp->count is ${have} but its list is empty`, -1);
      const page = this.lruEntry(last, 'free_pcppages_bulk');
      yield* this.list_del(lruAddr(page));
      yield this.m.grmw(pcp.count, RMW_ADD, -1, 0, 'pcp->count--');
      // bulkfree_pcp_prepare(): without debug_pagealloc, no check.
      head.push(page);
      count--;
    }
    yield this.m.glock(this.zone.lock, 'spin_lock(&zone->lock)');
    for (const page of head) yield* this.__free_one_page(page, page, 0);
    yield this.m.gunlock(this.zone.lock, 'spin_unlock(&zone->lock)');
  },

  /** rmqueue_pcplist() (mm/page_alloc.c, v5.10): __rmqueue_pcplist() on this CPU's list with irqs off. */
  *rmqueue_pcplist(this: Kernel): KGen<number | null> {
    yield* this.local_irq_save();
    const pcp = this.this_cpu_pcp();
    const page = yield* this.__rmqueue_pcplist(pcp);
    yield* this.local_irq_restore();
    return page;
  },

  /** __rmqueue_pcplist() (mm/page_alloc.c, v5.10): refill an empty list with rmqueue_bulk(batch); take the first page until check_new_pcp() passes. */
  *__rmqueue_pcplist(this: Kernel, pcp: PerCpuPages): KGen<number | null> {
    let page: number;
    do {
      const first: number = yield this.m.gld(pcp.list, 'list_empty(pcp->lists[mt])');
      if (first === pcp.listAddr) {
        const batch: number = yield this.m.gld(pcp.batch, 'pcp->batch');
        const alloced = yield* this.rmqueue_bulk(0, batch, pcp);
        yield this.m.grmw(pcp.count, RMW_ADD, alloced, 0, 'pcp->count += rmqueue_bulk()');
        const again: number = yield this.m.gld(pcp.list, 'list_empty(pcp->lists[mt])');
        if (again === pcp.listAddr) return null;
      }
      // page = list_first_entry(list, struct page, lru)
      const entry: number = yield this.m.gld(pcp.list, 'list_first_entry(pcp->lists[mt])');
      page = this.lruEntry(entry, '__rmqueue_pcplist');
      yield* this.list_del(lruAddr(page));
      yield this.m.grmw(pcp.count, RMW_ADD, -1, 0, 'pcp->count--');
    } while (yield* this.check_new_pcp(page));
    return page;
  },

  /** check_new_pcp() (mm/page_alloc.c, v5.10, CONFIG_DEBUG_VM): check_new_page(). */
  *check_new_pcp(this: Kernel, page: number): KGen<boolean> {
    return yield* this.check_new_page(page);
  },

  /**
   * rmqueue_bulk() (mm/page_alloc.c, v5.10): under zone->lock, take `count`
   * blocks of `order` from the buddy onto the pcp list's tail; NR_FREE_PAGES
   * drops by every block taken (check_pcp_refill() checks nothing without debug_pagealloc).
   */
  *rmqueue_bulk(this: Kernel, order: number, count: number, pcp: PerCpuPages): KGen<number> {
    let alloced = 0;
    let i: number;
    yield this.m.glock(this.zone.lock, 'spin_lock(&zone->lock)');
    for (i = 0; i < count; ++i) {
      // __rmqueue(zone, order, migratetype, alloc_flags): one migratetype, no fallback.
      const page = yield* this.__rmqueue_smallest(order);
      if (page === null) break;
      yield* this.list_add_tail(lruAddr(page), pcp.listAddr);
      alloced++;
    }
    yield this.m.grmw(this.zone.nrFreePages, RMW_ADD, -(i << order), 0, 'NR_FREE_PAGES');
    yield this.m.gunlock(this.zone.lock, 'spin_unlock(&zone->lock)');
    return alloced;
  },
};

declare module './context.js' {
  interface KernelFunctions extends MethodsOf<typeof pcp> {}
  interface KernelContext {
    /** The per-cpu page lists and the CPU of each thread (pcp.ts). */
    readonly percpu: PerCpuState;
  }
}
