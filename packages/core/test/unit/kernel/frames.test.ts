import { describe, expect, it } from 'vitest';
import { explore } from '../../../src/explore.js';
import { createKernel } from '../../../src/kernel/kernel.js';
import { describeArg } from '../../../src/kernel/frames.js';
import { GFP_KERNEL } from '../../../src/kernel/gfp.js';
import type { RaceSpec } from '../../../src/spec.js';

describe('describeArg', () => {
  it('shows named pages by name, pfns in the zone as pfn:x, other values as they are', () => {
    const k = createKernel({ pages: 64 });
    const names = new Map([[64, 'P0']]);
    expect(describeArg(k, names, 64)).toBe('P0');
    expect(describeArg(k, names, 65)).toBe('pfn:41');
    expect(describeArg(k, names, 3)).toBe('3');
    expect(describeArg(k, names, { name: 'kmalloc-64' })).toBe('kmalloc-64');
    expect(describeArg(k, names, true)).toBe('true');
  });
});

describe('trackFrames', () => {
  it('gives recorded runs the call stack of every step, with gfp masks by name', () => {
    const spec: RaceSpec<{ p: number }> = {
      name: 'double free',
      kernel: { pages: 8 },
      *setup(k) {
        const p = (yield* k.alloc_pages(GFP_KERNEL, 0))!;
        k.name(p, 'P0');
        return { p };
      },
      threads: { *A(k, s) { yield* k.__free_pages(s.p, 0); }, *B(k, s) { yield* k.__free_pages(s.p, 0); } },
    };
    const f = explore(spec, { strategy: 'exhaustive' }).failure!;
    expect(f.diagram).toContain('__free_pages(P0, 0)');
  });

  it('leaves unrecorded runs without frames', () => {
    const k = createKernel({ pages: 8 });
    k.run(k.alloc_pages(GFP_KERNEL, 0));
    expect(k.framesOf(0)).toEqual([]);
  });
});
