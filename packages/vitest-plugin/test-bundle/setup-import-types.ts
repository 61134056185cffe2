// Compile-only: `import '@pagecheck/vitest-plugin/setup'` (the side-effect
// import a test file or setup file may use) brings the matcher types too.
import '@pagecheck/vitest-plugin/setup';
import type { Exploration } from '@pagecheck/core';
import { expect } from 'vitest';

declare const e: Exploration;
expect(e).toNotDoubleFree();
expect(e).not.toViolate('use-after-free');
// @ts-expect-error not a ViolationKind
expect(e).toViolate('uaf');
