// Compile-only: the built types, as a user importing the package sees them.
import type { Exploration } from '@pagecheck/core';
import { pagecheck, pagecheckMatchers, raceTest, type RaceTestOptions } from '@pagecheck/vitest-plugin';
import { expect, expectTypeOf } from 'vitest';

declare const e: Exploration;
expect(e).toNotLeakPages();
expect(e).not.toViolate('double-free');
// @ts-expect-error not a ViolationKind
expect(e).toViolate('not-a-kind');
expect.extend(pagecheckMatchers);
expectTypeOf(pagecheck).returns.toHaveProperty('name');
const options: RaceTestOptions = { expect: ['page-leak'], timeout: 1_000, strategy: 'random' };
// @ts-expect-error not a strategy
const bad: RaceTestOptions = { strategy: 'bfs' };
export { options, bad, raceTest };
