import type { ViolationKind } from '@pagecheck/core';

/**
 * The matchers `@pagecheck/vitest-plugin` adds to `expect`. `R` is what an
 * assertion returns (`void`, or `Promise<void>` after `.resolves`/`.rejects`).
 * @remarks Since 0.1.0
 */
export interface PagecheckMatchers<R = unknown> {
  /** No `page-leak`: every page allocated is freed by the end of each run. */
  toNotLeakPages: () => R;
  /** No `double-free`: no page is freed while it is already free. */
  toNotDoubleFree: () => R;
  /** No `use-after-free`: no access to a page after it was freed. */
  toNotUseAfterFree: () => R;
  /** No `memcg-leak` and no `memcg-underflow`: the memcg charge and the css references balance. */
  toBalanceMemcg: () => R;
  /** No violation of any kind. */
  toHaveNoViolations: () => R;
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
