import { expect, it } from 'vitest';
// #region race-test
import { readFileSync } from 'node:fs';
import { GFP_KERNEL, GFP_KERNEL_ACCOUNT, __GFP_COMP, explore, type RaceSpec } from '@pagecheck/core';
import { cVariant } from '@pagecheck/core/cfront';
import { raceTest } from '@pagecheck/vitest-plugin';

// A speculative reference (get_page_unless_zero) against the owner's __free_pages().
function lookupVsFree(kernel: RaceSpec['kernel'], gfp: number): RaceSpec<{ page: number }> {
  return {
    name: 'speculative lookup vs __free_pages',
    kernel: { pages: 8, ...kernel },
    *setup(k) { return { page: (yield* k.alloc_pages(gfp, 2))! }; },
    threads: {
      *lookup(k, s) { if (yield* k.get_page_unless_zero(s.page)) yield* k.put_page(s.page); },
      *owner(k, s) { yield* k.__free_pages(s.page, 2); },
    },
  };
}

const c = (file: string) => cVariant(readFileSync(new URL(`../patches/${file}`, import.meta.url), 'utf8'), { file });

// The fix as merged: a compound block is freed once, whatever the lookup does.
raceTest('462a8e08e0e6 frees a compound block once', lookupVsFree({ overrides: c('462a8e08e0e6.c') }, GFP_KERNEL | __GFP_COMP));
// #endregion race-test

it('shows the C lines of willy-cache-memcg.c in its race diagram', () => {
  // #region explore
  const run = explore(lookupVsFree({ overrides: c('willy-cache-memcg.c') }, GFP_KERNEL_ACCOUNT));
  expect(run.kinds).toEqual(['memcg-underflow']);
  expect(run.failure?.diagram).toContain('unsigned long memcg_data = page->memcg_data;');
  // #endregion explore
}, 60_000);
