import { coverageOf, type Exploration } from '@pagecheck/core';

/**
 * The options of the absence matchers (`toNotLeakPages`, `toNotDoubleFree`,
 * `toNotUseAfterFree`, `toBalanceMemcg`, `toHaveNoViolations`).
 * `allowIncomplete: true` accepts a clean exploration that did not do what was
 * asked; `false` demands it even of an exploration run with
 * `allowIncomplete: true`; absent, the exploration's own setting holds.
 * @remarks Since 0.1.0
 */
export interface AllowIncomplete {
  readonly allowIncomplete?: boolean;
}

/**
 * Why a clean verdict on this exploration is not earned, or undefined when it
 * is: the exploration did what was asked (coverage.done), or the user accepted
 * less. `allow` is the matcher's or test's own `allowIncomplete`; when it is
 * undefined, the exploration's (`explore(spec, { allowIncomplete })`) holds.
 */
export function coverageGap(e: Exploration, allow: boolean | undefined): string | undefined {
  if (allow ?? e.allowIncomplete ?? false) return undefined;
  const c = coverageOf(e);
  return c.done ? undefined : c.text;
}

/**
 * The sentences that follow a coverage gap: how to ask for more, and how to
 * accept it explicitly (`optIn`, the caller's own form of `allowIncomplete`).
 */
export function incompleteAdvice(e: Exploration, optIn: string, more = ''): string {
  const c = coverageOf(e);
  const ask = c.more === undefined ? 'explore further' : c.more;
  return `A clean verdict needs the exploration asked for. Ask for more (${ask}${more}), or accept this coverage explicitly with ${optIn}.`;
}

/** Checks a matcher's options argument: undefined, or an object whose allowIncomplete is a boolean. */
export function checkAllowIncomplete(options: unknown, matcher: string): AllowIncomplete {
  if (options === undefined) return {};
  const allow = (options as { allowIncomplete?: unknown } | null)?.allowIncomplete;
  if (typeof options !== 'object' || options === null || (allow !== undefined && typeof allow !== 'boolean')) {
    throw new TypeError(`${matcher}(options): options must be { allowIncomplete?: boolean }, got ${JSON.stringify(options) ?? String(options)}`);
  }
  return allow === undefined ? {} : { allowIncomplete: allow };
}
