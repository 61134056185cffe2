/**
 * Import rules, checked by `pnpm run lint:deps` (part of `pnpm test`).
 * Type-only imports count: tsPreCompilationDeps reads the sources before
 * TypeScript drops them.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycle, type-only imports included. Kernel modules import kernel/context.ts, never the assembler kernel/kernel.ts.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'engine-is-independent',
      severity: 'error',
      comment: 'The engine knows threads, steps, choices and locations: it imports nothing from the kernel, the machine, the checkers, the reports or the package\'s top-level files.',
      from: { path: '^packages/core/src/engine/' },
      to: { path: ['^packages/core/src/(kernel|machine|checkers|report)/', '^packages/core/src/[^/]+\\.ts$'] },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)dist/' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'], conditionNames: ['import', 'types', 'default'] },
  },
};
