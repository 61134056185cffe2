import { defineConfig } from 'tsup';
import { syncTwinsEsbuild } from './build/sync-twins.mjs';

export default defineConfig({
  // The public entry, and the engine's subpath (@pagecheck/core/engine).
  entry: { index: 'src/index.ts', engine: 'src/engine/index.ts', cfront: 'src/cfront/index.ts' },
  format: ['esm'],
  // Declarations come from tsc (tsconfig.build.json), one .d.ts per source file: the kernel modules' augmentations of kernel/context.ts stay valid, which a bundled .d.ts loses.
  dts: false,
  sourcemap: true,
  clean: true,
  target: 'node22',
  // The kernel functions' sync twins, for the sequential fast path (src/kernel/sync-call.ts).
  esbuildPlugins: [syncTwinsEsbuild()],
});
