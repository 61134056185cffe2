import type { Kernel, KGen, MethodsOf } from './context.js';
import { GLOBAL_BASE, LIST_POISON1, LIST_POISON2, MAX_PFN, VMEMMAP_BASE } from '../machine/addresses.js';
import { WORD_SLOT } from '../machine/layout.js';

/**
 * Doubly linked lists threaded through words (include/linux/list.h, v5.10).
 * A `list_head *` is an address: a struct page word (`&page->lru`,
 * `&folio->_deferred_list`) or a global word pair (a free_area list head).
 */
export const list = {
  /** Location of `list->next` (`which` 0) or `list->prev` (`which` 1); reports a wild pointer. For the kernel model's own list code (a Kernel member because the modules merge into Kernel, so the .d.ts cannot strip it). */
  listLoc(this: Kernel, addr: number, which: 0 | 1, fn: string): number {
    // Integer arithmetic (every address is below 2^31): `off & 63` for `off % 64`, which on a number V8 cannot prove an integer is a floating-point remainder.
    if (addr >= GLOBAL_BASE && addr < VMEMMAP_BASE && Number.isInteger(addr) && ((addr - GLOBAL_BASE) & 7) === 0) {
      const loc = ((addr - GLOBAL_BASE) >>> 3) + which;
      if (loc >= this.m.globalsBase && loc < this.m.memory.size) return loc;
    } else if (addr >= VMEMMAP_BASE && addr < VMEMMAP_BASE + MAX_PFN * 64 && Number.isInteger(addr)) {
      const off = addr - VMEMMAP_BASE;
      const pfn = off >>> 6;
      const byte = off & 63;
      if ((byte & 7) === 0 && (byte >>> 3) + which <= 7 && this.m.valid(pfn)) {
        return this.m.loc(pfn, WORD_SLOT[(byte >>> 3) + which]!);
      }
    }
    return this.bug('wild-deref', `${fn}: list pointer 0x${(addr >>> 0).toString(16)} does not point at a list_head`, -1);
  },

  /** INIT_LIST_HEAD: list->next = list->prev = list. */
  *INIT_LIST_HEAD(this: Kernel, head: number): KGen<void> {
    yield this.m.gst(this.listLoc(head, 0, 'INIT_LIST_HEAD'), head, 'INIT_LIST_HEAD');
    yield this.m.gst(this.listLoc(head, 1, 'INIT_LIST_HEAD'), head, 'INIT_LIST_HEAD');
  },

  /** list_add(new, head): insert after head (include/linux/list.h). */
  *list_add(this: Kernel, entry: number, head: number): KGen<void> {
    const next: number = yield this.m.gld(this.listLoc(head, 0, 'list_add'), 'list_add');
    // __list_add(new, prev = head, next)
    yield this.m.gst(this.listLoc(next, 1, 'list_add'), entry, 'list_add');
    yield this.m.gst(this.listLoc(entry, 0, 'list_add'), next, 'list_add');
    yield this.m.gst(this.listLoc(entry, 1, 'list_add'), head, 'list_add');
    yield this.m.gst(this.listLoc(head, 0, 'list_add'), entry, 'list_add');
  },

  /** list_add_tail(new, head): insert before head. */
  *list_add_tail(this: Kernel, entry: number, head: number): KGen<void> {
    const prev: number = yield this.m.gld(this.listLoc(head, 1, 'list_add_tail'), 'list_add_tail');
    yield this.m.gst(this.listLoc(head, 1, 'list_add_tail'), entry, 'list_add_tail');
    yield this.m.gst(this.listLoc(entry, 0, 'list_add_tail'), head, 'list_add_tail');
    yield this.m.gst(this.listLoc(entry, 1, 'list_add_tail'), prev, 'list_add_tail');
    yield this.m.gst(this.listLoc(prev, 0, 'list_add_tail'), entry, 'list_add_tail');
  },

  /** list_del(entry): unlink and poison (include/linux/list.h). */
  *list_del(this: Kernel, entry: number): KGen<void> {
    const prev: number = yield this.m.gld(this.listLoc(entry, 1, 'list_del'), 'list_del');
    const next: number = yield this.m.gld(this.listLoc(entry, 0, 'list_del'), 'list_del');
    // __list_del(prev, next)
    yield this.m.gst(this.listLoc(next, 1, 'list_del'), prev, 'list_del');
    yield this.m.gst(this.listLoc(prev, 0, 'list_del'), next, 'list_del');
    yield this.m.gst(this.listLoc(entry, 0, 'list_del'), LIST_POISON1, 'list_del');
    yield this.m.gst(this.listLoc(entry, 1, 'list_del'), LIST_POISON2, 'list_del');
  },

  /** list_del_init(entry): unlink and point at itself. */
  *list_del_init(this: Kernel, entry: number): KGen<void> {
    const prev: number = yield this.m.gld(this.listLoc(entry, 1, 'list_del_init'), 'list_del_init');
    const next: number = yield this.m.gld(this.listLoc(entry, 0, 'list_del_init'), 'list_del_init');
    yield this.m.gst(this.listLoc(next, 1, 'list_del_init'), prev, 'list_del_init');
    yield this.m.gst(this.listLoc(prev, 0, 'list_del_init'), next, 'list_del_init');
    yield this.m.gst(this.listLoc(entry, 0, 'list_del_init'), entry, 'list_del_init');
    yield this.m.gst(this.listLoc(entry, 1, 'list_del_init'), entry, 'list_del_init');
  },

  /** list_empty(head): READ_ONCE(head->next) == head. */
  *list_empty(this: Kernel, head: number): KGen<boolean> {
    const next: number = yield this.m.gld(this.listLoc(head, 0, 'list_empty'), 'list_empty', (v) => String(v === head));
    return next === head;
  },
};

declare module './context.js' {
  interface KernelFunctions extends MethodsOf<typeof list> {}
}
