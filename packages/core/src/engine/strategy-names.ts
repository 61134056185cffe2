/**
 * The strategies, defined once: the `Strategy` type, the strategies `explore`
 * accepts and every list of them shown to a user come from this table.
 * `searches`: the strategy explores many schedules (`replay` runs one).
 * @remarks Since 0.1.0
 */
export const STRATEGIES = {
  /** Uniformly random schedules, seeded. */
  random: { searches: true },
  /** Probabilistic concurrency testing (Burckhardt et al. 2010), depth d. */
  pct: { searches: true },
  /** Partial order sampling (Yuan, Yang, Gu 2018). */
  pos: { searches: true },
  /** Depth-first search of every schedule, with partial-order reduction. */
  exhaustive: { searches: true },
  /** One recorded schedule. */
  replay: { searches: false },
} as const satisfies Readonly<Record<string, { readonly searches: boolean }>>;

/** How schedules are chosen. @remarks Since 0.1.0 */
export type Strategy = keyof typeof STRATEGIES;

/** A strategy that explores many schedules: every strategy but `replay`. @remarks Since 0.1.0 */
export type SearchStrategy = { [K in Strategy]: (typeof STRATEGIES)[K]['searches'] extends true ? K : never }[Strategy];

/** The strategies that explore many schedules, in the table's order. @remarks Since 0.1.0 */
export const SEARCH_STRATEGIES: readonly SearchStrategy[] = (Object.keys(STRATEGIES) as Strategy[]).filter((s): s is SearchStrategy => STRATEGIES[s].searches);

/**
 * True when `s` names a strategy that explores many schedules.
 * @example
 * ```ts
 * isSearchStrategy('pct'); // true
 * isSearchStrategy('replay'); // false
 * ```
 * @remarks Since 0.1.0
 */
export function isSearchStrategy(s: unknown): s is SearchStrategy {
  return typeof s === 'string' && (SEARCH_STRATEGIES as readonly string[]).includes(s);
}
