import { defineConfig } from 'vitest/config';
import { pagecheck } from '@pagecheck/vitest-plugin';

export default defineConfig({
  plugins: [pagecheck({ strategy: 'exhaustive' })],
  test: { include: ['test/**/*.test.ts'] },
});
