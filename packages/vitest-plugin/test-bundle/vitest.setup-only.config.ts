import { defineConfig } from 'vitest/config';

// Without the plugin: the setup entry listed in setupFiles registers the matchers.
export default defineConfig({
  test: { include: ['setup-only.test.ts'], setupFiles: ['@pagecheck/vitest-plugin/setup'] },
});
