import type { Plugin } from 'vitest/config';
import { runOnEveryShard } from './_internals/every-shard-sequencer.js';
import { resolve } from 'node:path';
import { DEFAULT_REPORT_DIR, pluginDefaults, type PagecheckPluginOptions } from './_internals/plugin-options.js';
import { PROVIDE_KEY, type Provided } from './_internals/provided.js';
import { findSetupFile } from './_internals/setup-file.js';
import { replayCheckReporter } from './_internals/replay-check.js';

/** The Vitest runs that have the replay check already (one per run, however many projects use the plugin). */
const checked = new WeakSet<object>();
import { checkNodeVersion } from './_internals/node-version.js';

export type { PagecheckPluginOptions } from './_internals/plugin-options.js';

/**
 * The Vitest plugin: registers the matchers (adds the setup entry to
 * `test.setupFiles`), passes exploration defaults to raceTest, with
 * `shard: 'schedules'` makes `vitest --shard=i/n` split raceTest explorations
 * deterministically (by default Vitest splits the files as usual), and
 * has each failing raceTest write an HTML failure timeline
 * (`.pagecheck/reports/` under Vitest's root, or `reportDir`), and fails a
 * run whose PAGECHECK_REPLAY token replayed no race test (a stale token). On a
 * Node.js older than Vitest 5 supports (22.12), it throws an error naming the
 * version and the fix (20.19 and later 20.x releases, which may still run: a warning).
 *
 * @example
 * // vitest.config.ts
 * import { defineConfig } from 'vitest/config';
 * import { pagecheck } from '@pagecheck/vitest-plugin';
 * export default defineConfig({ plugins: [pagecheck({ strategy: 'pct', seed: 7 })] });
 * @remarks Since 0.1.0
 */
export function pagecheck(options: PagecheckPluginOptions = {}): Plugin {
  // Loaded with the config, before Vitest starts its workers: the place to name an unsupported Node.js.
  checkNodeVersion();
  const defaults = pluginDefaults(options);
  const mode = options.shard ?? 'files';
  // Resolved now, beside this module: dist/setup.js when installed, src/setup.ts in this repository.
  const setupFile = options.setupFile === false ? undefined : findSetupFile(import.meta.url);
  return {
    name: 'pagecheck',
    config() {
      return setupFile === undefined ? {} : { test: { setupFiles: [setupFile] } };
    },
    configureVitest({ vitest, project }) {
      const shard = mode === 'schedules' ? vitest.config.shard : undefined;
      // Beside Vitest's own reports: <root>/.pagecheck/reports by default.
      const reportDir = options.reportDir === false ? undefined : resolve(vitest.config.root ?? process.cwd(), options.reportDir ?? DEFAULT_REPORT_DIR);
      const provided: Provided = {
        defaults,
        testTimeout: project.config.testTimeout,
        ...(reportDir === undefined ? {} : { reportDir }),
        ...(shard === undefined ? {} : { shard: { index: shard.index - 1, count: shard.count } }),
      };
      (project.provide as (key: string, value: unknown) => void)(PROVIDE_KEY, provided);
      if (shard !== undefined) runOnEveryShard(vitest, project);
      // A PAGECHECK_REPLAY token that replays no race test fails the run, saying why.
      // Not under file sharding: the token's test may run on another shard.
      const reporters: unknown = vitest.config.reporters;
      if (Array.isArray(reporters) && !checked.has(vitest) && !(vitest.config.shard !== undefined && mode === 'files')) {
        checked.add(vitest);
        reporters.push(replayCheckReporter(process.env));
      }
    },
  };
}
