import { DATA, SLOT_NAMES } from '../machine/layout.js';
import type { Kernel } from './context.js';

/** A word of the kernel's memory, named for reports: a struct page field or a global word. */
export interface LocationName {
  /** How a report shows it: `P0->_refcount`, `pfn:b->flags`, `zone->lock`. */
  readonly name: string;
  /** The page, for a struct page word (or the page's contents). */
  readonly pfn?: number;
  /** How diagrams name that page: `P0`, `pfn:b`. */
  readonly page?: string;
  /** The struct page field (`flags`, `_refcount`, ...; `data` for the page's contents). */
  readonly field?: string;
}

/**
 * Names a location of a kernel's memory: decodes a struct page word into its
 * page and field (machine/layout.ts's SLOT_NAMES), or names a global word
 * (spinlocks by their lock name, other words by the name they were allocated with).
 */
export function describeLocation(k: Kernel, loc: number): LocationName {
  const d = k.m.decode(loc);
  if (d === undefined) return { name: k.lockName(loc) };
  const page = k.describe(d.pfn);
  const field = SLOT_NAMES[d.slot] ?? `slot ${d.slot}`;
  return { name: d.slot === DATA ? `${page} contents` : `${page}->${field}`, pfn: d.pfn, page, field };
}
