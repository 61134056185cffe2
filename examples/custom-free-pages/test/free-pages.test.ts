import { describe, expect, it } from 'vitest';
import { GFP_KERNEL, GFP_KERNEL_ACCOUNT, __GFP_COMP, explore } from '@pagecheck/core';
import { freePagesRevisions, speculativeRace } from '@pagecheck/scenarios';
import { raceTest } from '@pagecheck/vitest-plugin';
import { myFreePages, proposalFreePages, shortcutFreePages } from '../src/my-free-pages.js';

describe('our __free_pages against a speculative page cache reference', () => {
  raceTest('does not leak or double free a non-compound block', speculativeRace('mine: non-compound', myFreePages, GFP_KERNEL, 2));
  raceTest('does not double free a compound page', speculativeRace('mine: compound', myFreePages, GFP_KERNEL | __GFP_COMP, 2));
  raceTest('keeps the memcg charge balanced for an accounted block', speculativeRace('mine: accounted', myFreePages, GFP_KERNEL_ACCOUNT, 2));

  it('passes every matcher, explored exhaustively', () => {
    const run = explore(speculativeRace('mine: accounted, matchers', myFreePages, GFP_KERNEL_ACCOUNT, 2), { stopOnFirst: false });
    expect(run.complete).toBe(true);
    expect(run).toNotLeakPages();
    expect(run).toNotDoubleFree();
    expect(run).toNotUseAfterFree();
    expect(run).toBalanceMemcg();
    expect(run).toHaveNoViolations();
  });
});

describe('the shortcut and upstream, for comparison', () => {
  it('the shortcut leaks the tail pages (as before 5.10)', () => {
    const run = explore(speculativeRace('shortcut', shortcutFreePages, GFP_KERNEL, 2), { stopOnFirst: false });
    expect(run).toViolate('page-leak');
    expect(run).toNotDoubleFree();
  });

  raceTest('the proposal as posted drops css references nobody took', speculativeRace('proposal', proposalFreePages, GFP_KERNEL_ACCOUNT, 2), {
    expect: ['memcg-underflow'],
  });

  raceTest('upstream 462a8e08e0e6 still leaks the charge of accounted tails', speculativeRace('upstream', freePagesRevisions.fix462a8e08e0e6, GFP_KERNEL_ACCOUNT, 2), {
    expect: ['memcg-leak'],
  });
});
