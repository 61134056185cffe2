import type { Kernel, KGen, MethodsOf } from './context.js';
import { RMW_ADD } from '../engine/op.js';
import { INDEX, LRU_NEXT, MAPPING, PRIVATE } from '../machine/layout.js';
import { NULL, pfnToAddr } from '../machine/addresses.js';
import { GFP_KERNEL, __GFP_COMP } from './gfp.js';
import { PG_active } from './page-flags.js';

/** A kmem_cache as the model needs it: its address and its node's partial list. */
export interface KmemCache {
  readonly name: string;
  readonly addr: number;
  /** Slab order (oo_order). */
  readonly order: number;
  /** SLAB_TYPESAFE_BY_RCU: slabs are freed through call_rcu(). */
  readonly rcu: boolean;
  /** kmem_cache_node->partial list head (an address) and nr_partial (a location). */
  readonly partial: number;
  readonly nrPartial: number;
}

/**
 * struct slab over struct page words, SLUB layout after 130d4df57390
 * "mm/sl[au]b: rearrange struct slab fields to allow larger rcu_head" (v6.2):
 * word 1 slab_cache, words 2-3 slab_list (or rcu_head: next, func), word 4
 * freelist, word 5 counters. slab_list.prev and rcu_head.func are the mapping word.
 */
export const slabListAddr = (slab: number): number => pfnToAddr(slab) + 16;

/** SLUB (mm/slub.c, v6.2) as far as the slab page's life goes: allocate, partial list, free (through RCU). */
export const slab = {
  /** kmem_cache_create(): a cache whose slabs are `order`; `rcu` for SLAB_TYPESAFE_BY_RCU. Call it in setup. */
  kmem_cache_create(this: Kernel, name: string, order: number, rcu: boolean): KmemCache {
    const sym = this.symbols.add(name, 'kmem_cache');
    const partial = this.object(`${name}->node->partial`, 2);
    const nrPartial = this.m.allocGlobal(`${name}->node->nr_partial`);
    const words = this.m.words;
    words[this.listLoc(partial, 0, 'kmem_cache_create')] = partial;
    words[this.listLoc(partial, 1, 'kmem_cache_create')] = partial;
    if (rcu && !this.rcuCallbacks.has(this.symbolAddr('rcu_free_slab'))) throw new Error('kmem_cache_create: define rcu_free_slab first (k.define_rcu_free_slab())');
    return { name, addr: sym.addr, order, rcu, partial, nrPartial };
  },

  /**
   * Registers SLUB's rcu_free_slab() as an RCU callback. `lowBits` gives its
   * address low bits: under CONFIG_CC_OPTIMIZE_FOR_SIZE a function may sit at
   * an address ending in binary 10, which passes __PageMovable().
   */
  define_rcu_free_slab(this: Kernel, lowBits: number, caches: () => readonly KmemCache[]): number {
    // rcu_free_slab() (mm/slub.c, v6.2): __free_slab(slab->slab_cache, slab)
    return this.defineFunction('rcu_free_slab', function* rcu_free_slab(k: Kernel, head: number): KGen<void> {
      const slab = (head - 16 - pfnToAddr(0)) / 64;
      const cacheAddr: number = yield k.ld(slab, LRU_NEXT, 'slab->slab_cache');
      const s = caches().find((c) => c.addr === cacheAddr);
      if (s === undefined) k.bug('wild-deref', `rcu_free_slab: slab->slab_cache is 0x${(cacheAddr >>> 0).toString(16)}, not a kmem_cache`, slab);
      yield* k.__free_slab(s, slab);
    }, lowBits);
  },

  /** alloc_slab_page() (mm/slub.c, v6.2): alloc_pages; __folio_set_slab; smp_wmb (8b8817630ae8). */
  *alloc_slab_page(this: Kernel, s: KmemCache): KGen<number | null> {
    const folio = yield* this.alloc_pages(s.order > 0 ? GFP_KERNEL | __GFP_COMP : GFP_KERNEL, s.order);
    if (folio === null) return null;
    yield* this.__folio_set_slab(folio);
    // Make the flag visible before any changes to folio->mapping
    yield this.m.fence('wmb', 'smp_wmb');
    return folio;
  },

  /** allocate_slab() (mm/slub.c, v6.2), the parts that write struct slab's words. */
  *allocate_slab(this: Kernel, s: KmemCache): KGen<number | null> {
    const slab = yield* this.alloc_slab_page(s);
    if (slab === null) return null;
    // slab->objects = oo_objects(oo); slab->inuse = 0; slab->frozen = 0;
    yield this.st(slab, PRIVATE, 8 << 16, 'slab->objects = oo_objects(oo)');
    // account_slab(); slab->slab_cache = s;
    yield this.st(slab, LRU_NEXT, s.addr, 'slab->slab_cache = s');
    // slab->freelist = start
    yield this.st(slab, INDEX, this.page_address(slab) % 0x7fffffff, 'slab->freelist = start');
    this.note(slab, `slab of ${s.name}`);
    return slab;
  },

  /** add_partial() (mm/slub.c, v6.2): list_add(&slab->slab_list, &n->partial); n->nr_partial++ (under n->list_lock). */
  *add_partial(this: Kernel, s: KmemCache, slab: number): KGen<void> {
    yield this.m.grmw(s.nrPartial, RMW_ADD, 1, 0, 'n->nr_partial++');
    yield* this.list_add(slabListAddr(slab), s.partial);
  },

  /** remove_partial() (mm/slub.c, v6.2): list_del(&slab->slab_list): slab_list.prev = LIST_POISON2 lands in the mapping word. */
  *remove_partial(this: Kernel, s: KmemCache, slab: number): KGen<void> {
    yield* this.list_del(slabListAddr(slab));
    yield this.m.grmw(s.nrPartial, RMW_ADD, -1, 0, 'n->nr_partial--');
  },

  /** free_slab() (mm/slub.c, v6.2): through call_rcu() for SLAB_TYPESAFE_BY_RCU caches. */
  *free_slab(this: Kernel, s: KmemCache, slab: number): KGen<void> {
    if (s.rcu) yield* this.call_rcu(slabListAddr(slab), 'rcu_free_slab');
    else yield* this.__free_slab(s, slab);
  },

  /** discard_slab() (mm/slub.c, v6.2). */
  *discard_slab(this: Kernel, s: KmemCache, slab: number): KGen<void> {
    yield* this.free_slab(s, slab);
  },

  /** __free_slab() (mm/slub.c, v6.2, with 8b8817630ae8): mapping = NULL; smp_wmb; __folio_clear_slab; __free_pages. */
  *__free_slab(this: Kernel, s: KmemCache, slab: number): KGen<void> {
    const folio = slab;
    const order = yield* this.folio_order(folio);
    // __slab_clear_pfmemalloc(slab): __folio_clear_active(), non-atomic
    yield* this.__clear_page_bit(folio, PG_active, '__slab_clear_pfmemalloc');
    yield this.st(folio, MAPPING, NULL, 'folio->mapping = NULL');
    // Make the mapping reset visible before clearing the flag
    yield this.m.fence('wmb', 'smp_wmb');
    yield* this.__folio_clear_slab(folio);
    void s;
    yield* this.__free_pages(folio, order);
  },
};

declare module './context.js' {
  interface KernelFunctions extends MethodsOf<typeof slab> {}
}
