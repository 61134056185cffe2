/** enum pageflags (include/linux/page-flags.h, v5.10), bit numbers in page->flags. */
export const PG_locked = 0;
export const PG_referenced = 1;
export const PG_uptodate = 2;
export const PG_dirty = 3;
export const PG_lru = 4;
export const PG_active = 5;
export const PG_workingset = 6;
export const PG_waiters = 7;
export const PG_error = 8;
export const PG_slab = 9;
export const PG_owner_priv_1 = 10;
export const PG_arch_1 = 11;
export const PG_reserved = 12;
export const PG_private = 13;
export const PG_private_2 = 14;
export const PG_writeback = 15;
export const PG_head = 16;
export const PG_mappedtodisk = 17;
export const PG_reclaim = 18;
export const PG_swapbacked = 19;
export const PG_unevictable = 20;
export const PG_mlocked = 21;
export const NR_PAGEFLAGS = 22;
/** PG_isolated aliases PG_reclaim (include/linux/page-flags.h). */
export const PG_isolated = PG_reclaim;
/**
 * Bit 22 of page->flags: compound_lock of 3.x kernels (PG_compound_lock, v3.12 with
 * CONFIG_TRANSPARENT_HUGEPAGE), above the later kernels' NR_PAGEFLAGS. Only the 3.x
 * code sets it; the free and prep checks include it as 3.x's do, so a lock bit
 * left set is a Bad page state.
 */
export const PG_compound_lock = 22;

/** The zone id lives in the top bits of page->flags (page_zonenum). */
export const ZONES_SHIFT = 28;
export const ZONES_MASK = 0x7;

/** __PG_COMPOUND_LOCK (include/linux/page-flags.h, v3.12, CONFIG_TRANSPARENT_HUGEPAGE); 0 from 4.5 on, no later code sets the bit. */
export const __PG_COMPOUND_LOCK = 1 << PG_compound_lock;
/**
 * include/linux/page-flags.h (v5.10): flags that must be clear when a page is freed;
 * with v3.12's __PG_COMPOUND_LOCK for the 3.x code.
 */
export const PAGE_FLAGS_CHECK_AT_FREE =
  (1 << PG_lru) | (1 << PG_locked) | (1 << PG_private) | (1 << PG_private_2) | (1 << PG_writeback) |
  (1 << PG_reserved) | (1 << PG_slab) | (1 << PG_active) | (1 << PG_unevictable) | (1 << PG_mlocked) | __PG_COMPOUND_LOCK;
/**
 * include/linux/page-flags.h (v5.10): every page flag must be clear when a page is
 * allocated ((1 << NR_PAGEFLAGS) - 1); PG_compound_lock too, as in v3.12, where it is below NR_PAGEFLAGS.
 */
export const PAGE_FLAGS_CHECK_AT_PREP = ((1 << NR_PAGEFLAGS) - 1) | __PG_COMPOUND_LOCK;

/** page_type values in the _mapcount word (include/linux/page-flags.h, v5.10). */
export const PAGE_TYPE_BASE = 0xf0000000 | 0;
export const PG_buddy = 0x00000080;
export const PG_offline = 0x00000100;
export const PG_table = 0x00000200;
export const PG_guard = 0x00000400;

/** page->mapping low bits (include/linux/page-flags.h). */
export const PAGE_MAPPING_ANON = 0x1;
export const PAGE_MAPPING_MOVABLE = 0x2;
export const PAGE_MAPPING_KSM = PAGE_MAPPING_ANON | PAGE_MAPPING_MOVABLE;
export const PAGE_MAPPING_FLAGS = PAGE_MAPPING_ANON | PAGE_MAPPING_MOVABLE;

/** memcg_data low bits (include/linux/memcontrol.h, v5.11+). */
export const MEMCG_DATA_OBJCGS = 0x1;
export const MEMCG_DATA_KMEM = 0x2;
export const MEMCG_DATA_FLAGS_MASK = 0x3;

/**
 * Names the set bits of a flags word.
 * @example
 * ```ts
 * flagNames((1 << PG_head) | (1 << PG_locked)); // 'locked|head'
 * ```
 * @remarks Since 0.1.0
 */
export function flagNames(flags: number): string {
  const names = ['locked', 'referenced', 'uptodate', 'dirty', 'lru', 'active', 'workingset', 'waiters', 'error', 'slab',
    'owner_priv_1', 'arch_1', 'reserved', 'private', 'private_2', 'writeback', 'head', 'mappedtodisk', 'reclaim',
    'swapbacked', 'unevictable', 'mlocked', 'compound_lock'];
  const out: string[] = [];
  for (let i = 0; i < names.length; i++) if ((flags & (1 << i)) !== 0) out.push(names[i]!);
  return out.join('|');
}
