// No import of @pagecheck/vitest-plugin: the matchers come from setupFiles,
// their types from `"types": ["@pagecheck/vitest-plugin/setup"]` (tsconfig.setup-types.json).
import { explore, GFP_KERNEL, type RaceSpec } from '@pagecheck/core';
import { expect, it } from 'vitest';

const leak: RaceSpec = { name: 'leak', kernel: { pages: 8 }, threads: { *A(k) { yield* k.alloc_pages(GFP_KERNEL, 0); } } };

it('has the matchers from the setup entry alone', () => {
  const e = explore(leak, { stopOnFirst: false }); // complete: a clean verdict on double frees is earned
  expect(e).toViolate('page-leak');
  expect(e).toNotDoubleFree();
  expect(() => expect(e).toHaveNoViolations()).toThrow(/found page-leak/);
  // @ts-expect-error not a ViolationKind
  expect(() => expect(e).toViolate('leak')).toThrow(TypeError);
});
