import type { Kernel, KGen, MethodsOf } from './context.js';
import { addrToPfn, NULL, pfnToAddr } from '../machine/addresses.js';

/**
 * A file's page cache: `struct address_space` with its `i_pages` xarray. The
 * xarray is one level of slots, one global word per page index: no xa_node
 * tree, no multi-order entries, no marks, no retry entries.
 * @remarks Since 0.2.0
 */
export interface AddressSpace {
  readonly name: string;
  /** The address_space's address: what page->mapping holds. */
  readonly addr: number;
  /** i_pages.xa_lock, a spinlock word. */
  readonly xaLock: number;
  /** mapping->nrpages. */
  readonly nrpages: number;
  /** Location of slot 0 of i_pages; slot i (page index i) is at slots + i. */
  readonly slots: number;
  readonly nrSlots: number;
}

/** XA_STATE(xas, &mapping->i_pages, index): a cursor on one slot. @remarks Since 0.2.0 */
export interface XaState {
  readonly xa: AddressSpace;
  readonly xa_index: number;
  /** How diagrams show it. */
  readonly name: string;
}

/** xa_mk_value() (include/linux/xarray.h): a value entry (shadow or swap entry), tagged with bit 0. */
export const xa_mk_value = (v: number): number => (v << 1) | 1;
/** xa_is_value() (include/linux/xarray.h). */
export const xa_is_value = (entry: number): boolean => (entry & 1) === 1;

/** Shows the page an xarray load found (or none) to the stale-lookup checker. */
function noteFound(k: Kernel, entry: number, where: string): void {
  const pfn = addrToPfn(entry);
  k.checkLookup('found', entry === NULL || xa_is_value(entry) || pfn < 0 || !k.m.valid(pfn) ? -1 : pfn, where);
}

/**
 * The xarray operations the page cache uses (lib/xarray.c, include/linux/xarray.h,
 * v5.10), on a one-level array of slots: a load or store of a slot is one step.
 */
export const xarray = {
  /** XA_STATE(): a cursor on `mapping->i_pages` at `index`; checks that the mapping exists and the index fits. */
  XA_STATE(this: Kernel, mapping: AddressSpace, index: number): XaState {
    const xa = this.mappingOf(mapping, 'XA_STATE');
    if (!Number.isInteger(index) || index < 0 || index >= xa.nrSlots) {
      throw new RangeError(`XA_STATE: index ${String(index)} is outside ${xa.name}'s page cache (indexes 0..${xa.nrSlots - 1}; give createMapping more slots)`);
    }
    return { xa, xa_index: index, name: `xas(${xa.name}, ${index})` };
  },

  /** Model helper (no kernel function): the address_space a mapping argument names, checked; a mapping this kernel does not have is a clear error. */
  mappingOf(this: Kernel, mapping: AddressSpace, fn: string): AddressSpace {
    const what = mapping === null || typeof mapping !== 'object' ? String(mapping) : `'${String(mapping.name)}'`;
    const sym = mapping === null || typeof mapping !== 'object' ? undefined : this.symbols.at(mapping.addr);
    if (sym === undefined || sym.kind !== 'address_space' || sym.name !== mapping.name || sym.words.slots !== mapping.slots) {
      throw new TypeError(`${fn}: mapping ${what} does not exist in this kernel; create it in setup with k.createMapping(name, slots) and pass the object it returns`);
    }
    return mapping;
  },

  /**
   * xas_load() (lib/xarray.c, v5.10): rcu_dereference of the slot, one marked
   * load (READ_ONCE); the callers that follow the entry give their accesses an
   * address dependency on it under the weak memory model (find_get_entry).
   */
  *xas_load(this: Kernel, xas: XaState): KGen<number> {
    const entry: number = yield this.m.gld(xas.xa.slots + xas.xa_index, 'xas_load', (v) => this.describeEntry(v));
    noteFound(this, entry, 'xas_load');
    return entry;
  },

  /** xas_reload() (include/linux/xarray.h, v5.10): load the slot again (the one-level array has no node to re-walk). */
  *xas_reload(this: Kernel, xas: XaState): KGen<number> {
    const entry: number = yield this.m.gld(xas.xa.slots + xas.xa_index, 'xas_reload', (v) => this.describeEntry(v));
    noteFound(this, entry, 'xas_reload');
    return entry;
  },

  /** xas_store() (lib/xarray.c, v5.10): rcu_assign_pointer of the slot; the caller holds xa_lock. */
  *xas_store(this: Kernel, xas: XaState, entry: number): KGen<number> {
    const loc = xas.xa.slots + xas.xa_index;
    const old: number = yield this.m.gld(loc, 'xas_store: old entry', (v) => this.describeEntry(v));
    yield this.m.gst(loc, entry, `xas_store(${this.describeEntry(entry)})`);
    return old;
  },

  /** xas_retry() (include/linux/xarray.h): true for a retry or zero entry, which a one-level array never holds. */
  xas_retry(this: Kernel, _xas: XaState, _entry: number): boolean {
    return false;
  },

  /** xa_lock_irqsave(&mapping->i_pages, flags): spin_lock_irqsave of the xarray's lock. */
  *xa_lock_irqsave(this: Kernel, mapping: AddressSpace): KGen<void> {
    yield* this.local_irq_save();
    yield* this.spin_lock(mapping.xaLock);
  },

  /** xa_unlock_irqrestore(&mapping->i_pages, flags). */
  *xa_unlock_irqrestore(this: Kernel, mapping: AddressSpace): KGen<void> {
    yield* this.spin_unlock(mapping.xaLock);
    yield* this.local_irq_restore();
  },

  /** Model helper (no kernel function): how a diagram shows an xarray entry, a page by its name, NULL, or a value entry. */
  describeEntry(this: Kernel, entry: number): string {
    if (entry === NULL) return 'NULL';
    if (xa_is_value(entry)) return `xa_mk_value(${entry >>> 1})`;
    const pfn = addrToPfn(entry);
    return pfn >= 0 && this.m.valid(pfn) ? this.describe(pfn) : `0x${(entry >>> 0).toString(16)}`;
  },
};

/** A struct page pointer as an xarray entry. */
export const pageEntry = (pfn: number): number => pfnToAddr(pfn);

declare module './context.js' {
  interface KernelFunctions extends MethodsOf<typeof xarray> {}
}
