/** GFP flags (include/linux/gfp.h, v5.10). */
export const __GFP_DMA = 0x01;
export const __GFP_HIGHMEM = 0x02;
export const __GFP_DMA32 = 0x04;
export const __GFP_MOVABLE = 0x08;
export const __GFP_RECLAIMABLE = 0x10;
export const __GFP_HIGH = 0x20;
export const __GFP_IO = 0x40;
export const __GFP_FS = 0x80;
export const __GFP_ZERO = 0x100;
export const __GFP_ATOMIC = 0x200;
export const __GFP_DIRECT_RECLAIM = 0x400;
export const __GFP_KSWAPD_RECLAIM = 0x800;
export const __GFP_NOWARN = 0x2000;
export const __GFP_RETRY_MAYFAIL = 0x4000;
export const __GFP_NOFAIL = 0x8000;
export const __GFP_COMP = 0x40000;
export const __GFP_ACCOUNT = 0x400000;
export const __GFP_RECLAIM = __GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM;
export const GFP_ATOMIC = __GFP_HIGH | __GFP_ATOMIC | __GFP_KSWAPD_RECLAIM;
export const GFP_KERNEL = __GFP_RECLAIM | __GFP_IO | __GFP_FS;
export const GFP_KERNEL_ACCOUNT = GFP_KERNEL | __GFP_ACCOUNT;
export const GFP_NOWAIT = __GFP_KSWAPD_RECLAIM;
export const GFP_HIGHUSER_MOVABLE = GFP_KERNEL | __GFP_HIGHMEM | __GFP_MOVABLE;
/** Every flag the model knows; others are rejected. */
export const GFP_KNOWN = 0x7fffff;

/**
 * Names a gfp mask the way page_owner prints it.
 * @example
 * ```ts
 * gfpName(GFP_KERNEL_ACCOUNT); // 'GFP_KERNEL|__GFP_ACCOUNT'
 * ```
 * @remarks Since 0.1.0
 */
export function gfpName(gfp: number): string {
  const parts: string[] = [];
  let rest = gfp;
  const take = (mask: number, name: string): void => {
    if ((rest & mask) === mask && mask !== 0) {
      parts.push(name);
      rest &= ~mask;
    }
  };
  take(GFP_KERNEL, 'GFP_KERNEL');
  take(GFP_ATOMIC, 'GFP_ATOMIC');
  take(__GFP_COMP, '__GFP_COMP');
  take(__GFP_ACCOUNT, '__GFP_ACCOUNT');
  take(__GFP_ZERO, '__GFP_ZERO');
  take(__GFP_NOWARN, '__GFP_NOWARN');
  take(__GFP_NOFAIL, '__GFP_NOFAIL');
  take(__GFP_HIGHMEM, '__GFP_HIGHMEM');
  take(__GFP_MOVABLE, '__GFP_MOVABLE');
  if (rest !== 0) parts.push(`0x${rest.toString(16)}`);
  return parts.length === 0 ? '0' : parts.join('|');
}
