import { defineConfig } from 'vitest/config';
import { syncTwinsVite } from './packages/core/build/sync-twins.mjs';

/**
 * The tests `pnpm mutation` (stryker.config.mjs) runs against each mutant: the
 * ones that exercise the mutated code (checkers, Bad page state checks, lost-update
 * detection, replay tokens). Keep this list in step with `mutate` there.
 *
 * A test file here must not run model code while Vitest collects it (an explore() or a
 * createKernel() in a describe body, or in beforeAll): Stryker sees that code as covered
 * outside every test, and runs every test against each mutant in it ("static" mutants).
 * explore.test.ts does (`const found = explore(...)`), so its replay tests are left out;
 * run-once.test.ts covers the replay checks instead.
 */
export default defineConfig({
  // The kernel functions' sync twins, as the build adds them (packages/core/src/kernel/sync-call.ts).
  plugins: [syncTwinsVite()],
  test: {
    include: [
      'packages/core/test/unit/checkers/**/*.test.ts',
      'packages/core/test/unit/kernel/page-free.test.ts',
      'packages/core/test/unit/kernel/page-alloc.test.ts',
      'packages/core/test/unit/kernel/pcp.test.ts',
      'packages/core/test/unit/kernel/compound.test.ts',
      'packages/core/test/unit/kernel/bad-page.test.ts',
      'packages/core/test/unit/memory-model/lost-update*.test.ts',
      'packages/core/test/unit/engine/execution.test.ts',
      'packages/core/test/unit/engine/token.test.ts',
      'packages/core/test/unit/run-once.test.ts',
      'packages/core/test/unit/spec-fingerprint.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 60_000,
    // One worker reused across files and runs: Stryker reruns these tests once per mutant, and a fresh
    // worker per file (import of the whole model each time) would cost more than the tests.
    isolate: false,
  },
});
