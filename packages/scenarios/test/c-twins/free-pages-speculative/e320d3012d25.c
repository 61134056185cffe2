/* mm/page_alloc.c, v5.10: e320d3012d25 "mm/page_alloc.c: fix freeing non-compound pages" */
void __free_pages(struct page *page, unsigned int order)
{
	if (put_page_testzero(page))
		free_the_page(page, order);
	else if (!PageHead(page))
		while (order-- > 0)
			free_the_page(page + (1 << order), order);
}
EXPORT_SYMBOL(__free_pages);
