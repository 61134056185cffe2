import { defineConfig } from 'vitest/config';
import { syncTwinsVite } from './packages/core/build/sync-twins.mjs';

export default defineConfig({
  // The kernel functions' sync twins, as the build adds them (packages/core/src/kernel/sync-call.ts).
  plugins: [syncTwinsVite()],
  test: {
    include: ['packages/*/test/**/*.test.ts', 'docs/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    typecheck: {
      enabled: true,
      include: ['packages/*/test-types/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
    testTimeout: 60_000,
    pool: 'forks',
  },
});
