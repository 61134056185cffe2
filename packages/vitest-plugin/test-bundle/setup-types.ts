/// <reference types="@pagecheck/vitest-plugin/setup" />
// Compile-only: the matcher types come from the setup entry alone, as with
// `"types": ["@pagecheck/vitest-plugin/setup"]` in a tsconfig.
import type { Exploration } from '@pagecheck/core';
import { expect } from 'vitest';

declare const e: Exploration;
expect(e).toBalanceMemcg();
expect(e).toViolate('memcg-leak');
// @ts-expect-error not a ViolationKind
expect(e).toViolate('memcg');
