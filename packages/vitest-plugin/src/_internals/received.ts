import { explore, type Exploration, type RaceSpec } from '@pagecheck/core';
import { describeValue } from './describe-value.js';

/** An Exploration or Run: the shape `explore()` and `runOnce()` return. */
export function isExploration(x: unknown): x is Exploration {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as Partial<Record<keyof Exploration, unknown>>;
  return Array.isArray(e.violations) && Array.isArray(e.kinds) && Array.isArray(e.failures) && typeof e.schedules === 'number' && typeof e.complete === 'boolean';
}

/** A race spec: an object with `threads`. */
export function isRaceSpec(x: unknown): x is RaceSpec<never> {
  return typeof x === 'object' && x !== null && typeof (x as { threads?: unknown }).threads === 'object' && (x as { threads?: unknown }).threads !== null;
}

/** Matchers explore a spec once: later matchers on the same spec object reuse the result. */
const explored = new WeakMap<object, Exploration>();

/** Options for a spec a matcher explores: core defaults, but every kind collected. */
export const MATCHER_EXPLORE_OPTIONS = { stopOnFirst: false } as const;

/**
 * The exploration a matcher judges: the received Exploration/Run itself, or
 * the result of exploring a received RaceSpec (every kind collected).
 * Throws a TypeError for anything else, so that `.not` cannot turn it into a pass.
 */
export function explorationOf(received: unknown, matcher: string): Exploration {
  if (isExploration(received)) return received;
  if (isRaceSpec(received)) {
    const cached = explored.get(received);
    if (cached !== undefined) return cached;
    const e = explore(received, MATCHER_EXPLORE_OPTIONS);
    explored.set(received, e);
    return e;
  }
  throw new TypeError(
    `${matcher}() expects an Exploration or Run (what explore() or runOnce() from @pagecheck/core return) ` +
      `or a RaceSpec (an object with threads: { name: function*(k, s) {...} }), but received ${describeValue(received)}`,
  );
}
