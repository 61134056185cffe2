import type { Kernel } from '../kernel/context.js';

/**
 * A checker: one rule about the kernel's state, called by the kernel at
 * defined points. Each built-in check is one file of this folder with one
 * object of this shape, registered in index.ts. A checker reports through
 * `k.warn` (the run goes on) or `k.bug` (the run stops); policy.ts says how.
 *
 * The points, in the order the kernel reaches them:
 * - `onAlloc`: the allocator handed out [pfn, pfn + 2^order) (the shadow has it as allocated);
 * - `onFree`: a free of [pfn, pfn + 2^order) starts (the shadow still has it as it was);
 * - `onWrite`: kernel code stores to a struct page word;
 * - `onRef`: a reference is taken or dropped on a page (get_page, put_page, a lock bit);
 * - `onData`: page contents are accessed (memset, copy);
 * - `onFolioPage`: code reaches page[i] of a folio;
 * - `onUnlock`: a thread releases a lock (`lock` >= 0: a spinlock's location; < 0: a bit lock's key);
 * - `afterStep`: after every thread step;
 * - `atEnd`: at teardown, after the spec's own teardown.
 */
export interface Checker {
  /** The checker's name, as the file is named. */
  readonly name: string;
  onAlloc?(k: Kernel, pfn: number, order: number, clash: number): void;
  onFree?(k: Kernel, pfn: number, order: number): void;
  onWrite?(k: Kernel, pfn: number, fn: string): void;
  onRef?(k: Kernel, pfn: number, fn: string): void;
  onData?(k: Kernel, pfn: number, order: number, what: string): void;
  onFolioPage?(k: Kernel, folio: number, i: number, what: string): void;
  onUnlock?(k: Kernel, lock: number, call: string, pfn: number): void;
  afterStep?(k: Kernel): void;
  atEnd?(k: Kernel): void;
}

/** The checkers of one kernel, grouped by the point they watch (so a point with no checker costs nothing). */
export interface CheckerSet {
  readonly all: readonly Checker[];
  readonly onAlloc: readonly Checker[];
  readonly onFree: readonly Checker[];
  readonly onWrite: readonly Checker[];
  readonly onRef: readonly Checker[];
  readonly onData: readonly Checker[];
  readonly onFolioPage: readonly Checker[];
  readonly onUnlock: readonly Checker[];
  readonly afterStep: readonly Checker[];
  readonly atEnd: readonly Checker[];
}

/** Groups checkers by the points they watch, keeping their order. */
export function checkerSet(all: readonly Checker[]): CheckerSet {
  return {
    all,
    onAlloc: all.filter((c) => c.onAlloc !== undefined),
    onFree: all.filter((c) => c.onFree !== undefined),
    onWrite: all.filter((c) => c.onWrite !== undefined),
    onRef: all.filter((c) => c.onRef !== undefined),
    onData: all.filter((c) => c.onData !== undefined),
    onFolioPage: all.filter((c) => c.onFolioPage !== undefined),
    onUnlock: all.filter((c) => c.onUnlock !== undefined),
    afterStep: all.filter((c) => c.afterStep !== undefined),
    atEnd: all.filter((c) => c.atEnd !== undefined),
  };
}
