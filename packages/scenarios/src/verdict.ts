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
  /** Under the weak model (the variant's `weak`, else absent): the kinds expected, sorted. */
  readonly weakExpected?: readonly ViolationKind[];
  /** The kinds the `lkmm` exploration of the cases found, sorted. */
  readonly weakFound?: readonly ViolationKind[];
  readonly weakMatch?: boolean;
  /** Every case was explored completely under `lkmm` (else "clean" holds within the budget). */
  readonly weakComplete?: boolean;
  readonly weakSchedules?: number;
  /** Runs abandoned under `lkmm` (redundant, or executions LKMM forbids). */
  readonly weakPruned?: number;
  readonly weakElapsedMs?: number;
  readonly weakNote?: string;
  readonly weakExplorations?: readonly Exploration[];
  /** One failure per kind found under `lkmm`. */
  readonly weakFailures?: readonly Failure[];
}

/** Callbacks of `runVariant`. @remarks Since 0.1.0 */
export interface VariantHooks {
  /** Called with the sequentially consistent verdict before a variant with `weak` is explored under `lkmm`. */
  readonly onWeak?: (sc: Verdict) => void;
}

const DEFAULTS: ExploreOptions = { strategy: 'exhaustive', stopOnFirst: false, timeBudgetMs: 60_000 };

/**
 * Runs every case of a variant through the model and compares the kinds of
 * violation found with the expected ones. Nothing is read from `expected` but
 * the comparison. A variant with `weak` is also explored under `memoryModel:
 * 'lkmm'` (the `weak*` fields; `elapsedMs` is the sequentially consistent part);
 * `hooks.onWeak` hears of the sequentially consistent verdict before that.
 * @remarks Since 0.1.0
 */
export function runVariant(scenario: Scenario, v: Variant, options: ExploreOptions = {}, hooks: VariantHooks = {}): Verdict {
  const start = performance.now();
  const explorations = v.cases.map((spec) => explore(spec, { ...DEFAULTS, ...v.explore, ...options }));
  const found = kindsOf(explorations);
  const expected = [...v.expected].sort();
  const failures = failuresOf(explorations, found);
  const elapsedMs = performance.now() - start;
  const match = sameKinds(found, expected);
  const documented = !match && v.divergence !== undefined && sameKinds(found, [...v.divergence.found].sort());
  const sc: Verdict = {
    ...(v.divergence === undefined ? {} : { divergence: v.divergence.reason }),
    documented,
    scenario: scenario.id,
    variant: v.id,
    expected,
    found,
    match,
    schedules: explorations.reduce((n, e) => n + e.schedules, 0),
    complete: explorations.every((e) => e.complete),
    elapsedMs,
    explorations,
    failures,
  };
  if (v.weak === undefined) return sc;
  hooks.onWeak?.(sc);
  return { ...sc, ...runWeak(v.weak, v, options) };
}

/** The variant's cases under `lkmm`: until the expected kinds are found, within the weak options' budget. */
function runWeak(w: NonNullable<Variant['weak']>, v: Variant, options: ExploreOptions): Partial<Verdict> {
  const start = performance.now();
  const until = w.expected.length === 0 ? {} : { until: w.expected };
  const explorations = v.cases.map((spec) => explore(spec, { ...DEFAULTS, ...v.explore, ...until, ...w.explore, ...options, memoryModel: 'lkmm' }));
  const found = kindsOf(explorations);
  const expected = [...w.expected].sort();
  return {
    weakExpected: expected,
    weakFound: found,
    weakMatch: sameKinds(found, expected),
    weakComplete: explorations.every((e) => e.complete),
    weakSchedules: explorations.reduce((n, e) => n + e.schedules, 0),
    weakPruned: explorations.reduce((n, e) => n + e.pruned, 0),
    weakElapsedMs: performance.now() - start,
    ...(w.note === undefined ? {} : { weakNote: w.note }),
    weakExplorations: explorations,
    weakFailures: failuresOf(explorations, found),
  };
}

function kindsOf(explorations: readonly Exploration[]): ViolationKind[] {
  return [...new Set(explorations.flatMap((e) => e.kinds))].sort();
}

/** One failure per kind: the first case that showed it. */
function failuresOf(explorations: readonly Exploration[], found: readonly ViolationKind[]): Failure[] {
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
  return failures;
}

function sameKinds(a: readonly ViolationKind[], b: readonly ViolationKind[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}
