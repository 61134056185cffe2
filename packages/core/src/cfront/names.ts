import * as gfp from '../kernel/gfp.js';
import * as flags from '../kernel/page-flags.js';
import { EBUSY } from '../kernel/huge-memory.js';
import { PAGE_SHIFT, PAGE_SIZE } from '../kernel/data.js';
import { FLAGS, INDEX, LRU_NEXT, MAPCOUNT, MAPPING, MEMCG_DATA, PRIVATE } from '../machine/layout.js';
import { LIST_POISON1, LIST_POISON2 } from '../machine/addresses.js';
import { BOOL, INT, VOID, type CType } from './context.js';

/**
 * The names C code may use besides kernel functions: the structs whose
 * fields are words of the model's struct page, the structs the model keeps
 * as objects, and the constants.
 */

/** A field that is a word of the model's struct page: its slot, and whether a store writes 32 bits. */
export interface WordField {
  readonly slot: number;
  readonly bits: 32 | 64;
  readonly type: CType;
}

const ptr = (struct: string): CType => ({ kind: 'words', struct });

/** struct page / folio / slab fields (include/linux/mm_types.h, mm/slab.h, v6.1) as the model's slots. */
export const WORD_FIELDS: Readonly<Record<string, Readonly<Record<string, WordField>>>> = {
  page: {
    flags: { slot: FLAGS, bits: 64, type: INT },
    compound_head: { slot: LRU_NEXT, bits: 64, type: INT },
    mapping: { slot: MAPPING, bits: 64, type: INT },
    index: { slot: INDEX, bits: 64, type: INT },
    private: { slot: PRIVATE, bits: 64, type: INT },
    page_type: { slot: MAPCOUNT, bits: 32, type: INT },
    memcg_data: { slot: MEMCG_DATA, bits: 64, type: INT },
  },
  folio: {
    flags: { slot: FLAGS, bits: 64, type: INT },
    mapping: { slot: MAPPING, bits: 64, type: INT },
    index: { slot: INDEX, bits: 64, type: INT },
    private: { slot: PRIVATE, bits: 64, type: INT },
    memcg_data: { slot: MEMCG_DATA, bits: 64, type: INT },
  },
  slab: {
    __page_flags: { slot: FLAGS, bits: 64, type: INT },
    slab_cache: { slot: LRU_NEXT, bits: 64, type: { kind: 'object', struct: 'kmem_cache' } },
    freelist: { slot: INDEX, bits: 64, type: INT },
    counters: { slot: PRIVATE, bits: 64, type: INT },
    memcg_data: { slot: MEMCG_DATA, bits: 64, type: INT },
  },
};

/** Structs the model keeps as objects: their fields are read as properties, with no step. */
export const OBJECT_FIELDS: Readonly<Record<string, Readonly<Record<string, { readonly prop: string; readonly type: CType }>>>> = {
  kmem_cache: { order: { prop: 'order', type: INT }, name: { prop: 'name', type: INT } },
  vm_area_struct: {
    vm_start: { prop: 'vm_start', type: INT },
    vm_end: { prop: 'vm_end', type: INT },
    anon_vma: { prop: 'anon_vma', type: INT },
  },
  vm_fault: {
    vma: { prop: 'vma', type: { kind: 'object', struct: 'vm_area_struct' } },
    address: { prop: 'address', type: INT },
    pte: { prop: 'pte', type: { kind: 'ptr', name: 'pte_t' } },
  },
};

/** The type a declaration's type specifier and pointer depth give. */
export function typeOf(spec: string, structName: string | undefined, pointer: boolean): CType | string {
  if (structName !== undefined) {
    if (!pointer) return `a struct ${structName} by value (only pointers to structs are supported)`;
    if (structName in WORD_FIELDS) return ptr(structName);
    if (structName in OBJECT_FIELDS) return { kind: 'object', struct: structName };
    return { kind: 'ptr', name: `struct ${structName}` };
  }
  if (pointer) return { kind: 'ptr', name: spec };
  if (spec === 'void') return VOID;
  if (spec === 'bool' || spec === '_Bool') return BOOL;
  if (spec === 'float' || spec === 'double') return `floating point type '${spec}'`;
  return INT;
}

/** Constants: GFP flags, page flag numbers, errno values, page geometry, NULL, true, false. */
export const CONSTANTS: ReadonlyMap<string, number | boolean | null> = new Map<string, number | boolean | null>([
  ...Object.entries(gfp).filter(([n, v]) => /^_*GFP_/.test(n) && typeof v === 'number') as [string, number][],
  ...Object.entries(flags).filter(([n, v]) => /^(PG_|PAGE_MAPPING_)/.test(n) && typeof v === 'number') as [string, number][],
  ['EBUSY', EBUSY], ['EINVAL', 22], ['ENOMEM', 12], ['EAGAIN', 11],
  ['PAGE_SHIFT', PAGE_SHIFT], ['PAGE_SIZE', PAGE_SIZE], ['PMD_SHIFT', 21],
  ['LIST_POISON1', LIST_POISON1], ['LIST_POISON2', LIST_POISON2],
  ['NULL', null], ['true', true], ['false', false],
]);

/** Kernel config options #ifdef and IS_ENABLED() may ask about, and the model kernel's answer. */
type ConfigAnswer = (k: { readonly memcgEnabled: boolean; readonly rcuEnabled: boolean }) => boolean;
export const CONFIG_OPTIONS: ReadonlyMap<string, ConfigAnswer> = new Map<string, ConfigAnswer>([
  ['CONFIG_MEMCG', (k) => k.memcgEnabled],
  ['CONFIG_MEMCG_KMEM', (k) => k.memcgEnabled],
  ['CONFIG_SLUB', () => true],
  ['CONFIG_TRANSPARENT_HUGEPAGE', () => true],
  ['CONFIG_MMU', () => true],
  ['CONFIG_64BIT', () => true],
  ['CONFIG_SMP', () => true],
  ['CONFIG_DEBUG_VM', () => false],
]);
