import { describe, expect, it } from 'vitest';
import { createKernel, type Kernel, type KGen } from '../../../src/kernel/kernel.js';
import { GFP_KERNEL, GFP_KERNEL_ACCOUNT } from '../../../src/kernel/gfp.js';
import { MEMCG_DATA_KMEM } from '../../../src/kernel/page-flags.js';
import { MEMCG_DATA } from '../../../src/machine/layout.js';
import type { Op } from '../../../src/engine/op.js';
import { explore } from '../../../src/explore.js';
import type { RaceSpec } from '../../../src/spec.js';
import { stepwise } from '../../../src/kernel/sync-call.js';

/** Runs kernel code sequentially and returns the labels of its steps, in order. */
function steps<R>(k: Kernel, gen: KGen<R>): string[] {
  const labels: string[] = [];
  function* recording(): Generator<Op, R, number> {
    let r = stepwise(gen).next();
    while (r.done !== true) {
      labels.push(r.value.fn);
      r = gen.next(yield r.value);
    }
    return r.value;
  }
  k.run(recording());
  return labels;
}

const kernel = (): Kernel => createKernel({ pages: 16 });
const alloc = (k: Kernel, order: number, gfp = GFP_KERNEL_ACCOUNT): number => k.run(k.alloc_pages(gfp, order))!;
const memcgSteps = (labels: string[]): string[] => labels.filter((l) => /^(css|page_memcg|page_counter_|atomic_long_sub)|memcg_data/.test(l));
/** Violation kinds other than the leak of the pages these tests keep. */
const kinds = (k: Kernel): string[] => memcgViolations(k).map((v) => v.kind);
const memcgViolations = (k: Kernel) => k.violations.filter((v) => v.kind !== 'page-leak');

describe('css references (v5.12)', () => {
  it('css_get, css_get_many and css_put are one atomic step each', () => {
    const k = kernel();
    const memcg = k.memcg!.addr;
    expect(steps(k, k.css_get(memcg))).toEqual(['css_get']);
    expect(steps(k, k.css_get_many(memcg, 3))).toEqual(['css_get_many(3)']);
    expect(steps(k, k.css_put(memcg))).toEqual(['css_put']);
    expect(k.cssRefs()).toBe(4);
  });

  it('__memcg_kmem_charge_page takes the css reference before charging and keeps it in memcg_data', () => {
    const k = kernel();
    const p = k.run(k.alloc_pages(GFP_KERNEL, 1))!;
    expect(memcgSteps(steps(k, k.__memcg_kmem_charge_page(p, GFP_KERNEL_ACCOUNT, 1)))).toEqual([
      'css_get', 'page_counter_try_charge', 'page->memcg_data = memcg | MEMCG_DATA_KMEM',
    ]);
    expect({ usage: k.memcgUsage(), css: k.cssRefs(), data: k.peek(p, MEMCG_DATA) }).toEqual({ usage: 2, css: 2, data: k.memcg!.addr | MEMCG_DATA_KMEM });
  });

  it('__memcg_kmem_charge_page puts the reference back when the charge fails', () => {
    const k = createKernel({ pages: 16, memcg: { limit: 1 } });
    const p = k.run(k.alloc_pages(GFP_KERNEL, 1))!;
    expect(memcgSteps(steps(k, k.__memcg_kmem_charge_page(p, GFP_KERNEL_ACCOUNT, 1)))).toEqual([
      'css_get', 'page_counter_try_charge', 'atomic_long_sub(nr_pages, &c->usage)', 'css_put',
    ]);
    expect({ usage: k.memcgUsage(), css: k.cssRefs(), data: k.peek(p, MEMCG_DATA) }).toEqual({ usage: 0, css: 1, data: 0 });
    expect(k.violations).toEqual([]);
  });

  it('__memcg_kmem_uncharge_page uncharges, clears memcg_data, then puts the page\'s reference', () => {
    const k = kernel();
    const p = alloc(k, 1);
    expect(memcgSteps(steps(k, k.__memcg_kmem_uncharge_page(p, 1)))).toEqual(['page_memcg', 'page_counter_cancel', 'page->memcg_data = 0', 'css_put']);
    expect({ usage: k.memcgUsage(), css: k.cssRefs() }).toEqual({ usage: 0, css: 1 });
  });

  it('mem_cgroup_uncharge takes the gather\'s reference, drops the page\'s, uncharges, then drops the gather\'s', () => {
    const k = kernel();
    const p = alloc(k, 0);
    expect(memcgSteps(steps(k, k.mem_cgroup_uncharge(p)))).toEqual(['page_memcg', 'page_memcg', 'css_get', 'page->memcg_data = 0', 'css_put', 'page_counter_cancel', 'css_put']);
    expect({ usage: k.memcgUsage(), css: k.cssRefs() }).toEqual({ usage: 0, css: 1 });
  });

  it('split_page_memcg copies memcg_data to pages 1..nr-1, then takes nr - 1 references at once', () => {
    const k = kernel();
    const p = alloc(k, 2);
    expect(memcgSteps(steps(k, k.split_page_memcg(p, 4)))).toEqual([
      'page_memcg', 'head->memcg_data',
      'head[i].memcg_data = head->memcg_data', 'head[i].memcg_data = head->memcg_data', 'head[i].memcg_data = head->memcg_data',
      'css_get_many(3)',
    ]);
    expect(k.cssRefs()).toBe(1 + 4);
  });
});

