import type { Kernel } from '../../src/kernel/kernel.js';
import { GFP_KERNEL } from '../../src/kernel/gfp.js';

/** alloc_pages() run to completion on a standalone kernel; throws when the allocation fails. */
export const alloc = (k: Kernel, order: number, gfp = GFP_KERNEL): number => {
  const p = k.run(k.alloc_pages(gfp, order));
  if (p === null) throw new Error(`alloc_pages(order ${order}) failed`);
  return p;
};

/** The kinds of the violations a kernel has reported so far, in order. */
export const kinds = (k: Kernel): string[] => k.violations.map((v) => v.kind);
