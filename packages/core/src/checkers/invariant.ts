import type { Kernel } from '../kernel/context.js';
import type { Checker } from './checker.js';
import { pagePayload } from './policy.js';
import { violationsOf, type Violation } from './violation.js';
import { safeString } from '../engine/safe-string.js';

/**
 * What a failing invariant says: a message, and the page it is about if any
 * (the violation then carries the pfn and the page's history).
 * @remarks Since 0.1.0
 */
export interface InvariantResult {
  readonly message: string;
  readonly pfn?: number;
}

/**
 * A custom invariant, checked at teardown (default) or after every step.
 * `check` returns nothing when the invariant holds; when it does not, a
 * message or an {@link InvariantResult}. A failing `at: 'step'` invariant
 * stops the run at that step. An invariant whose check throws is reported as
 * a violation of kind `invariant` naming it, with the thrown error as `error`.
 * @remarks Since 0.1.0
 */
export interface Invariant {
  readonly name: string;
  /** Returns a message (or `{ message, pfn }`) when the invariant does not hold. */
  check(k: Kernel): string | InvariantResult | undefined | void;
  readonly at?: 'teardown' | 'step';
}

/** Checks a kernel config's invariants and says what is wrong with the first bad one. */
export function validateInvariants(invariants: unknown): readonly Invariant[] {
  if (invariants === undefined) return [];
  if (!Array.isArray(invariants)) throw new TypeError(`kernel.invariants must be an array of { name, check(k), at? }, got ${typeof invariants}`);
  invariants.forEach((inv: unknown, i) => {
    const o = inv as Partial<Invariant> | null;
    if (o === null || typeof o !== 'object') throw new TypeError(`kernel.invariants[${i}] must be an object { name, check(k), at? }, got ${safeString(inv)}`);
    if (typeof o.name !== 'string' || o.name.length === 0) throw new TypeError(`kernel.invariants[${i}] needs a non-empty name`);
    if (typeof o.check !== 'function') throw new TypeError(`kernel.invariants[${i}] (${o.name}): check must be a function (k) => message | { message, pfn } | undefined`);
    if (o.at !== undefined && o.at !== 'teardown' && o.at !== 'step') throw new TypeError(`kernel.invariants[${i}] (${o.name}): at must be 'teardown' or 'step', got ${safeString(o.at)}`);
  });
  return invariants as readonly Invariant[];
}

/** Runs one invariant; returns its violation if it fails or throws. */
export function checkInvariant(k: Kernel, inv: Invariant): Violation | undefined {
  const where = { invariant: inv.name, thread: k.threadName(), step: k.exec.step };
  let r: ReturnType<Invariant['check']>;
  try {
    r = inv.check(k);
  } catch (e) {
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : safeString(e);
    return { kind: 'invariant', message: `${inv.name}: the check threw ${msg}`, error: e, ...where };
  }
  if (typeof r === 'string') return r.length > 0 ? { kind: 'invariant', message: `${inv.name}: ${r}`, ...where } : undefined;
  if (r === undefined || r === null) return undefined;
  if (typeof r !== 'object' || typeof r.message !== 'string') {
    return { kind: 'invariant', message: `${inv.name}: check returned ${safeString(r)}; return a message, { message, pfn }, or undefined when the invariant holds`, error: r, ...where };
  }
  const pfn: unknown = r.pfn;
  if (pfn === undefined) return { kind: 'invariant', message: `${inv.name}: ${r.message}`, ...where };
  if (typeof pfn !== 'number' || !Number.isInteger(pfn) || !k.m.valid(pfn)) {
    const range = `${k.m.startPfn}..${k.m.startPfn + k.m.nrPages - 1}`;
    return { kind: 'invariant', message: `${inv.name}: ${r.message} (the check returned pfn ${safeString(pfn)}, which is not a page of this kernel: return a pfn in ${range}, or leave pfn out)`, ...where };
  }
  return { kind: 'invariant', message: `${inv.name}: ${r.message}`, ...where, ...pagePayload(k, pfn) };
}

/**
 * User invariants as checkers: the teardown ones run at the end with the
 * built-in checks; the step ones after every thread step, and the first that
 * fails stops the run at that step.
 */
export function invariantCheckers(invariants: readonly Invariant[]): Checker[] {
  const atStep = invariants.filter((i) => i.at === 'step');
  const atEnd = invariants.filter((i) => (i.at ?? 'teardown') === 'teardown');
  const out: Checker[] = [];
  if (atStep.length > 0) {
    out.push({
      name: 'invariants (every step)',
      afterStep(k) {
        for (const inv of atStep) {
          const v = checkInvariant(k, inv);
          if (v === undefined) continue;
          k.exec.report(v.kind, v.message, v);
          return;
        }
      },
    });
  }
  if (atEnd.length > 0) {
    out.push({
      name: 'invariants (teardown)',
      atEnd(k) {
        for (const inv of atEnd) {
          const v = checkInvariant(k, inv);
          if (v !== undefined) violationsOf(k.exec).push(v);
        }
      },
    });
  }
  return out;
}
