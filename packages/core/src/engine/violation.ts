/**
 * A violation's kind, as the engine sees it: a name. The engine names the
 * kinds it finds itself ({@link EngineViolationKind}); the layer above the
 * engine defines the others.
 */
export type ViolationKind = string;

/** The kinds of violation the engine finds by itself, knowing only threads, steps and locations. @remarks Since 0.2.0 */
export type EngineViolationKind = 'deadlock' | 'thread-error' | 'step-limit' | 'lost-update' | 'data-race';

/**
 * What the layer above adds to a violation (the thing it concerns, its
 * history): opaque to the engine, which carries it and never reads it.
 * @remarks Since 0.2.0
 */
export type ViolationPayload = object;

/**
 * A violation found in one run, as the engine sees it: what (kind, message)
 * and where (thread, step). A violation the layer above reports carries that
 * layer's payload as further fields, which the engine does not read.
 * @remarks Since 0.1.0 (without page fields since 0.2.0: those are the checkers' Violation)
 */
export interface Violation {
  readonly kind: ViolationKind;
  /** One line that says what happened. */
  readonly message: string;
  /** Thread that was running (`setup`/`teardown` outside the threads). */
  readonly thread: string;
  /** Step index at which it was detected (-1 in setup, or the final step count at teardown). */
  readonly step: number;
  /** For thread-error: the error thrown. */
  readonly error?: unknown;
}
