/**
 * Pointer values, encoded in 32 bits. The ranges mirror the kernel's address map
 * closely enough for the checks that matter: NULL and the poison values are
 * small, objects live in a symbol region, struct pages in a vmemmap region.
 *
 * - poison: LIST_POISON1 0x100, LIST_POISON2 0x122, TAIL_MAPPING 0x400
 *   (include/linux/poison.h, with POISON_POINTER_DELTA 0)
 * - symbols (functions, kmem_caches, movable_operations, address_spaces, memcgs): 0x1000_0000 ..
 * - global words (zone free lists and counters): 0x2000_0000 + 8 * location
 * - vmemmap: 0x4000_0000 + 64 * pfn
 */
export const NULL = 0;
export const POISON_POINTER_DELTA = 0;
/** include/linux/poison.h */
export const LIST_POISON1 = 0x100 + POISON_POINTER_DELTA;
/** include/linux/poison.h */
export const LIST_POISON2 = 0x122 + POISON_POINTER_DELTA;
/** include/linux/poison.h: TAIL_MAPPING, in the mapping word of tail pages >= 2. */
export const TAIL_MAPPING = 0x400 + POISON_POINTER_DELTA;

export const SYMBOL_BASE = 0x1000_0000;
export const GLOBAL_BASE = 0x2000_0000;
export const VMEMMAP_BASE = 0x4000_0000;
/** The vmemmap region's end: pfns up to 8M (32 GiB of 4 KiB pages). */
export const MAX_PFN = 8 * 1024 * 1024;

/**
 * The struct page address of a pfn.
 * @example
 * ```ts
 * addrToPfn(pfnToAddr(16)); // 16
 * ```
 * @remarks Since 0.1.0
 */
export function pfnToAddr(pfn: number): number {
  return VMEMMAP_BASE + pfn * 64;
}

/**
 * The pfn of a struct page address, or -1 if `addr` is not the start of a struct page.
 * @example
 * ```ts
 * addrToPfn(pfnToAddr(16)); // 16
 * ```
 * @remarks Since 0.1.0
 */
export function addrToPfn(addr: number): number {
  const off = addr - VMEMMAP_BASE;
  if (off < 0 || (off & 63) !== 0 || off >= MAX_PFN * 64) return -1;
  return off / 64;
}

/** The address of a global word. */
export function globalAddr(loc: number): number {
  return GLOBAL_BASE + loc * 8;
}
