/*
 * [PATCH] mm: page_alloc: fix allocation imbalances from speculative cache lookup
 * (Johannes Weiner, v2, 2021-03-23), the patched function as mailed.
 */
void __free_pages(struct page *page, unsigned int order)
{
	bool compound = PageHead(page);

	/*
	 * Drop the base reference from __alloc_pages and free. In
	 * case there is an outstanding speculative reference, from
	 * e.g. the page cache, it will put and free the page later.
	 */
	if (likely(put_page_testzero(page))) {
		free_the_page(page, order);
		return;
	}

	/*
	 * Ok, the speculative reference will put and free the page.
	 *
	 * - If this was an order-0 page, we're done.
	 *
	 * - If the page was compound, the other side will free the
	 *   entire page and we're done here as well. Just note that
	 *   freeing clears PG_head, so it can only be read reliably
	 *   before the put_page_testzero().
	 *
	 * - If the page was of higher order but NOT marked compound,
	 *   the other side will know nothing about our buddy pages
	 *   and only free the order-0 page at the start of our block.
	 *   We must split off and free the buddy pages here.
	 *
	 * The buddy pages aren't individually refcounted, so they
	 * can't have any pending speculative references themselves.
	 */
	if (order > 0 && !compound) {
		split_page_memcg(page, 1 << order);
		while (order-- > 0)
			free_the_page(page + (1 << order), order);
	}
}
EXPORT_SYMBOL(__free_pages);
