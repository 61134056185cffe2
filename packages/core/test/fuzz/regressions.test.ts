import { describe, expect, it } from 'vitest';
import { explore } from '../../src/explore.js';
import { runOnce } from '../../src/run-once.js';
import { createKernel } from '../../src/kernel/kernel.js';
import { GFP_KERNEL } from '../../src/kernel/gfp.js';
import type { RaceSpec } from '../../src/spec.js';

// Crashes the fuzzed-input properties (entry-points.test.ts) found, one test each: every one
// of them threw an engine TypeError from inside pagecheck before the fix.

const leak: RaceSpec = { name: 'regression: alloc without free', kernel: { pages: 8 }, threads: { *A(k) { yield* k.alloc_pages(GFP_KERNEL, 0); } } };
const bare = (): object => Object.create(null) as object;

describe('fuzzed-input regressions', () => {
  it('an option holding a BigInt is named, not a JSON.stringify crash', () => {
    expect(() => explore(leak, { strategy: { x: 0n } as never })).toThrow(/explore\(\{ strategy \}\): unknown strategy \{"x":"0n"\}/);
    expect(() => runOnce(leak, { replay: { x: 0n } as never })).toThrow(/runOnce\(\{ replay \}\): must be a replay token/);
  });

  it('a kernel config holding a BigInt still fingerprints its failures', () => {
    const r = explore({ ...leak, kernel: { pages: 8, note: 1n } as never });
    expect(r.kinds).toEqual(['page-leak']);
  });

  it('a kernel config value without a prototype is named', () => {
    expect(() => createKernel({ pages: bare() as never })).toThrow(/kernel.pages must be a positive integer/);
    expect(() => createKernel({ cpus: bare() as never })).toThrow(/kernel.cpus must be an integer/);
    expect(() => createKernel({ cpus: 'many' as never })).toThrow(/kernel.cpus must be an integer in 1..64/);
  });

  it('an invariant returning an object without a prototype is a violation naming it', () => {
    const spec: RaceSpec = { ...leak, kernel: { pages: 8, invariants: [{ name: 'bare-result', check: () => bare() as never }] } };
    const r = explore(spec, { stopOnFirst: false });
    expect(r.violations.find((v) => v.kind === 'invariant')?.message).toMatch(/bare-result: check returned \{\}; return a message/);
  });

  it("an invariant's pfn that is not a page is named in its violation", () => {
    for (const pfn of [bare(), 'x', -1, 1e9]) {
      const spec: RaceSpec = { ...leak, kernel: { pages: 8, invariants: [{ name: 'bad-pfn', check: () => ({ message: 'broken', pfn: pfn as never }) }] } };
      const v = explore(spec, { stopOnFirst: false }).violations.find((x) => x.kind === 'invariant');
      expect(v?.message).toMatch(/bad-pfn: broken \(the check returned pfn .*, which is not a page of this kernel: return a pfn in \d+\.\.\d+, or leave pfn out\)/);
    }
  });
});
