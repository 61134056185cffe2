// #region config
import { defineConfig } from 'vitest/config';
import { pagecheck } from '@pagecheck/vitest-plugin';

export default defineConfig({
  plugins: [pagecheck()],
});
// #endregion config