describe('css reference underflow, at once', () => {
  it('is reported at the css_put that takes the count below the base reference, in that thread', () => {
    const spec: RaceSpec<{ page: number }> = {
      name: 'memcg_data copied without css_get',
      *setup(k) { return { page: (yield* k.alloc_pages(GFP_KERNEL_ACCOUNT, 1))! }; },
      threads: {
        *copier(k, s) {
          yield k.st(s.page + 1, MEMCG_DATA, k.peek(s.page, MEMCG_DATA), 'tail->memcg_data = page->memcg_data');
          yield* k.__memcg_kmem_uncharge_page(s.page + 1, 0);
        },
        *owner(k, s) { yield* k.__memcg_kmem_uncharge_page(s.page, 0); },
      },
      *teardown(k, s) { yield* k.__free_pages(s.page, 1); },
    };
    const r = explore(spec, { strategy: 'exhaustive', stopOnFirst: false });
    expect(r.complete).toBe(true);
    expect(r.kinds).toEqual(['memcg-underflow']);
    const v = r.failure!.violation;
    expect(v.message).toMatch(/^css reference underflow: css_put on test_memcg takes its css refcount from 1 to 0/);
    expect(['copier', 'owner']).toContain(v.thread);
    expect(r.failure!.diagram).toContain('css_put() == 1 -> 0');
  });

  it('is reported by a standalone kernel at the put, before any teardown check', () => {
    const k = kernel();
    k.run(k.css_put(k.memcg!.addr));
    expect(kinds(k)).toEqual(['memcg-underflow']);
    expect(k.violations[0]!.message).toBe('css reference underflow: css_put on test_memcg takes its css refcount from 1 to 0 while the cgroup is online (its base reference keeps it >= 1): a css reference was dropped that no css_get took');
  });

  it('is not reported for puts that match the gets', () => {
    const k = kernel();
    const p = alloc(k, 2);
    k.run(k.split_page(p, 2));
    for (let i = 0; i < 4; i++) k.run(k.__free_pages(p + i, 0));
    k.finalChecks();
    expect(k.violations).toEqual([]);
    expect(k.cssRefs()).toBe(1);
  });
});

describe('css balance at teardown', () => {
  it('reports a css_get without a put as a css reference leak', () => {
    const k = kernel();
    const p = alloc(k, 0);
    k.run(k.css_get(k.memcg!.addr));
    k.finalChecks();
    expect(kinds(k)).toEqual(['memcg-leak']);
    expect(memcgViolations(k)[0]!.message).toBe(`css reference leak: test_memcg holds 3 css reference(s) at teardown, but only 2 are accounted for (1 base reference + 1 page(s) carrying memcg_data (pfn:${p.toString(16)})): 1 css_get(s) without a css_put`);
  });

  it('reports a page carrying memcg_data without its reference as an underflow', () => {
    const k = kernel();
    const p = alloc(k, 1);
    k.m.poke(p + 1, MEMCG_DATA, k.peek(p, MEMCG_DATA));
    k.finalChecks();
    expect(kinds(k)).toEqual(['memcg-underflow']);
    expect(memcgViolations(k)[0]!.message).toMatch(/^css reference underflow: test_memcg holds 2 css reference\(s\) at teardown, but 3 are accounted for/);
  });

  it('counts a reference for each page still carrying memcg_data', () => {
    const k = kernel();
    const p = alloc(k, 2);
    k.run(k.split_page(p, 2));
    k.finalChecks();
    expect(kinds(k)).toEqual([]);
    expect(k.cssRefs()).toBe(5);
  });
});

