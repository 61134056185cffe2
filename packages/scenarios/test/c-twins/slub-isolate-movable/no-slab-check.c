/*
 * Before 8b8817630ae8 (mm/migrate.c and mm/slub.c, v6.1): isolate_movable_page()
 * has no slab test; SLUB sets and clears PG_slab with no barrier and clears it
 * before folio->mapping = NULL.
 * The model's isolate_movable_page() takes no isolate_mode_t (mode is not
 * passed) and returns true when it isolated the page (the kernel's 0). From
 * trylock_page() on it runs the model's isolate_locked_movable(): trylock_page,
 * PageMovable, PageIsolated, mops->isolate_page, SetPageIsolated, unlock_page.
 */
bool isolate_movable_page(struct page *page, isolate_mode_t mode)
{
	/*
	 * Avoid burning cycles with pages that are yet under __free_pages(),
	 * or just got freed under us.
	 */
	if (unlikely(!get_page_unless_zero(page)))
		goto out;

	/*
	 * Check PageMovable before holding a PG_lock because page's owner
	 * assumes anybody doesn't touch PG_lock of newly allocated page
	 * so unconditionally grabbing the lock ruins page's owner side.
	 */
	if (unlikely(!__PageMovable(page)))
		goto out_putpage;

	return isolate_locked_movable(page);

out_putpage:
	put_page(page);
out:
	return false;
}

/* The model's alloc_slab_page() takes the cache: flags and order are its oo's. */
static inline struct slab *alloc_slab_page(struct kmem_cache *s)
{
	struct folio *folio;
	gfp_t flags = s->order > 0 ? GFP_KERNEL | __GFP_COMP : GFP_KERNEL;

	folio = (struct folio *)alloc_pages(flags, s->order);
	if (!folio)
		return NULL;

	__folio_set_slab(folio);
	return folio_slab(folio);
}

/* The debug checks, reclaim_state and unaccount_slab() are not modelled. */
static void __free_slab(struct kmem_cache *s, struct slab *slab)
{
	struct folio *folio = slab_folio(slab);
	int order = folio_order(folio);

	__slab_clear_pfmemalloc(slab);
	__folio_clear_slab(folio);
	folio->mapping = NULL;
	__free_pages(folio_page(folio, 0), order);
}
