import { describe, expect, it } from 'vitest';
import { createKernel } from '../../../src/kernel/kernel.js';
import { GFP_KERNEL, GFP_KERNEL_ACCOUNT, __GFP_COMP } from '../../../src/kernel/gfp.js';
import { builtinCheckers } from '../../../src/checkers/registry.js';
import { checkerSet } from '../../../src/checkers/checker.js';
import { alloc } from '../kernel-helpers.js';

describe('the built-in checkers at teardown', () => {
  it('reports nothing after a balanced run', () => {
    const k = createKernel({ pages: 64 });
    const p = alloc(k, 2, GFP_KERNEL | __GFP_COMP);
    const q = alloc(k, 0, GFP_KERNEL_ACCOUNT);
    k.run(k.put_page(p));
    k.run(k.__free_pages(q, 0));
    k.finalChecks();
    expect(k.violations).toEqual([]);
  });
});

describe('builtinCheckers', () => {
  it('lists one checker per file, teardown ones in the order they report', () => {
    expect(builtinCheckers([]).map((c) => c.name)).toEqual([
      'use-after-free', 'double-free', 'double-alloc', 'struct-page', 'lock-rules', 'stale-lookup', 'leak', 'memcg-balance', 'css-refs', 'free-lists',
    ]);
  });

  it('adds the user\'s invariants last, as every-step and teardown checkers', () => {
    const names = builtinCheckers([
      { name: 'a', at: 'step', check: () => undefined },
      { name: 'b', check: () => undefined },
    ]).map((c) => c.name);
    expect(names.slice(-2)).toEqual(['invariants (every step)', 'invariants (teardown)']);
  });
});

describe('checkerSet', () => {
  it('groups checkers by the points they watch, keeping their order', () => {
    const set = checkerSet(builtinCheckers([]));
    expect(set.atEnd.map((c) => c.name)).toEqual(['leak', 'memcg-balance', 'css-refs', 'free-lists']);
    expect(set.onWrite.map((c) => c.name)).toEqual(['use-after-free']);
    expect(set.onFree.map((c) => c.name)).toEqual(['double-free']);
    expect(set.onLookup.map((c) => c.name)).toEqual(['stale-lookup']);
    expect(set.afterStep).toEqual([]);
  });
});