describe('page_counter underflow, at once', () => {
  it('is reported at the page_counter_cancel that takes the usage below 0 (WARN_ON_ONCE(new < 0))', () => {
    const k = kernel();
    const mc = k.memcg!;
    k.run(k.page_counter_uncharge(mc, 2));
    expect(kinds(k)).toEqual(['memcg-underflow']);
    expect(k.violations[0]!.message).toBe('page_counter underflow: test_memcg memory.usage 0 -> -2 after uncharging 2 page(s): more uncharges than charges (WARN_ON_ONCE(new < 0) in page_counter_cancel)');
    expect(k.memcgUsage()).toBe(-2);
  });
});

describe('css balance at teardown: the accounting it prints', () => {
  it('lists at most eight carriers, then an ellipsis', () => {
    const k = kernel();
    const p = alloc(k, 3);
    k.run(k.split_page(p, 3));
    k.m.poke(p + 8, MEMCG_DATA, k.peek(p, MEMCG_DATA));
    k.finalChecks();
    const list = Array.from({ length: 8 }, (_, i) => `pfn:${(p + i).toString(16)}`).join(', ');
    expect(memcgViolations(k).map((v) => [v.kind, v.message])).toEqual([
      ['memcg-underflow', `css reference underflow: test_memcg holds 9 css reference(s) at teardown, but 10 are accounted for (1 base reference + 9 page(s) carrying memcg_data (${list}, ...)): 1 css_put(s) without a css_get`],
    ]);
  });

  it('says only the base reference when no page carries memcg_data', () => {
    const k = kernel();
    k.run(k.css_get(k.memcg!.addr));
    k.run(k.css_get(k.memcg!.addr));
    k.finalChecks();
    expect(memcgViolations(k).map((v) => v.message)).toEqual([
      'css reference leak: test_memcg holds 3 css reference(s) at teardown, but only 1 are accounted for (1 base reference + 0 page(s) carrying memcg_data): 2 css_get(s) without a css_put',
    ]);
  });

  it('counts only the pages whose memcg_data points at this cgroup', () => {
    const k = kernel();
    const p = alloc(k, 0, GFP_KERNEL);
    // A page of another cgroup (its address differs) holds no reference of this one; flag bits alone hold none either.
    k.m.poke(p, MEMCG_DATA, (k.memcg!.addr + 64) | MEMCG_DATA_KMEM);
    k.finalChecks();
    expect(kinds(k)).toEqual([]);
    k.m.poke(p, MEMCG_DATA, MEMCG_DATA_KMEM);
    k.finalChecks();
    expect(kinds(k)).toEqual([]);
    k.m.poke(p, MEMCG_DATA, k.memcg!.addr | MEMCG_DATA_KMEM);
    k.finalChecks();
    expect(kinds(k)).toEqual(['memcg-underflow']);
  });

  it('has nothing to check without memcg', () => {
    const k = createKernel({ pages: 16, memcg: false });
    k.finalChecks();
    expect(k.violations).toEqual([]);
  });
});

describe('underflow at the put, at the limit', () => {
  it('lets a put leave exactly the base reference, and a cancel leave exactly 0', () => {
    const k = kernel();
    k.run(k.css_get(k.memcg!.addr));
    k.run(k.css_put(k.memcg!.addr));
    expect(k.run(k.page_counter_try_charge(k.memcg!, 2))).toBe(true);
    k.run(k.page_counter_uncharge(k.memcg!, 2));
    expect(k.violations).toEqual([]);
  });

describe('css and page_counter underflows, once per run', () => {
  it('reports the first underflowing put and cancel of a run, not each one', () => {
    const k = kernel();
    k.run(k.css_put(k.memcg!.addr));
    k.run(k.css_put(k.memcg!.addr));
    k.run(k.page_counter_uncharge(k.memcg!, 1));
    k.run(k.page_counter_uncharge(k.memcg!, 1));
    expect(k.violations.map((v) => v.message.replace(/:.*/, ''))).toEqual(['css reference underflow']);
  });

  it('reports the teardown imbalance once however often the checks run', () => {
    const k = kernel();
    k.run(k.css_get(k.memcg!.addr));
    k.finalChecks();
    k.finalChecks();
    expect(kinds(k)).toEqual(['memcg-leak']);
    const k2 = kernel();
    const p = alloc(k2, 1);
    k2.m.poke(p + 1, MEMCG_DATA, k2.peek(p, MEMCG_DATA));
    k2.finalChecks();
    k2.finalChecks();
    expect(kinds(k2)).toEqual(['memcg-underflow']);
  });
});
});
