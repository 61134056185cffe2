import type { Kernel, KGen, MethodsOf } from './context.js';
import { DATA } from '../machine/layout.js';
import { safeString } from '../engine/safe-string.js';

/** Kernel virtual addresses of the direct map: PAGE_OFFSET + (pfn << PAGE_SHIFT). */
export const PAGE_OFFSET = 2 ** 40;
export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;

/** Page contents: the direct map and data accesses (KASAN's view). */
export const data = {
  /** page_address(): the page's direct-map address. */
  page_address(this: Kernel, page: number): number {
    if (!this.m.valid(page)) throw new RangeError(`page_address: pfn ${safeString(page)} is outside the memmap [${this.m.startPfn}, ${this.m.startPfn + this.m.nrPages})`);
    return PAGE_OFFSET + page * PAGE_SIZE;
  },
  /** virt_to_page(): the struct page of a direct-map address. */
  virt_to_page(this: Kernel, addr: number): number {
    const pfn = Math.floor((addr - PAGE_OFFSET) / PAGE_SIZE);
    if (!Number.isFinite(addr) || addr < PAGE_OFFSET || !this.m.valid(pfn)) {
      throw new RangeError(`virt_to_page: 0x${addr.toString(16)} is not a direct-map address of this kernel (VM_BUG_ON(!virt_addr_valid(addr)))`);
    }
    return pfn;
  },
  /**
   * Reads (or with `write`, writes) the contents of `1 << order` pages from
   * `page` (a copy, a memset): a use-after-free if any of them is free. One
   * step per page, on the page's data word.
   */
  *use_page_data(this: Kernel, page: number, order = 0, what = 'access page data', write = false): KGen<void> {
    for (let i = 0; i < 1 << order; i++) {
      const p = this.validPage(page + i, what);
      if (write) yield this.m.st32(p, DATA, 1, what);
      else yield this.m.ld(p, DATA, what);
      this.touchData(p, 0, what);
    }
  },
};

declare module './context.js' {
  interface KernelFunctions extends MethodsOf<typeof data> {}
}
