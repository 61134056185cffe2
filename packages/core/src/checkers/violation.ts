import type { Execution } from '../engine/execution.js';
import type { EngineViolationKind, Violation as EngineViolation } from '../engine/violation.js';

/** Every kind of violation pagecheck reports: the checkers' and the engine's own. @remarks Since 0.1.0 */
export type ViolationKind =
  | EngineViolationKind
  | 'page-leak'
  | 'double-free'
  | 'use-after-free'
  | 'bad-page-state'
  | 'refcount-underflow'
  | 'memcg-leak'
  | 'memcg-underflow'
  | 'buddy-corruption'
  | 'struct-page-corruption'
  | 'wild-deref'
  | 'lock-violation'
  | 'invariant'
  /** A lookup returned a page that was freed and reused after it found it, with no re-check (ABA). @remarks Since 0.2.0 */
  | 'stale-lookup';

/** The list of violation kinds, for validation and documentation. */
export const VIOLATION_KINDS: readonly ViolationKind[] = [
  'page-leak', 'double-free', 'use-after-free', 'bad-page-state', 'refcount-underflow',
  'memcg-leak', 'memcg-underflow', 'buddy-corruption', 'struct-page-corruption',
  'lost-update', 'wild-deref', 'deadlock', 'lock-violation', 'thread-error', 'step-limit', 'invariant', 'stale-lookup', 'data-race',
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

/**
 * A violation found in one run: the engine's violation (kind, message, thread,
 * step) with the page vocabulary the checkers add as its payload.
 * @remarks Since 0.1.0
 */
export interface Violation extends EngineViolation {
  readonly kind: ViolationKind;
  /** One line that says what happened, kernel-style. */
  readonly message: string;
  /** The page concerned, as a pfn, if any. */
  readonly pfn?: number;
  /** The page's history up to the violation, oldest first. */
  readonly history?: readonly HistoryEvent[];
  /** For thread-error: the error thrown (for an invariant: what its check threw). */
  readonly error?: unknown;
  /** A custom invariant's name, for kind `invariant`. */
  readonly invariant?: string;
}

/**
 * A run's violations with their page payload. Every violation in a kernel run
 * is either the engine's own (its kinds are ViolationKinds) or one the kernel's
 * checkers reported as a {@link Violation}.
 */
export function violationsOf(exec: Execution): Violation[] {
  return exec.violations as Violation[];
}

/** Thrown by a standalone kernel's `run()` when the code it ran hit a fatal violation. */
export class ViolationError extends Error {
  constructor(readonly violation: { kind: ViolationKind; message: string }) {
    super(`${violation.kind}: ${violation.message}`);
    this.name = 'ViolationError';
  }
}
