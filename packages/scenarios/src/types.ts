import type { ExploreOptions, RaceSpec, ViolationKind } from '@pagecheck/core';

/** Where a scenario comes from. */
export interface ScenarioSources {
  /** The LKML thread(s), by subject and date. */
  readonly threads: readonly string[];
  /** Commits involved, with their subjects. */
  readonly commits: readonly string[];
  /** Links (lore, CVE). */
  readonly links?: readonly string[];
}

/** One patch revision of the code under test. @remarks Since 0.1.0 */
export interface Variant {
  readonly id: string;
  readonly title: string;
  /** What this revision does, in a sentence or two. */
  readonly description: string;
  /** The main spec (the first case). */
  readonly spec: RaceSpec<never>;
  /** Every spec the verdict is computed over; found = the union of what each case shows. */
  readonly cases: readonly RaceSpec<never>[];
  /** The violations the thread says this revision has. */
  readonly expected: readonly ViolationKind[];
  /** Where in the thread the expected violations come from, when it needs saying. */
  readonly expectedFrom?: string;
  /** Exploration options for the verdict (default: exhaustive with reduction, every kind collected). */
  readonly explore?: ExploreOptions;
  /**
   * Where the model, examined, still disagrees with the thread: what the model
   * finds and why. The matrix then checks the model against `found` here, so a
   * change in what the model finds is still caught.
   */
  readonly divergence?: { readonly found: readonly ViolationKind[]; readonly reason: string };
  /**
   * A verdict under the weak memory model as well: the cases are explored again with
   * `memoryModel: 'lkmm'` (until every expected kind is found, when there are any), and
   * what they show is compared with `expected`. `explore` adds options (a `timeBudgetMs`:
   * weak explorations of kernel code are rarely complete); `note` says what the verdict
   * rests on, e.g. that "clean" holds within the budget.
   */
  readonly weak?: { readonly expected: readonly ViolationKind[]; readonly explore?: ExploreOptions; readonly note?: string };
}

/** A regression from LKML, with every revision as a variant. @remarks Since 0.1.0 */
export interface Scenario {
  readonly id: string;
  readonly title: string;
  readonly sources: ScenarioSources;
  /** A short prose account of the bug. */
  readonly story: string;
  /** Variants in patch order. */
  readonly variants: Readonly<Record<string, Variant>>;
}

/** Builds a variant whose cases are the given specs. */
export function variant(v: Omit<Variant, 'spec'> & { readonly cases: readonly RaceSpec<never>[] }): Variant {
  if (v.cases.length === 0) throw new Error(`variant ${v.id} has no cases`);
  return { ...v, spec: v.cases[0]! };
}
