/** Every kind of violation pagecheck reports. @remarks Since 0.1.0 */
export type ViolationKind =
  | 'page-leak'
  | 'double-free'
  | 'use-after-free'
  | 'bad-page-state'
  | 'refcount-underflow'
  | 'memcg-leak'
  | 'memcg-underflow'
  | 'buddy-corruption'
  | 'struct-page-corruption'
  | 'lost-update'
  | 'wild-deref'
  | 'deadlock'
  | 'lock-violation'
  | 'thread-error'
  | 'step-limit'
  | 'invariant'
  /** A lookup returned a page that was freed and reused after it found it, with no re-check (ABA). @remarks Since 0.2.0 */
  | 'stale-lookup';

/** The list of violation kinds, for validation and documentation. */
export const VIOLATION_KINDS: readonly ViolationKind[] = [
  'page-leak', 'double-free', 'use-after-free', 'bad-page-state', 'refcount-underflow',
  'memcg-leak', 'memcg-underflow', 'buddy-corruption', 'struct-page-corruption',
  'lost-update', 'wild-deref', 'deadlock', 'lock-violation', 'thread-error', 'step-limit', 'invariant', 'stale-lookup',
];

/** One event in a page's page_owner-style history. */
export interface HistoryEvent {
  /** What happened: `alloc order 1`, `free`, `get_page`, `put_page`, ... */
  readonly what: string;
  /** Thread that did it (`setup`, `teardown` or a thread name). */
  readonly thread: string;
  /** Global step index in the run (-1 during setup). */
  readonly step: number;
}

/** A violation found in one run. @remarks Since 0.1.0 */
export interface Violation {
  readonly kind: ViolationKind;
  /** One line that says what happened, kernel-style. */
  readonly message: string;
  /** Thread that was running (`setup`/`teardown` outside the threads). */
  readonly thread: string;
  /** Step index at which it was detected (-1 in setup, or the final step count at teardown). */
  readonly step: number;
  /** The page concerned, as a pfn, if any. */
  readonly pfn?: number;
  /** The page's history up to the violation, oldest first. */
  readonly history?: readonly HistoryEvent[];
  /** For thread-error: the error thrown. */
  readonly error?: unknown;
  /** A custom invariant's name, for kind `invariant`. */
  readonly invariant?: string;
}
