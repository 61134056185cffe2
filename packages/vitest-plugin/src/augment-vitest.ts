import type { StopReason, ViolationKind } from '@pagecheck/core';
import type { AllowIncomplete } from './_internals/coverage-gap.js';

/**
 * The matchers `@pagecheck/vitest-plugin` adds to `expect`. `R` is what an
 * assertion returns (`void`, or `Promise<void>` after `.resolves`/`.rejects`).
 * @remarks Since 0.1.0
 */
export interface PagecheckMatchers<R = unknown> {
  /** No `page-leak`: every page allocated is freed by the end of each run (and the exploration did what was asked, unless `allowIncomplete`). */
  toNotLeakPages: (options?: AllowIncomplete) => R;
  /** No `double-free`: no page is freed while it is already free (and the exploration did what was asked, unless `allowIncomplete`). */
  toNotDoubleFree: (options?: AllowIncomplete) => R;
  /** No `use-after-free`: no access to a page after it was freed (and the exploration did what was asked, unless `allowIncomplete`). */
  toNotUseAfterFree: (options?: AllowIncomplete) => R;
  /** No `memcg-leak` and no `memcg-underflow`: the memcg charge and the css references balance (and the exploration did what was asked, unless `allowIncomplete`). */
  toBalanceMemcg: (options?: AllowIncomplete) => R;
  /** No violation of any kind (and the exploration did what was asked, unless `allowIncomplete`). */
  toHaveNoViolations: (options?: AllowIncomplete) => R;
  /** A violation of this kind is found (use `.not` for "never"). */
  toViolate: (kind: ViolationKind) => R;
}

/** What `raceTest` records in `task.meta.pagecheck` (visible to reporters, e.g. the JSON reporter). @remarks Since 0.1.0 */
export interface RaceTestMeta {
  readonly spec: string;
  /** `random`, `pct`, `pos`, `exhaustive`, or `replay` when PAGECHECK_REPLAY named this spec. */
  readonly strategy: string;
  readonly schedules: number;
  readonly complete: boolean;
  /** Why the exploration ended (`exploration.stopped`). @remarks Since 0.1.0 */
  readonly stopped: StopReason;
  /** What it covered, in one line (`exploration.coverage.text`). @remarks Since 0.1.0 */
  readonly coverage: string;
  /** The kinds of violation found, sorted. */
  readonly kinds: readonly ViolationKind[];
  /** The slice explored (1-based like `--shard`), when the exploration was split. */
  readonly shard?: string;
  readonly elapsedMs: number;
}

declare module 'vitest' {
  // Vitest 5 declares `interface Matchers<R extends void | Promise<void> = void | Promise<void>, T = unknown>`;
  // merged declarations must use the same parameter names. Assertion<R, T> extends Matchers<R, T>.
  interface Matchers<R, T> extends PagecheckMatchers<R> {}
  interface TaskMeta {
    pagecheck?: RaceTestMeta;
  }
}
