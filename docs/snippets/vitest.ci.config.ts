// #region config
import { defineConfig } from 'vitest/config';
import { pagecheck } from '@pagecheck/vitest-plugin';

export default defineConfig({
  plugins: [
    pagecheck({
      strategy: 'exhaustive', // the default: every schedule, up to the reduction
      maxSchedules: 50_000,   // per raceTest (per shard when sharded)
      timeBudgetMs: 20_000,
    }),
  ],
});
// #endregion config
