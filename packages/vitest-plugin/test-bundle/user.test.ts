import { GFP_KERNEL, explore, type RaceSpec } from '@pagecheck/core';
import { raceTest } from '@pagecheck/vitest-plugin';
import { expect, test } from 'vitest';

const leak: RaceSpec = { name: 'leak', kernel: { pages: 8 }, threads: { *A(k) { yield* k.alloc_pages(GFP_KERNEL, 0); } } };
const clean: RaceSpec<{ p: number }> = {
  name: 'clean',
  kernel: { pages: 8 },
  *setup(k) { return { p: (yield* k.alloc_pages(GFP_KERNEL, 0))! }; },
  threads: { *A(k, s) { yield* k.__free_pages(s.p, 0); } },
};

// No expect.extend here: the plugin's setup file registered the matchers.
test('the matchers are registered', () => {
  expect(explore(clean)).toHaveNoViolations();
  expect(leak).toViolate('page-leak');
  expect(() => expect(leak).toNotLeakPages()).toThrow(/replay: pc1\./);
});

raceTest('a clean race', clean);
raceTest('a known leak', leak, { expect: ['page-leak'] });
