import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkFreeLists, createKernel, type Kernel, type KGen } from '../../../src/kernel/kernel.js';
import { explore } from '../../../src/explore.js';
import { GFP_KERNEL } from '../../../src/kernel/gfp.js';
import { PG_dirty, PG_locked } from '../../../src/kernel/page-flags.js';
import { FLAGS, INDEX, MAPPING, REFCOUNT } from '../../../src/machine/layout.js';
import { xa_is_value, type AddressSpace } from '../../../src/kernel/xarray.js';
import { addrToPfn } from '../../../src/machine/addresses.js';
import type { RaceSpec } from '../../../src/spec.js';
import { inOrder, recorded } from './step-order.js';


/** A kernel with one cached page at index 0 of `file`, unlocked, refcount 2 (the cache's and the caller's). */
function cached(pages = 16): { k: Kernel; mapping: AddressSpace; page: number } {
  const k = createKernel({ pages });
  const mapping = k.createMapping('file', 4);
  const page = k.run(k.alloc_pages(GFP_KERNEL, 0))!;
  expect(k.run(k.add_to_page_cache(page, mapping, 0, GFP_KERNEL))).toBe(0);
  k.run(k.unlock_page(page));
  return { k, mapping, page };
}

describe('the page cache (mm/filemap.c, v5.10)', () => {
  it('adds a page as __add_to_page_cache_locked() does: get_page, mapping and index, then the slot under the i_pages lock', () => {
    const k = createKernel({ pages: 16 });
    const mapping = k.createMapping('file', 4);
    const page = k.run(k.alloc_pages(GFP_KERNEL, 0))!;
    const steps: string[] = [];
    expect(k.run(recorded(k.add_to_page_cache(page, mapping, 2, GFP_KERNEL), steps))).toBe(0);
    expect(inOrder(steps, ['__SetPageLocked', '__SetPageLocked', 'PageLocked', 'get_page', 'page->mapping = mapping', 'page->index = offset',
      'local_irq_save (cpu0)', 'spin_lock(&file->i_pages.xa_lock)', 'xas_for_each_conflict', 'xas_store: old entry', 'xas_store(pfn:' + page.toString(16) + ')',
      'mapping->nrpages++', 'spin_unlock(&file->i_pages.xa_lock)', 'local_irq_restore (cpu0)'])).toBe(true);
    expect(k.pageCacheSlot(mapping, 2)).toBe(page);
    expect(k.peek(page, REFCOUNT)).toBe(2);
    expect(k.peek(page, MAPPING)).toBe(mapping.addr);
    expect(k.peek(page, INDEX)).toBe(2);
    expect(k.m.words[mapping.nrpages]).toBe(1);
  });

  it('refuses a second page at a used index with -EEXIST and drops the reference it took', () => {
    const { k, mapping } = cached();
    const other = k.run(k.alloc_pages(GFP_KERNEL, 0))!;
    expect(k.run(k.add_to_page_cache(other, mapping, 0, GFP_KERNEL))).toBe(-17);
    expect(k.peek(other, REFCOUNT)).toBe(1);
    expect(k.peek(other, MAPPING)).toBe(0);
    expect(k.peek(other, FLAGS) & (1 << PG_locked)).toBe(0);
  });

  it('looks a page up as find_get_entry() does: rcu_read_lock, xas_load, the speculative get, the xas_reload re-check, rcu_read_unlock', () => {
    const { k, mapping, page } = cached();
    const steps: string[] = [];
    expect(k.run(recorded(k.find_get_page(mapping, 0), steps))).toBe(page);
    expect(inOrder(steps, ['rcu_read_lock', 'xas_load', 'get_page_unless_zero', 'xas_reload', 'rcu_read_unlock'])).toBe(true);
    expect(k.peek(page, REFCOUNT)).toBe(3);
    expect(k.run(k.find_get_page(mapping, 1))).toBeNull();
  });

  it('removes a page as __remove_mapping() does: freeze at 2 under the i_pages lock, then delete it from the cache', () => {
    const { k, mapping, page } = cached();
    k.run(k.lock_page(page));
    const steps: string[] = [];
    expect(k.run(recorded(k.__remove_mapping(mapping, page, true), steps))).toBe(1);
    expect(inOrder(steps, ['spin_lock(&file->i_pages.xa_lock)', 'page_ref_freeze(2)', 'PageDirty', 'page->index', 'xas_store(NULL)', 'page->mapping = NULL', 'mapping->nrpages--', 'spin_unlock(&file->i_pages.xa_lock)'])).toBe(true);
    expect(k.peek(page, REFCOUNT)).toBe(0);
    expect(k.pageCacheSlot(mapping, 0)).toBeNull();
  });

  it('keeps a page __remove_mapping() cannot freeze (another reference) or finds dirty (page_ref_unfreeze)', () => {
    const { k, mapping, page } = cached();
    k.run(k.lock_page(page));
    k.run(k.get_page(page));
    expect(k.run(k.__remove_mapping(mapping, page, true))).toBe(0);
    expect(k.peek(page, REFCOUNT)).toBe(3);
    k.run(k.put_page(page));
    k.m.poke(page, FLAGS, k.peek(page, FLAGS) | (1 << PG_dirty));
    const steps: string[] = [];
    expect(k.run(recorded(k.__remove_mapping(mapping, page, true), steps))).toBe(0);
    expect(inOrder(steps, ['page_ref_freeze(2)', 'PageDirty', 'page_ref_unfreeze(2)'])).toBe(true);
    expect(k.peek(page, REFCOUNT)).toBe(2);
    expect(k.pageCacheSlot(mapping, 0)).toBe(page);
  });

  it('reclaims a page with shrink_page_list() through the per-cpu list to the buddy, and truncates one with delete_from_page_cache() and put_page()', () => {
    const r = cached();
    const steps: string[] = [];
    expect(r.k.run(recorded(r.k.shrink_page_list([r.page]), steps))).toBe(1);
    expect(inOrder(steps, ['trylock_page', 'page_ref_freeze(2)', 'unlock_page', 'free_unref_page_list', 'set_pcppage_migratetype', 'local_irq_save (cpu0)'])).toBe(true);
    expect(checkFreeLists(r.k)).toBeUndefined();
    r.k.finalChecks();
    expect(r.k.violations).toEqual([]);

    const t = cached();
    t.k.run(t.k.put_page(t.page)); // the caller's reference: only the cache's is left
    t.k.run(t.k.truncate_inode_pages(t.mapping, 0));
    expect(t.k.pageCacheSlot(t.mapping, 0)).toBeNull();
    expect(t.k.shadow.isAllocated(t.page)).toBe(false);
    t.k.finalChecks();
    expect(t.k.violations).toEqual([]);
  });

  it('says what is wrong with a lookup in a mapping the kernel does not have, or at an index it does not have', () => {
    const { k, mapping } = cached();
    const other = createKernel({ pages: 16 }).createMapping('elsewhere', 4);
    expect(() => k.run(k.find_get_page(other, 0))).toThrow(/find_get_page|XA_STATE: mapping 'elsewhere' does not exist in this kernel; create it in setup with k.createMapping/);
    expect(() => k.run(k.find_get_page({ name: 'file' } as AddressSpace, 0))).toThrow(/mapping 'file' does not exist in this kernel/);
    expect(() => k.run(k.find_get_page(mapping, 9))).toThrow(/index 9 is outside file's page cache \(indexes 0..3/);
    expect(() => k.createMapping('file')).toThrow(/already exists/);
  });
});

describe('stale lookups', () => {
  /** find_get_entry() without the xas_reload() re-check: the pre-e286781d5f2e shape of a speculative lookup. */
  function* noRecheck(k: Kernel, mapping: AddressSpace, index: number): KGen<number> {
    const xas = k.XA_STATE(mapping, index);
    yield* k.rcu_read_lock();
    let entry: number;
    for (;;) {
      entry = yield* k.xas_load(xas);
      if (entry === 0 || xa_is_value(entry)) break;
      if (yield* k.page_cache_get_speculative(addrToPfn(entry))) break;
      yield k.m.gwaitFor(mapping.xaLock, (w) => w === 0, 'wait');
    }
    yield* k.rcu_read_unlock();
    return entry;
  }

  const race = (override: boolean): RaceSpec<{ mapping: AddressSpace; page: number }> => ({
    name: override ? 'lookup without re-check' : 'find_get_page',
    kernel: { pages: 4, ...(override ? { overrides: { find_get_entry: noRecheck } } : {}) },
    *setup(k) {
      const mapping = k.createMapping('file', 1);
      const page = (yield* k.alloc_pages(GFP_KERNEL, 0))!;
      yield* k.add_to_page_cache(page, mapping, 0, GFP_KERNEL);
      yield* k.unlock_page(page);
      return { mapping, page };
    },
    threads: {
      *lookup(k, s) {
        const p = yield* k.find_get_page(s.mapping, 0);
        if (p !== null) yield* k.put_page(p);
      },
      *reclaim(k, s) {
        yield* k.shrink_page_list([s.page]);
      },
      *reuse(k) {
        const p = yield* k.alloc_pages(GFP_KERNEL, 0);
        if (p !== null) yield* k.__free_pages(p, 0);
      },
    },
    *teardown(k, s) {
      yield* k.truncate_inode_pages(s.mapping, 0);
    },
  });

  it('catches a lookup without the xas_reload() re-check returning a page that was freed and reused', () => {
    const r = explore(race(true), { strategy: 'exhaustive', stopOnFirst: false });
    expect(r.kinds).toContain('stale-lookup');
    const v = r.failures.find((f) => f.violation.kind === 'stale-lookup')!.violation;
    expect(v.message).toMatch(/find_get_page\(file, 0\) returns pfn:\w+, which was allocation #\d+ when the xarray showed it and is allocation #\d+ now/);
  });

  it('finds no stale lookup in find_get_page() with its re-check, over every schedule', () => {
    const r = explore(race(false), { strategy: 'exhaustive', stopOnFirst: false });
    expect(r.complete).toBe(true);
    expect(r.kinds).toEqual([]);
  });
});

describe('the page cache against a Map', () => {
  it('adds, looks up and deletes pages as a Map of index to page would', () => {
    type Cmd = { op: 'add' | 'find' | 'truncate'; index: number };
    const cmd = fc.record({ op: fc.constantFrom<'add' | 'find' | 'truncate'>('add', 'find', 'truncate'), index: fc.integer({ min: 0, max: 3 }) });
    fc.assert(
      fc.property(fc.array(cmd, { maxLength: 40 }), (cmds: Cmd[]) => {
        const k = createKernel({ pages: 16 });
        const mapping = k.createMapping('file', 4);
        const ref = new Map<number, number>();
        for (const c of cmds) {
          if (c.op === 'add') {
            const page = k.run(k.alloc_pages(GFP_KERNEL, 0))!;
            const err = k.run(k.add_to_page_cache(page, mapping, c.index, GFP_KERNEL));
            expect(err).toBe(ref.has(c.index) ? -17 : 0);
            if (err === 0) {
              k.run(k.unlock_page(page));
              ref.set(c.index, page);
            }
            k.run(k.put_page(page)); // the allocation's reference: a cached page keeps the cache's
          } else if (c.op === 'find') {
            const page = k.run(k.find_get_page(mapping, c.index));
            expect(page).toBe(ref.get(c.index) ?? null);
            if (page !== null) k.run(k.put_page(page));
          } else {
            k.run(k.truncate_inode_pages(mapping, c.index));
            for (const i of [...ref.keys()]) if (i >= c.index) ref.delete(i);
          }
          for (let i = 0; i < 4; i++) expect(k.pageCacheSlot(mapping, i)).toBe(ref.get(i) ?? null);
          expect(k.m.words[mapping.nrpages]).toBe(ref.size);
          for (const page of ref.values()) expect(k.peek(page, REFCOUNT)).toBe(1);
        }
        expect(k.violations).toEqual([]);
        expect(checkFreeLists(k)).toBeUndefined();
      }),
      { numRuns: 100 },
    );
  });
});
