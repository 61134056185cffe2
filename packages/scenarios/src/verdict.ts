import { explore, type Exploration, type ExploreOptions, type Failure, type ViolationKind } from '@pagecheck/core';
import type { Scenario, Variant } from './types.js';

/** What running a variant found. @remarks Since 0.1.0 */
export interface Verdict {
  readonly scenario: string;
  readonly variant: string;
  readonly expected: readonly ViolationKind[];
  /** The union of the kinds found over the variant's cases, sorted. */
  readonly found: readonly ViolationKind[];
  readonly match: boolean;
  /** Not a match, but exactly the documented divergence (the variant's `divergence.found`). */
  readonly documented: boolean;
  /** The documented divergence's reason, if any. */
  readonly divergence?: string;
  readonly schedules: number;
  /** Every case was explored completely. */
  readonly complete: boolean;
  readonly elapsedMs: number;
  /** One exploration per case. */
  readonly explorations: readonly Exploration[];
  /** One failure per kind found (the first case that showed it). */
  readonly failures: readonly Failure[];
}

const DEFAULTS: ExploreOptions = { strategy: 'exhaustive', stopOnFirst: false, timeBudgetMs: 60_000 };

/**
 * Runs every case of a variant through the model and compares the kinds of
 * violation found with the expected ones. Nothing is read from `expected` but
 * the comparison.
 * @remarks Since 0.1.0
 */
export function runVariant(scenario: Scenario, v: Variant, options: ExploreOptions = {}): Verdict {
  const start = performance.now();
  const explorations = v.cases.map((spec) => explore(spec, { ...DEFAULTS, ...v.explore, ...options }));
  const found = [...new Set(explorations.flatMap((e) => e.kinds))].sort();
  const expected = [...v.expected].sort();
  const failures: Failure[] = [];
  for (const kind of found) {
    for (const e of explorations) {
      const f = e.failures.find((x) => x.violation.kind === kind);
      if (f !== undefined) {
        failures.push(f);
        break;
      }
    }
  }
  const match = sameKinds(found, expected);
  const documented = !match && v.divergence !== undefined && sameKinds(found, [...v.divergence.found].sort());
  return {
    ...(v.divergence === undefined ? {} : { divergence: v.divergence.reason }),
    documented,
    scenario: scenario.id,
    variant: v.id,
    expected,
    found,
    match,
    schedules: explorations.reduce((n, e) => n + e.schedules, 0),
    complete: explorations.every((e) => e.complete),
    elapsedMs: performance.now() - start,
    explorations,
    failures,
  };
}

function sameKinds(a: readonly ViolationKind[], b: readonly ViolationKind[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}
