/*
 * Re: [PATCH] mm: page_alloc: fix memcg accounting leak in speculative cache
 * lookup (Matthew Wilcox, 2021-03-26): "something more like my original patch",
 * with page->memcg_data cached before put_page_testzero(), "just like we cache
 * the Head flag in Johannes' patch".
 */
void __free_pages(struct page *page, unsigned int order)
{
	bool compound = PageHead(page);
	unsigned long memcg_data = page->memcg_data;

	if (put_page_testzero(page))
		free_the_page(page, order);
	else if (!compound) {
		while (order-- > 0) {
			struct page *tail = page + (1 << order);
#ifdef CONFIG_MEMCG
			tail->memcg_data = memcg_data;
#endif
			free_the_page(tail, order);
		}
	}
}
EXPORT_SYMBOL(__free_pages);
