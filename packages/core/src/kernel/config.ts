import type { KernelFunctionName, KernelFunctions, KernelHooks } from './context.js';
import type { Invariant } from '../checkers/invariant.js';
import { GLOBAL_BASE, MAX_PFN, VMEMMAP_BASE } from '../machine/addresses.js';
import { NR_SLOTS } from '../machine/layout.js';
import { pcpWords, type PcpConfig } from './pcp.js';
import { safeString } from '../engine/safe-string.js';

/** Replacement bodies for a kernel of type K: `(k, ...args)` with the kernel function's arguments. @remarks Since 0.1.0 */
export type OverridesOf<K> = {
  [N in KernelFunctionName]?: (k: K, ...args: Parameters<KernelFunctions[N]>) => ReturnType<KernelFunctions[N]>;
};

/** Wrappers for a kernel of type K: given the original, return a replacement. @remarks Since 0.1.0 */
export type WrappersOf<K> = {
  [N in KernelFunctionName]?: (original: KernelFunctions[N], k: K) => KernelFunctions[N];
};

/** The memory cgroup configuration. */
export interface MemcgConfig {
  /** memory.max of the test cgroup, in pages (default: unlimited). */
  readonly limit?: number;
}

/** How to build a kernel whose callbacks get a K (kernel.ts's KernelConfig is this for its Kernel). @remarks Since 0.1.0 */
export interface KernelConfigOf<K> {
  /** Number of struct pages in the single zone (default 64). */
  readonly pages?: number;
  /** MAX_ORDER as in v5.10 (orders 0 .. MAX_ORDER-1); default min(11, log2(pages) + 1). */
  readonly maxOrder?: number;
  /** First pfn of the zone (default 1 << (maxOrder - 1)); must be aligned to the largest block. */
  readonly startPfn?: number;
  /** memcg: one test cgroup that every __GFP_ACCOUNT allocation is charged to; `false` for !CONFIG_MEMCG. */
  readonly memcg?: MemcgConfig | false;
  /** Replace kernel functions: this is how a patch revision becomes a variant. */
  readonly overrides?: OverridesOf<K>;
  /** Wrap kernel functions (instrumentation around the original). */
  readonly wrap?: WrappersOf<K>;
  readonly hooks?: KernelHooks;
  /** Custom invariants: checkers the user writes (checkers/invariant.ts). */
  readonly invariants?: readonly Invariant[];
  /** Record page_owner-style history (default true). */
  readonly history?: boolean;
  /** Start the RCU callback thread, so call_rcu() callbacks run after grace periods the scheduler places (default false). */
  readonly rcu?: boolean;
  /** Global words to reserve for spinlocks and objects created in setup (default 64). */
  readonly globals?: number;
  /**
   * Per-cpu page lists for order-0 pages (v5.10 shape, default on, pcp->high and
   * pcp->batch from zone_batchsize()); `false` for the path without them (order-0
   * pages straight to the buddy), which the 3.x scenarios keep. @remarks Since 0.1.0
   */
  readonly pcp?: boolean | PcpConfig;
  /** Number of CPUs (default 4). @remarks Since 0.1.0 */
  readonly cpus?: number;
  /** The CPU of a thread, by thread name (default: thread i on CPU i). @remarks Since 0.1.0 */
  readonly threadCpus?: Readonly<Record<string, number>>;
}

/** A kernel's shape, from its config: checked, with the defaults filled in. */
export interface KernelGeometry {
  readonly pages: number;
  readonly maxOrder: number;
  readonly startPfn: number;
  /** Global words: the zone's, RCU's, memcg's and `globals` more. */
  readonly nrGlobals: number;
  /** memory.max of the test cgroup, if memcg is on and limited. */
  readonly memcgLimit: number | undefined;
}

const DEFAULT_PAGES = 64;



/** Checks a config's numbers and says what is wrong; returns the kernel's shape. */
export function kernelGeometry(config: KernelConfigOf<never>): KernelGeometry {
  if (config === null || typeof config !== 'object') throw new TypeError(`the kernel config must be an object such as { pages: 64 } (or left out), got ${safeString(config)}`);
  const pages = config.pages ?? DEFAULT_PAGES;
  if (!Number.isInteger(pages) || pages < 1) {
    throw new RangeError(`kernel.pages must be a positive integer (the number of struct pages), got ${safeString(pages)}`);
  }
  // Global words (free lists, counters) have addresses GLOBAL_BASE + 8 * location, after every struct page word: below VMEMMAP_BASE.
  const maxPages = Math.floor(((VMEMMAP_BASE - GLOBAL_BASE) / 8 - 256) / NR_SLOTS);
  if (pages > maxPages) throw new RangeError(`kernel.pages is ${pages}; the model supports at most ${maxPages} pages (about 23 GiB)`);
  const fit = Math.min(11, Math.floor(Math.log2(pages)) + 1);
  const maxOrder = config.maxOrder ?? fit;
  if (!Number.isInteger(maxOrder) || maxOrder < 1 || maxOrder > 16) {
    throw new RangeError(`kernel.maxOrder must be an integer in 1..16 (MAX_ORDER, exclusive), got ${safeString(maxOrder)}`);
  }
  const startPfn = config.startPfn ?? 1 << (maxOrder - 1);
  if (!Number.isInteger(startPfn) || startPfn < 1 || startPfn % (1 << (maxOrder - 1)) !== 0) {
    throw new RangeError(`kernel.startPfn must be a positive multiple of ${1 << (maxOrder - 1)} (the largest block), got ${safeString(startPfn)}`);
  }
  if (startPfn + pages > MAX_PFN) throw new RangeError(`kernel.startPfn + kernel.pages is ${startPfn + pages}; the zone must end at or below pfn ${MAX_PFN} (the model's vmemmap)`);
  const extra = config.globals ?? 64;
  if (!Number.isInteger(extra) || extra < 0) throw new RangeError(`kernel.globals must be a non-negative integer, got ${safeString(extra)}`);
  const memcgLimit = config.memcg === undefined || config.memcg === false ? undefined : config.memcg.limit;
  if (memcgLimit !== undefined && (!Number.isInteger(memcgLimit) || memcgLimit < 0)) throw new RangeError(`kernel.memcg.limit must be a non-negative integer number of pages, got ${safeString(memcgLimit)}`);
  const cpus = config.cpus ?? 4;
  if (!Number.isInteger(cpus) || cpus < 1 || cpus > 64) throw new RangeError(`kernel.cpus must be an integer in 1..64 (the number of CPUs), got ${safeString(config.cpus)}`);
  return { pages, maxOrder, startPfn, nrGlobals: 8 + maxOrder * 3 + 8 + 34 + extra + (config.pcp === false ? 0 : pcpWords(cpus)), memcgLimit };
}
