/*
 * calc_anonymous_folio_order() in the RFC before the fix. Seed 004 quotes only
 * the fixed function; this is it without the two changes Ryan Roberts describes
 * ("only use non-0 order if THP is available and in that case, never allocate
 * order-1"): the loop runs down to order 1 and its result is kept.
 */
static void calc_anonymous_folio_order(struct vm_fault *vmf,
				       int *order_out,
				       unsigned long *addr_out)
{
	/*
	 * The aim here is to determine what size of folio we should allocate
	 * for this fault.
	 */

	struct vm_area_struct *vma = vmf->vma;
	int nr;
	int order;
	unsigned long addr;
	pte_t *pte;
	pte_t *first_set = NULL;
	int ret;

	order = min(*order_out, PMD_SHIFT - PAGE_SHIFT);

	for (; order > 0; order--) {
		nr = 1 << order;
		addr = ALIGN_DOWN(vmf->address, nr * PAGE_SIZE);
		pte = vmf->pte - ((vmf->address - addr) >> PAGE_SHIFT);

		/* Check vma bounds. */
		if (addr < vma->vm_start ||
		    addr + nr * PAGE_SIZE > vma->vm_end)
			continue;

		/* Ptes covered by order already known to be none. */
		if (pte + nr <= first_set)
			break;

		/* Already found set pte in range covered by order. */
		if (pte <= first_set)
			continue;

		/* Need to check if all the ptes are none. */
		ret = check_all_ptes_none(pte, nr);
		if (ret == nr)
			break;

		first_set = pte + ret;
	}

	*order_out = order;
	*addr_out = order > 0 ? addr : vmf->address;
}
