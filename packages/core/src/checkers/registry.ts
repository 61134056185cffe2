import type { Checker } from './checker.js';
import { doubleAlloc } from './double-alloc.js';
import { doubleFree } from './double-free.js';
import { freeLists } from './free-lists.js';
import { invariantCheckers, type Invariant } from './invariant.js';
import { leak } from './leak.js';
import { lockRules } from './lock-rules.js';
import { memcgBalance } from './memcg-balance.js';
import { staleLookup } from './stale-lookup.js';
import { cssRefs } from './css-refs.js';
import { structPage } from './struct-page.js';
import { useAfterFree } from './use-after-free.js';

/**
 * The checkers a kernel runs, in the order they run at each point (at
 * teardown: leaks, memcg balance, css references, free lists, then the user's invariants).
 * Adding a checker: one file in this folder, one line here.
 */
export function builtinCheckers(invariants: readonly Invariant[]): Checker[] {
  return [
    useAfterFree,
    doubleFree,
    doubleAlloc,
    structPage,
    lockRules,
    staleLookup,
    leak,
    memcgBalance,
    cssRefs,
    freeLists,
    ...invariantCheckers(invariants),
  ];
}
