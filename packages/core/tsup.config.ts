import { defineConfig } from 'tsup';

export default defineConfig({
  // The public entry, and the engine's subpath (@pagecheck/core/engine).
  entry: { index: 'src/index.ts', engine: 'src/engine/index.ts' },
  format: ['esm'],
  // Names marked @internal are not part of the public .d.ts files.
  dts: { compilerOptions: { stripInternal: true } },
  sourcemap: true,
  clean: true,
  target: 'node22',
});
