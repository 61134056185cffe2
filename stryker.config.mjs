// @ts-check
/**
 * Mutation testing of what decides pagecheck's verdicts (`pnpm mutation`; docs/guide/mutation.md).
 * Not part of CI: a full run takes a while on two cores; incremental mode retests only the
 * mutants whose code or tests changed since mutation/incremental.json was written.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  packageManager: 'pnpm',
  // pnpm keeps each package's dependencies apart: name the plugins instead of letting Stryker glob for them.
  plugins: ['@stryker-mutator/vitest-runner', '@stryker-mutator/typescript-checker'],
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts', related: false },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.stryker.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  concurrency: 2,
  incremental: true,
  incrementalFile: 'mutation/incremental.json',
  mutate: [
    // The checkers: every violation kind a kernel model reports at free, at allocation, per step and at the end.
    'packages/core/src/checkers/**/*.ts',
    // free_pages_prepare, free_tail_pages_check, check_free_page, page_expected_state, page_bad_reason, bad_page.
    'packages/core/src/kernel/page-free.ts:57-175',
    // rmqueue dropping a bad block; check_new_pages, check_new_page.
    'packages/core/src/kernel/page-alloc.ts:67-86',
    'packages/core/src/kernel/page-alloc.ts:120-135',
    // Lost-update detection: sequential consistency (Execution.checkLostUpdate) and the weak models' graph.
    'packages/core/src/engine/execution.ts:346-356',
    'packages/core/src/engine/memory-model/lost-updates.ts',
    // Replay tokens: encoding, decoding, the stale-token check, and runOnce's replay checks.
    'packages/core/src/engine/token.ts',
    'packages/core/src/spec-fingerprint.ts',
    'packages/core/src/run-once.ts:38-55',
  ],
  ignorePatterns: ['docs/.vitepress/cache', 'docs/.vitepress/dist', 'docs/api', 'docs/scenarios', 'docs/public/mutation', 'bench', 'examples', '.pagecheck', 'coverage', 'dist'],
  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: 'docs/public/mutation/index.html' },
  jsonReporter: { fileName: 'mutation/report.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
