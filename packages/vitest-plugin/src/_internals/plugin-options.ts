import { SWITCH_STRATEGIES } from './env-switches.js';
import type { PluginDefaults } from './provided.js';

/**
 * Options of the pagecheck() Vitest plugin: the exploration defaults of every
 * raceTest in the project, what `vitest --shard` splits, the setup file and
 * where failure timelines go.
 * @example
 * // vitest.config.ts
 * export default defineConfig({
 *   plugins: [pagecheck({ strategy: 'exhaustive', maxSchedules: 50_000, timeBudgetMs: 20_000, shard: 'schedules', reportDir: 'reports/races' })],
 * });
 * @remarks Since 0.1.0
 */
export interface PagecheckPluginOptions {
  /** Default strategy of raceTest explorations (core's default: `exhaustive`). */
  readonly strategy?: 'random' | 'pct' | 'pos' | 'exhaustive';
  /** Default seed for `random`, `pct` and `pos`. */
  readonly seed?: number;
  /** Default maxSchedules of raceTest explorations. */
  readonly maxSchedules?: number;
  /** Default timeBudgetMs of raceTest explorations. */
  readonly timeBudgetMs?: number;
  /**
   * What `vitest --shard=i/n` splits for the projects using this plugin:
   * `'files'` (default): Vitest's own split of the test files, each raceTest
   * explored whole; `'schedules'` (opt-in, Since 0.2.0): every shard runs every
   * test file, and each raceTest explores the i-th of n slices of its schedules.
   */
  readonly shard?: 'schedules' | 'files';
  /** Add the setup entry (the matchers) to `test.setupFiles` (default true). */
  readonly setupFile?: boolean;
  /**
   * Where each failing raceTest's HTML failure timeline is written, relative to
   * Vitest's root (default `.pagecheck/reports`); `false` writes none.
   */
  readonly reportDir?: string | false;
}

/** Where the HTML failure timelines go by default, relative to Vitest's root. */
export const DEFAULT_REPORT_DIR = '.pagecheck/reports';

/** The same strategies as PAGECHECK_STRATEGY's; the annotation checks that each is one the option's type allows. */
const STRATEGIES: readonly string[] = SWITCH_STRATEGIES satisfies readonly NonNullable<PagecheckPluginOptions['strategy']>[];

/** Checks the plugin's options and returns the exploration defaults they set. */
export function pluginDefaults(options: PagecheckPluginOptions): PluginDefaults {
  if (typeof options !== 'object' || options === null) throw new TypeError(`pagecheck(options): options must be an object, got ${String(options)}`);
  const out: { -readonly [K in keyof PluginDefaults]: PluginDefaults[K] } = {};
  const { strategy, seed, maxSchedules, timeBudgetMs, shard, setupFile, reportDir } = options;
  if (strategy !== undefined) {
    if (!STRATEGIES.includes(strategy)) throw new TypeError(`pagecheck({ strategy }): '${String(strategy)}' is not a strategy; use ${STRATEGIES.join(', ')}`);
    out.strategy = strategy;
  }
  if (seed !== undefined) {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new TypeError(`pagecheck({ seed }): must be a non-negative integer, got ${String(seed)}`);
    out.seed = seed;
  }
  if (maxSchedules !== undefined) {
    if (!Number.isSafeInteger(maxSchedules) || maxSchedules < 1) throw new TypeError(`pagecheck({ maxSchedules }): must be a positive integer, got ${String(maxSchedules)}`);
    out.maxSchedules = maxSchedules;
  }
  if (timeBudgetMs !== undefined) {
    if (typeof timeBudgetMs !== 'number' || !(timeBudgetMs > 0) || !Number.isFinite(timeBudgetMs)) throw new TypeError(`pagecheck({ timeBudgetMs }): must be a positive number of milliseconds, got ${String(timeBudgetMs)}`);
    out.timeBudgetMs = timeBudgetMs;
  }
  if (shard !== undefined && shard !== 'schedules' && shard !== 'files') throw new TypeError(`pagecheck({ shard }): '${String(shard)}' is not a mode; use 'schedules' or 'files'`);
  if (setupFile !== undefined && typeof setupFile !== 'boolean') throw new TypeError(`pagecheck({ setupFile }): must be a boolean, got ${String(setupFile)}`);
  if (reportDir !== undefined && reportDir !== false && (typeof reportDir !== 'string' || reportDir.trim() === '')) {
    throw new TypeError(`pagecheck({ reportDir }): must be a directory path or false, got ${typeof reportDir === 'string' ? JSON.stringify(reportDir) : String(reportDir)}`);
  }
  return out;
}
