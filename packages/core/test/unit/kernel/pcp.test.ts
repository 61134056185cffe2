import { describe, expect, it } from 'vitest';
import { checkFreeLists, createKernel, ViolationError, type Kernel, type KernelConfig, type KGen } from '../../../src/kernel/kernel.js';
import { explore } from '../../../src/explore.js';
import { runOnce } from '../../../src/run-once.js';
import { GFP_KERNEL } from '../../../src/kernel/gfp.js';
import { zone_batchsize } from '../../../src/kernel/pcp.js';
import { REFCOUNT } from '../../../src/machine/layout.js';
import { inOrder, recorded } from './step-order.js';



const alloc0 = (k: Kernel): number => {
  const p = k.run(k.alloc_pages(GFP_KERNEL, 0));
  if (p === null) throw new Error('alloc_pages failed');
  return p;
};
const pcpCount = (k: Kernel, cpu = 0): number => k.m.words[k.percpu.cpus[cpu]!.count]!;

describe('per-cpu page lists (v5.10)', () => {
  it('sizes pcp->high and pcp->batch as zone_batchsize() and pageset_set_batch() do', () => {
    expect(zone_batchsize(64)).toBe(0);
    expect(zone_batchsize(8192)).toBe(1);
    expect(zone_batchsize(1 << 20)).toBe(63);
    const k = createKernel({ pages: 64 });
    expect(k.m.words[k.percpu.cpus[0]!.high]).toBe(0);
    expect(k.m.words[k.percpu.cpus[0]!.batch]).toBe(1);
    expect(k.percpu.cpus).toHaveLength(4);
  });

  it('frees an order-0 page as free_unref_page() does: prepare, irqs off, list_add, count++, and free_pcppages_bulk() at count >= high', () => {
    const k = createKernel({ pages: 16 });
    const p = alloc0(k);
    const steps: string[] = [];
    k.run(recorded(k.__free_pages(p, 0), steps));
    expect(inOrder(steps, [
      'put_page_testzero', 'free_unref_page', 'page_expected_state: _mapcount', 'kernel_poison_pages', 'set_pcppage_migratetype',
      'local_irq_save (cpu0)', 'list_add', 'pcp->count++', 'pcp->high', 'READ_ONCE(pcp->batch)',
      'pcp->count', 'list_last_entry(pcp->lists[mt])', 'list_del', 'pcp->count--', 'spin_lock(&zone->lock)', 'NR_FREE_PAGES',
      'spin_unlock(&zone->lock)', 'local_irq_restore (cpu0)',
    ])).toBe(true);
    expect(pcpCount(k)).toBe(0);
    expect(checkFreeLists(k)).toBeUndefined();
  });

  it('keeps pages on the list below pcp->high: free, not leaked, not counted in NR_FREE_PAGES, not lost', () => {
    const k = createKernel({ pages: 16, pcp: { high: 4, batch: 1 } });
    const pages = [alloc0(k), alloc0(k), alloc0(k), alloc0(k)];
    const before = k.nrFreePages;
    for (const p of pages.slice(0, 3)) k.run(k.__free_pages(p, 0));
    expect(pcpCount(k)).toBe(3);
    expect(k.nrFreePages).toBe(before);
    expect(checkFreeLists(k)).toBeUndefined();
    k.run(k.__free_pages(pages[3]!, 0));
    // The fourth reaches high: batch pages go back to the buddy.
    expect(pcpCount(k)).toBe(3);
    expect(k.nrFreePages).toBe(before + 1);
    expect(checkFreeLists(k)).toBeUndefined();
    k.finalChecks();
    expect(k.violations).toEqual([]);
  });

  it('allocates the page freed last from the list (list_first_entry) and checks it with check_new_pcp()', () => {
    const k = createKernel({ pages: 16, pcp: { high: 8, batch: 2 } });
    const a = alloc0(k);
    const b = alloc0(k);
    k.run(k.__free_pages(a, 0));
    k.run(k.__free_pages(b, 0));
    const steps: string[] = [];
    const got = k.run(recorded(k.alloc_pages(GFP_KERNEL, 0), steps));
    expect(got).toBe(b);
    expect(inOrder(steps, ['local_irq_save (cpu0)', 'list_empty(pcp->lists[mt])', 'list_first_entry(pcp->lists[mt])', 'list_del', 'pcp->count--', 'page_expected_state: _mapcount', 'local_irq_restore (cpu0)'])).toBe(true);
    expect(steps).not.toContain('spin_lock(&zone->lock)');
    expect(checkFreeLists(k)).toBeUndefined();
  });

  it('refills an empty list with rmqueue_bulk(batch) under zone->lock, taking the pages out of NR_FREE_PAGES', () => {
    const k = createKernel({ pages: 16, pcp: { high: 8, batch: 3 } });
    const before = k.nrFreePages;
    const steps: string[] = [];
    k.run(recorded(k.alloc_pages(GFP_KERNEL, 0), steps));
    expect(inOrder(steps, ['list_empty(pcp->lists[mt])', 'pcp->batch', 'spin_lock(&zone->lock)', 'list_add_tail', 'list_add_tail', 'list_add_tail', 'NR_FREE_PAGES', 'spin_unlock(&zone->lock)', 'pcp->count += rmqueue_bulk()', 'list_first_entry(pcp->lists[mt])'])).toBe(true);
    expect(k.nrFreePages).toBe(before - 3);
    expect(pcpCount(k)).toBe(2);
    expect(checkFreeLists(k)).toBeUndefined();
  });

  it('drops a bad page found on the list and takes the next one (check_new_pcp)', () => {
    const k = createKernel({ pages: 16, pcp: { high: 8, batch: 1 } });
    const a = alloc0(k);
    const b = alloc0(k);
    k.run(k.__free_pages(a, 0));
    k.run(k.__free_pages(b, 0));
    k.m.poke(b, REFCOUNT, 1); // a stray reference on a page sitting on the list
    const got = k.run(k.alloc_pages(GFP_KERNEL, 0));
    expect(got).toBe(a);
    expect(k.violations.map((v) => v.kind)).toEqual(['bad-page-state']);
    expect(k.isQuarantined(b)).toBe(true);
  });

  it('catches a double free of a page that sits on a pcp list', () => {
    const k = createKernel({ pages: 16, pcp: { high: 8, batch: 1 } });
    const p = alloc0(k);
    k.run(k.__free_pages(p, 0));
    expect(() => k.run(k.free_unref_page(p))).toThrow(ViolationError);
    expect(k.violations[0]?.kind).toBe('double-free');
  });

  it('keeps the path without per-cpu lists with pcp: false (order-0 pages straight to the buddy)', () => {
    const k = createKernel({ pages: 16, pcp: false });
    expect(k.percpu.cpus).toHaveLength(0);
    const steps: string[] = [];
    k.run(recorded(k.__free_pages(alloc0(k), 0), steps));
    expect(steps.some((s) => s.startsWith('local_irq_save'))).toBe(false);
    expect(checkFreeLists(k)).toBeUndefined();
  });

  it('puts thread i on CPU i, or where kernel.threadCpus says, and frees to that CPU\'s list', () => {
    const freeOne = (config: KernelConfig): Kernel => {
      let kernel: Kernel | undefined;
      runOnce({
        name: 'cpus', kernel: { pages: 16, pcp: { high: 8, batch: 1 }, ...config },
        threads: {
          *a() {},
          *b(k) {
            kernel = k;
            const p = yield* k.alloc_pages(GFP_KERNEL, 0);
            yield* k.__free_pages(p!, 0);
          },
        },
      });
      return kernel!;
    };
    expect(pcpCount(freeOne({}), 1)).toBe(1);
    expect(pcpCount(freeOne({ threadCpus: { b: 3 } }), 3)).toBe(1);
  });

  it('says which setting to change when a thread has no CPU, or a CPU is out of range', () => {
    const r = runOnce({ name: 'one cpu', kernel: { pages: 16, cpus: 1 }, threads: { *a() {}, *b(k) { yield* k.alloc_pages(GFP_KERNEL, 0); } } });
    expect(r.violations[0]?.kind).toBe('thread-error');
    expect(r.violations[0]?.message).toMatch(/thread b is thread #1 but the kernel has 1 CPU\(s\): raise kernel.cpus, or place it with kernel.threadCpus/);
    expect(() => createKernel({ threadCpus: { a: 9 } })).toThrow(/kernel.threadCpus.a is 9; CPUs are 0..3/);
    expect(() => createKernel({ pcp: { batch: 0 } })).toThrow(/kernel.pcp.batch must be a positive integer/);
  });

  it('keeps two threads of one CPU out of each other\'s irqs-off sections; without that, the list loses a page', () => {
    const spec = (irqsOff: boolean) => ({
      name: 'same cpu',
      kernel: {
        pages: 16, pcp: { high: 8, batch: 1 }, threadCpus: { a: 0, b: 0 },
        ...(irqsOff ? {} : { overrides: { *local_irq_save() {}, *local_irq_restore() {} } }),
      },
      *setup(k: Kernel) {
        return { a: (yield* k.alloc_pages(GFP_KERNEL, 0))!, b: (yield* k.alloc_pages(GFP_KERNEL, 0))! };
      },
      threads: {
        *a(k: Kernel, s: { a: number }) { yield* k.__free_pages(s.a, 0); },
        *b(k: Kernel, s: { b: number }) { yield* k.__free_pages(s.b, 0); },
      },
    });
    expect(explore(spec(true), { strategy: 'exhaustive', stopOnFirst: false }).kinds).toEqual([]);
    expect(explore(spec(false), { strategy: 'exhaustive', stopOnFirst: false }).kinds).toContain('buddy-corruption');
  });
});
