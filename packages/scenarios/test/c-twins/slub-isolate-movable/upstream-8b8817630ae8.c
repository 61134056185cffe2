/*
 * 8b8817630ae8 "mm/migrate: make isolate_movable_page() skip slab pages"
 * (mm/migrate.c, 6.2-rc1): the shape of v1, merged.
 * The model's isolate_movable_page() takes no isolate_mode_t (mode is not
 * passed) and returns true when it isolated the page (the kernel's 0). From
 * trylock_page() on it runs the model's isolate_locked_movable(): trylock_page,
 * PageMovable, PageIsolated, mops->isolate_page, SetPageIsolated, unlock_page.
 */
bool isolate_movable_page(struct page *page, isolate_mode_t mode)
{
	if (unlikely(!get_page_unless_zero(page)))
		goto out;

	if (unlikely(PageSlab(page)))
		goto out_putpage;
	/* Pairs with smp_wmb() in slab freeing, e.g. SLUB's __free_slab() */
	smp_rmb();
	/*
	 * Check PageMovable before holding a PG_lock because page's owner
	 * assumes anybody doesn't touch PG_lock of newly allocated page
	 * so unconditionally grabbing the lock ruins page's owner side.
	 */
	if (unlikely(!__PageMovable(page)))
		goto out_putpage;
	/* Pairs with smp_wmb() in slab allocation, e.g. SLUB's alloc_slab_page() */
	smp_rmb();
	if (unlikely(PageSlab(page)))
		goto out_putpage;

	return isolate_locked_movable(page);

out_putpage:
	put_page(page);
out:
	return false;
}
