import type { Kernel, KGen, MethodsOf } from './context.js';
import { RMW_ADD, RMW_CMPXCHG, type OpDeps } from '../engine/op.js';
import { NULL, addrToPfn } from '../machine/addresses.js';
import { INDEX, MAPPING, REFCOUNT } from '../machine/layout.js';
import { PG_dirty, PG_locked } from './page-flags.js';
import { pageEntry, xa_is_value, type AddressSpace } from './xarray.js';

/**
 * The page cache (mm/filemap.c, mm/vmscan.c, mm/truncate.c,
 * include/linux/pagemap.h, v5.10): adding a page, the lockless lookup
 * find_get_page(), deletion, reclaim's __remove_mapping() and truncation.
 * Not modelled: the LRU lists (reclaim starts from an isolated page),
 * mem_cgroup_charge() of page cache pages, workingset shadow entries
 * (deletion stores NULL), THP and hugetlb entries, a_ops.
 */
export const filemap = {
  /**
   * A new address_space with `slots` page cache slots (harness; call it in setup).
   * Its `i_pages` is a one-level array of slot words.
   * @remarks Since 0.2.0
   */
  createMapping(this: Kernel, name: string, slots = 8): AddressSpace {
    if (typeof name !== 'string' || name.length === 0) throw new TypeError('createMapping: give the mapping a non-empty name');
    if (!Number.isInteger(slots) || slots < 1 || slots > 1024) throw new RangeError(`createMapping(${name}): slots must be an integer in 1..1024 (page indexes), got ${String(slots)}`);
    if (this.symbols.has(name)) throw new Error(`createMapping: a symbol named ${name} already exists; give the mapping another name`);
    const xaLock = this.spin_lock_init(`${name}->i_pages.xa_lock`);
    const nrpages = this.m.allocGlobal(`${name}->nrpages`);
    const base = this.m.allocGlobal(`${name}->i_pages`, slots);
    for (let i = 0; i < slots; i++) this.m.words[base + i] = NULL;
    // words: the object's own word locations, and its number of slots (not a location).
    const sym = this.symbols.add(name, 'address_space', { words: { xa_lock: xaLock, nrpages, slots: base, nr_slots: slots } });
    return Object.freeze({ name, addr: sym.addr, xaLock, nrpages, slots: base, nrSlots: slots });
  },

  /** The page in a mapping's slot, read directly (tests and checkers; not a step): its pfn, or null. */
  pageCacheSlot(this: Kernel, mapping: AddressSpace, index: number): number | null {
    const xas = this.XA_STATE(mapping, index);
    const entry = this.m.words[xas.xa.slots + index]!;
    if (entry === NULL || xa_is_value(entry)) return null;
    return addrToPfn(entry);
  },

  /** page_ref_freeze() (include/linux/page_ref.h, v5.10): atomic_cmpxchg(&page->_refcount, count, 0) == count. */
  *page_ref_freeze(this: Kernel, page: number, count: number): KGen<boolean> {
    const old: number = yield this.rmw(page, REFCOUNT, RMW_CMPXCHG, count, 0, `page_ref_freeze(${count})`, (v) => String(v === count));
    if (old === count) this.note(page, `page_ref_freeze(${count})`);
    return old === count;
  },

  /**
   * page_cache_get_speculative() → __page_cache_add_speculative(page, 1) (include/linux/pagemap.h, v5.10): page_ref_add_unless(page, 1, 0).
   * `deps` (weak memory model only): the reads the page pointer came from, an address dependency of the refcount access.
   */
  *page_cache_get_speculative(this: Kernel, page: number, deps?: OpDeps): KGen<boolean> {
    return yield* this.get_page_unless_zero(page, deps);
  },

  /**
   * add_to_page_cache() (include/linux/pagemap.h, v5.10): __SetPageLocked, then
   * add_to_page_cache_locked(); the page stays locked on success.
   */
  *add_to_page_cache(this: Kernel, page: number, mapping: AddressSpace, offset: number, gfp_mask: number): KGen<number> {
    yield* this.__set_page_bit(page, PG_locked, '__SetPageLocked');
    const error = yield* this.add_to_page_cache_locked(page, mapping, offset, gfp_mask);
    if (error !== 0) yield* this.__clear_page_bit(page, PG_locked, '__ClearPageLocked');
    return error;
  },

  /** add_to_page_cache_locked() (mm/filemap.c, v5.10). */
  *add_to_page_cache_locked(this: Kernel, page: number, mapping: AddressSpace, offset: number, gfp_mask: number): KGen<number> {
    return yield* this.__add_to_page_cache_locked(page, mapping, offset, gfp_mask);
  },

  /**
   * __add_to_page_cache_locked() (mm/filemap.c, v5.10): get_page; page->mapping
   * and page->index; under the i_pages lock, -EEXIST if the slot holds a page,
   * else xas_store and nrpages++. On error the reference is dropped again.
   */
  *__add_to_page_cache_locked(this: Kernel, page: number, mapping: AddressSpace, offset: number, _gfp: number): KGen<number> {
    const xas = this.XA_STATE(mapping, offset);
    if (!(yield* this.PageLocked(page))) this.bug('lock-violation', `__add_to_page_cache_locked: VM_BUG_ON_PAGE(!PageLocked(page)): pfn:${page.toString(16)}`, page);
    yield* this.get_page(page);
    yield this.st(page, MAPPING, mapping.addr, 'page->mapping = mapping');
    yield this.st(page, INDEX, offset, 'page->index = offset');
    // mem_cgroup_charge() of page cache pages is not modelled.
    yield* this.local_irq_save();
    yield* this.spin_lock(mapping.xaLock);
    // xas_for_each_conflict(&xas, entry): a page in the slot is -EEXIST; a value entry is replaced.
    const old: number = yield this.m.gld(mapping.slots + offset, 'xas_for_each_conflict', (v) => this.describeEntry(v));
    let error = 0;
    if (old !== NULL && !xa_is_value(old)) error = -17; // -EEXIST
    else {
      yield* this.xas_store(xas, pageEntry(page));
      yield this.m.grmw(mapping.nrpages, RMW_ADD, 1, 0, 'mapping->nrpages++');
    }
    yield* this.spin_unlock(mapping.xaLock);
    yield* this.local_irq_restore();
    if (error !== 0) {
      yield this.st(page, MAPPING, NULL, 'page->mapping = NULL');
      yield* this.put_page(page);
      return error;
    }
    this.note(page, () => `add_to_page_cache(${mapping.name}, ${offset})`);
    return 0;
  },

  /** page_cache_delete() (mm/filemap.c, v5.10): xas_store(&xas, shadow) at page->index; page->mapping = NULL; nrpages--. */
  *page_cache_delete(this: Kernel, mapping: AddressSpace, page: number, shadow: number): KGen<void> {
    const index: number = yield this.ld(page, INDEX, 'page->index');
    const xas = this.XA_STATE(mapping, index);
    if (!(yield* this.PageLocked(page))) this.bug('lock-violation', `page_cache_delete: VM_BUG_ON_PAGE(!PageLocked(page)): pfn:${page.toString(16)}`, page);
    yield* this.xas_store(xas, shadow);
    yield this.st(page, MAPPING, NULL, 'page->mapping = NULL');
    // Leave page->index set: truncation lookup relies upon it.
    yield this.m.grmw(mapping.nrpages, RMW_ADD, -1, 0, 'mapping->nrpages--');
    this.note(page, () => `page_cache_delete(${mapping.name}, ${index})`);
  },

  /** __delete_from_page_cache() (mm/filemap.c, v5.10): unaccount (nothing the model counts), then page_cache_delete(). The caller holds the i_pages lock. */
  *__delete_from_page_cache(this: Kernel, page: number, shadow: number): KGen<void> {
    const addr: number = yield this.ld(page, MAPPING, 'page->mapping');
    const mapping = this.mappingAt(addr, page, '__delete_from_page_cache');
    yield* this.page_cache_delete(mapping, page, shadow);
  },

  /** delete_from_page_cache() (mm/filemap.c, v5.10): __delete_from_page_cache under the i_pages lock, then page_cache_free_page() drops the cache's reference. */
  *delete_from_page_cache(this: Kernel, page: number): KGen<void> {
    const addr: number = yield this.ld(page, MAPPING, 'page_mapping');
    const mapping = this.mappingAt(addr, page, 'delete_from_page_cache');
    if (!(yield* this.PageLocked(page))) this.bug('lock-violation', `delete_from_page_cache: BUG_ON(!PageLocked(page)): pfn:${page.toString(16)}`, page);
    yield* this.xa_lock_irqsave(mapping);
    yield* this.__delete_from_page_cache(page, NULL);
    yield* this.xa_unlock_irqrestore(mapping);
    // page_cache_free_page(): no a_ops->freepage; not a THP: put_page().
    yield* this.put_page(page);
  },

  /** Model helper (no kernel function): the address_space a page->mapping value points at, checked. */
  mappingAt(this: Kernel, addr: number, page: number, fn: string): AddressSpace {
    const sym = this.symbols.at(addr);
    if (sym === undefined || sym.kind !== 'address_space') this.bug('wild-deref', `${fn}: page->mapping of pfn:${page.toString(16)} is 0x${(addr >>> 0).toString(16)}, not an address_space`, page);
    return { name: sym.name, addr: sym.addr, xaLock: sym.words.xa_lock!, nrpages: sym.words.nrpages!, slots: sym.words.slots!, nrSlots: sym.words.nr_slots! };
  },

  /**
   * find_get_entry() (mm/filemap.c, v5.10): under rcu_read_lock, xas_load; a
   * value entry or NULL is returned as it is; page_cache_get_speculative(), and
   * on failure retry; then the re-check `xas_reload(&xas) != page`: put_page()
   * and retry.
   */
  *find_get_entry(this: Kernel, mapping: AddressSpace, index: number): KGen<number> {
    const xas = this.XA_STATE(mapping, index);
    yield* this.rcu_read_lock();
    let entry: number;
    for (;;) {
      // repeat: xas_reset(&xas);
      // xas_load() is an rcu_dereference(): under the weak memory model the speculative reference's
      // access to page->_refcount has an address dependency on its read (the thread's next step).
      const t = this.exec.weak === undefined ? undefined : this.exec.threads[this.exec.current];
      const deref = t === undefined ? undefined : { addr: [t.steps] };
      entry = yield* this.xas_load(xas);
      if (this.xas_retry(xas, entry)) continue;
      if (entry === NULL || xa_is_value(entry)) break;
      const page = addrToPfn(entry);
      if (!(yield* this.page_cache_get_speculative(page, deref))) {
        // A page in the cache has a zero count only while __remove_mapping() holds it frozen under the i_pages
        // lock: the kernel spins on `goto repeat` until then; the model waits for the lock instead of spinning.
        yield this.m.gwaitFor(mapping.xaLock, (w) => w === 0, 'repeat: wait for the i_pages lock');
        continue;
      }
      // Has the page moved or been split?
      if ((yield* this.xas_reload(xas)) !== entry) {
        yield* this.put_page(page);
        continue;
      }
      break;
    }
    yield* this.rcu_read_unlock();
    return entry;
  },

  /**
   * pagecache_get_page() (mm/filemap.c, v5.10) with fgp_flags 0: find_get_entry(),
   * a value entry is no page. The shadow then checks the page returned: it must
   * still belong to the allocation it belonged to when the xarray last showed it
   * to this lookup, else the lookup pinned a page that was freed and reused.
   */
  *pagecache_get_page(this: Kernel, mapping: AddressSpace, index: number, _fgp_flags: number, _gfp_mask: number): KGen<number | null> {
    this.checkLookup('found', -1, 'pagecache_get_page');
    const entry = yield* this.find_get_entry(mapping, index);
    if (entry === NULL || xa_is_value(entry)) return null;
    const page = addrToPfn(entry);
    this.checkLookup('return', page, `find_get_page(${mapping.name}, ${index})`);
    return page;
  },

  /** find_get_page() (include/linux/pagemap.h, v5.10): pagecache_get_page(mapping, offset, 0, 0). */
  *find_get_page(this: Kernel, mapping: AddressSpace, offset: number): KGen<number | null> {
    return yield* this.pagecache_get_page(mapping, offset, 0, 0);
  },

  /**
   * __remove_mapping() (mm/vmscan.c, v5.10), for a locked page cache page:
   * under the i_pages lock, freeze the refcount at 1 + compound_nr (the cache's
   * reference and the caller's); a dirty page is unfrozen and kept; else
   * __delete_from_page_cache(). Returns 1 with the refcount frozen at 0.
   */
  *__remove_mapping(this: Kernel, mapping: AddressSpace, page: number, _reclaimed: boolean): KGen<number> {
    if (!(yield* this.PageLocked(page))) this.bug('lock-violation', `__remove_mapping: BUG_ON(!PageLocked(page)): pfn:${page.toString(16)}`, page);
    yield* this.xa_lock_irqsave(mapping);
    const refcount = 1 + (yield* this.compound_nr(page));
    let freed = false;
    if (yield* this.page_ref_freeze(page, refcount)) {
      if (yield* this.test_page_bit(page, PG_dirty, 'PageDirty')) yield* this.page_ref_unfreeze(page, refcount);
      else {
        // Not swap cache; workingset_eviction() is not modelled: the slot gets NULL.
        yield* this.__delete_from_page_cache(page, NULL);
        freed = true;
      }
    }
    yield* this.xa_unlock_irqrestore(mapping);
    return freed ? 1 : 0;
  },

  /**
   * shrink_page_list() (mm/vmscan.c, v5.10) for pages already isolated from the
   * LRU (the caller's reference is isolate_lru_page()'s): trylock_page,
   * __remove_mapping, unlock_page; reclaimed pages are uncharged and freed with
   * free_unref_page_list(); a page that could not be freed is unlocked and put back
   * (putback_lru_page: its isolation reference dropped). Returns the number reclaimed.
   */
  *shrink_page_list(this: Kernel, pages: readonly number[]): KGen<number> {
    const free_pages: number[] = [];
    for (const page of pages) {
      if (!(yield* this.trylock_page(page))) {
        yield* this.put_page(page);
        continue;
      }
      const addr: number = yield this.ld(page, MAPPING, 'page_mapping');
      if (addr === NULL || !(yield* this.__remove_mapping(this.mappingAt(addr, page, 'shrink_page_list'), page, true))) {
        yield* this.unlock_page(page);
        yield* this.put_page(page);
        continue;
      }
      yield* this.unlock_page(page);
      free_pages.push(page);
    }
    // mem_cgroup_uncharge_list(&free_pages); free_unref_page_list(&free_pages);
    for (const page of free_pages) yield* this.mem_cgroup_uncharge(page);
    yield* this.free_unref_page_list(free_pages);
    return free_pages.length;
  },

  /** truncate_inode_page() (mm/truncate.c, v5.10): for a locked page still in `mapping`, delete_from_page_cache(). */
  *truncate_inode_page(this: Kernel, mapping: AddressSpace, page: number): KGen<number> {
    const addr: number = yield this.ld(page, MAPPING, 'page->mapping');
    if (addr !== mapping.addr) return -5; // -EIO
    // truncate_cleanup_page(): not mapped, no private data: nothing to do.
    yield* this.delete_from_page_cache(page);
    return 0;
  },

  /**
   * truncate_inode_pages() (mm/truncate.c, v5.10), the slow path of
   * truncate_inode_pages_range() for every index: find the page (a reference),
   * lock_page, truncate_inode_page(), unlock_page, put_page.
   */
  *truncate_inode_pages(this: Kernel, mapping: AddressSpace, lstart: number): KGen<void> {
    this.mappingOf(mapping, 'truncate_inode_pages');
    for (let index = lstart; index < mapping.nrSlots; index++) {
      const page = yield* this.find_get_page(mapping, index);
      if (page === null) continue;
      yield* this.lock_page(page);
      yield* this.truncate_inode_page(mapping, page);
      yield* this.unlock_page(page);
      yield* this.put_page(page);
    }
  },
};

declare module './context.js' {
  interface KernelFunctions extends MethodsOf<typeof filemap> {}
}
