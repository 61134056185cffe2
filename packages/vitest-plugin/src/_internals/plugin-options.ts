import { checkExploreOptions, pickExploreDefaults, type ExploreDefaults } from '@pagecheck/core';
import type { PluginDefaults } from './provided.js';
import { describeValue } from './describe-value.js';

/**
 * Options of the pagecheck() Vitest plugin: defaults for every raceTest
 * exploration (every option of core's `explore` but the per-run `replay` and
 * `shard`; a test's own options override them), and the plugin's settings.
 * @example
 * // vitest.config.ts
 * export default defineConfig({
 *   plugins: [pagecheck({ strategy: 'exhaustive', maxSchedules: 50_000, timeBudgetMs: 20_000, shard: 'schedules', reportDir: 'reports/races' })],
 * });
 * @remarks Since 0.1.0
 */
export interface PagecheckPluginOptions extends ExploreDefaults {
  /**
   * What `vitest --shard=i/n` splits for the projects using this plugin:
   * `'files'` (default): Vitest's own split of the test files, each raceTest
   * explored whole; `'schedules'` (opt-in, Since 0.1.0): every shard runs every
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

/** A value in a message: a primitive as String shows it, anything else described (String throws on some objects). */
function shown(x: unknown): string {
  return x === null || (typeof x !== 'object' && typeof x !== 'function' && typeof x !== 'symbol') ? String(x) : describeValue(x);
}

/** Where the HTML failure timelines go by default, relative to Vitest's root. */
export const DEFAULT_REPORT_DIR = '.pagecheck/reports';

/** Checks the plugin's options and returns the exploration defaults they set. */
export function pluginDefaults(options: PagecheckPluginOptions): PluginDefaults {
  if (typeof options !== 'object' || options === null) throw new TypeError(`pagecheck(options): options must be an object, got ${shown(options)}`);
  const defaults = pickExploreDefaults(options);
  checkExploreOptions('pagecheck', defaults);
  const { shard, setupFile, reportDir } = options;
  if (shard !== undefined && shard !== 'schedules' && shard !== 'files') throw new TypeError(`pagecheck({ shard }): ${typeof shard === 'string' ? `'${shard}'` : shown(shard)} is not a mode; use 'schedules' or 'files'`);
  if (setupFile !== undefined && typeof setupFile !== 'boolean') throw new TypeError(`pagecheck({ setupFile }): must be a boolean, got ${shown(setupFile)}`);
  if (reportDir !== undefined && reportDir !== false && (typeof reportDir !== 'string' || reportDir.trim() === '')) {
    throw new TypeError(`pagecheck({ reportDir }): must be a directory path or false, got ${typeof reportDir === 'string' ? JSON.stringify(reportDir) : shown(reportDir)}`);
  }
  return defaults;
}
