/**
 * struct page as words. The kernel's struct page is eight 64-bit words
 * (include/linux/mm_types.h, v5.10 .. v6.2):
 *
 *   0 flags   1 lru.next | compound_head | slab_cache   2 lru.prev   3 mapping
 *   4 index   5 private   6 _mapcount | _refcount      7 memcg_data
 *
 * The model keeps them in one Int32Array, structure of arrays: slot `s` of the
 * page at index `i` is at location `s * nrPages + i`. A slot is 32 bits. Pointer
 * values are encoded in 32 bits (see `addresses.ts`). Where the kernel packs two
 * 32-bit fields into one word the model gives each half a slot: word 6 is
 * `_mapcount` and `_refcount`; words 2 and 3 have an upper-half slot, used by
 * page[1] of a folio (`_entire_mapcount` and `_pincount`) and cleared by every
 * 64-bit store to the word (a list pointer written over them clears them, as in
 * the kernel).
 */
export const FLAGS = 0;
/** Word 1: lru.next, compound_head (bit 0 = tail), slab's slab_cache. */
export const LRU_NEXT = 1;
/** Word 2, low half: lru.prev; page[1]: _folio_dtor (byte 0) and _folio_order (byte 1). */
export const LRU_PREV = 2;
/** Word 2, upper half: page[1]'s _entire_mapcount (compound_mapcount). */
export const LRU_PREV_HI = 3;
/** Word 3, low half: mapping; page[1]: _nr_pages_mapped; slab: slab_list.prev / rcu_head.func. */
export const MAPPING = 4;
/**
 * Word 3, upper half: page[1]'s compound_pincount (v5.18 .. v6.2; folio->_pincount in v6.3).
 * v5.8 .. v5.17 kept the pincount of orders > 1 in page[2]'s word 2 (hpage_pinned_refcount),
 * where the model's v5.12 prep_compound_page() sets it.
 */
export const MAPPING_HI = 5;
/** Word 4: index; slab: freelist. */
export const INDEX = 6;
/** Word 5: private (buddy order); slab: counters. */
export const PRIVATE = 7;
/** Word 6, low half: _mapcount, or page_type for PageBuddy. */
export const MAPCOUNT = 8;
/** Word 6, upper half: _refcount. */
export const REFCOUNT = 9;
/** Word 7: memcg_data. */
export const MEMCG_DATA = 10;

/**
 * Not a struct page word: the page's contents, as one word. Data accesses
 * (memset, copies) and the allocator's poisoning at free touch it, so the
 * engine sees a use-after-free race as a race on a location.
 */
export const DATA = 11;

export const NR_SLOTS = 12;

/** Slot names, for messages and diagrams. */
export const SLOT_NAMES: readonly string[] = [
  'flags', 'lru.next', 'lru.prev', 'lru.prev(hi)', 'mapping', 'mapping(hi)', 'index', 'private', '_mapcount', '_refcount', 'memcg_data', 'data',
];

/** The 64-bit word (0..7) that holds each slot. */
export const SLOT_WORD: readonly number[] = [0, 1, 2, 2, 3, 3, 4, 5, 6, 6, 7, -1];

/** Low slot of each 64-bit word: where a pointer stored at word w lands. */
export const WORD_SLOT: readonly number[] = [FLAGS, LRU_NEXT, LRU_PREV, MAPPING, INDEX, PRIVATE, MAPCOUNT, MEMCG_DATA];

/** The upper-half slot of a word, cleared by a 64-bit store to it, or -1. */
export const HI_SLOT: readonly number[] = [-1, -1, LRU_PREV_HI, LRU_PREV_HI, MAPPING_HI, MAPPING_HI, -1, -1, -1, -1, -1, -1];

/** sizeof(struct page) in the kernel, for address arithmetic. */
export const STRUCT_PAGE_SIZE = 64;
