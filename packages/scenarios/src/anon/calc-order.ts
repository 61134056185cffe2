/**
 * calc_anonymous_folio_order() from Ryan Roberts' "[RFC PATCH 0/6]
 * variable-order, large folios for anonymous memory" (mm/memory.c, on
 * v6.3-rc), as a pure function over a model of the fault: the VMA bounds, the
 * faulting address and the PTE table of its PMD. Pointers into the PTE table
 * are indexes into `ptes`; `first_set = NULL` is `null`.
 */

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
export const PMD_SHIFT = 21;
export const PMD_SIZE = 2 ** PMD_SHIFT;
/** PTRS_PER_PTE with 4 KiB pages. */
export const PTRS_PER_PTE = 1 << (PMD_SHIFT - PAGE_SHIFT);

/** The parts of struct vm_fault calc_anonymous_folio_order() reads. */
export interface VmFault {
  readonly vma: { readonly vm_start: number; readonly vm_end: number };
  /** The faulting address, page aligned. */
  readonly address: number;
  /** The PTE table of the PMD that maps `address`: true where the pte is not none. */
  readonly ptes: readonly boolean[];
}

/** What calc_anonymous_folio_order() returns through *order_out and *addr_out. */
export interface FolioOrder {
  readonly order: number;
  readonly addr: number;
}

/** ALIGN_DOWN(x, a) for a power-of-two a. */
const ALIGN_DOWN = (x: number, a: number): number => x - (x % a);

/** vmf->pte: the index of the faulting address's pte in its PTE table. */
const vmfPte = (vmf: VmFault): number => Math.floor(vmf.address / PAGE_SIZE) % PTRS_PER_PTE;

/**
 * check_all_ptes_none() (the RFC's helper, not quoted in seed 004): the
 * number of none ptes from `pte` before the first present one, or `nr`; that
 * is what calc_anonymous_folio_order() uses it for (`ret == nr`, `first_set = pte + ret`).
 * @remarks Since 0.1.0
 */
export function check_all_ptes_none(ptes: readonly boolean[], pte: number, nr: number): number {
  for (let i = 0; i < nr; i++) if (ptes[pte + i] === true) return i;
  return nr;
}

/**
 * calc_anonymous_folio_order() after the fix (Ryan Roberts, 2023-03-22, as
 * quoted in seed 004): order 0 without THP, never order 1, otherwise the
 * largest order whose naturally aligned block around the address stays in the
 * VMA and in one PMD and covers only none ptes.
 * @remarks Since 0.1.0
 */
export function calc_anonymous_folio_order(vmf: VmFault, order_out: number, has_transparent_hugepage = true): FolioOrder {
  const vma = vmf.vma;
  let nr: number;
  let order: number;
  let addr = 0;
  let pte: number;
  let first_set: number | null = null;
  let ret: number;

  if (has_transparent_hugepage) {
    order = Math.min(order_out, PMD_SHIFT - PAGE_SHIFT);

    for (; order > 1; order--) {
      nr = 1 << order;
      addr = ALIGN_DOWN(vmf.address, nr * PAGE_SIZE);
      pte = vmfPte(vmf) - (vmf.address - addr) / PAGE_SIZE;

      /* Check vma bounds. */
      if (addr < vma.vm_start || addr + nr * PAGE_SIZE > vma.vm_end) continue;

      /* Ptes covered by order already known to be none. */
      if (first_set !== null && pte + nr <= first_set) break;

      /* Already found set pte in range covered by order. */
      if (first_set !== null && pte <= first_set) continue;

      /* Need to check if all the ptes are none. */
      ret = check_all_ptes_none(vmf.ptes, pte, nr);
      if (ret === nr) break;

      first_set = pte + ret;
    }

    if (order === 1) order = 0;
  } else {
    order = 0;
  }

  return { order, addr: order > 0 ? addr : vmf.address };
}

/**
 * calc_anonymous_folio_order() in the RFC before the fix. Seed 004 quotes only
 * the fixed function; this is it without the two changes Ryan Roberts
 * describes ("only use non-0 order if THP is available and in that case,
 * never allocate order-1"): the loop runs down to order 1 and its result is
 * kept, whether or not the kernel has THP.
 * @remarks Since 0.1.0
 */
export function calc_anonymous_folio_order_rfc(vmf: VmFault, order_out: number): FolioOrder {
  const vma = vmf.vma;
  let nr: number;
  let order = Math.min(order_out, PMD_SHIFT - PAGE_SHIFT);
  let addr = 0;
  let pte: number;
  let first_set: number | null = null;
  let ret: number;

  for (; order > 0; order--) {
    nr = 1 << order;
    addr = ALIGN_DOWN(vmf.address, nr * PAGE_SIZE);
    pte = vmfPte(vmf) - (vmf.address - addr) / PAGE_SIZE;

    /* Check vma bounds. */
    if (addr < vma.vm_start || addr + nr * PAGE_SIZE > vma.vm_end) continue;

    /* Ptes covered by order already known to be none. */
    if (first_set !== null && pte + nr <= first_set) break;

    /* Already found set pte in range covered by order. */
    if (first_set !== null && pte <= first_set) continue;

    /* Need to check if all the ptes are none. */
    ret = check_all_ptes_none(vmf.ptes, pte, nr);
    if (ret === nr) break;

    first_set = pte + ret;
  }

  return { order, addr: order > 0 ? addr : vmf.address };
}
