import { describe, expect, it } from 'vitest';
import { createKernel } from '../../../src/kernel/kernel.js';
import { GFP_KERNEL } from '../../../src/kernel/gfp.js';
import { pagePayload, reportWarn } from '../../../src/checkers/policy.js';
import { StopRun } from '../../../src/engine/execution.js';

describe('the checker policy', () => {
  it('gives a violation about a page its pfn and history, and none for a pfn outside the memmap', () => {
    const k = createKernel({ pages: 8 });
    const p = k.run(k.alloc_pages(GFP_KERNEL, 0))!;
    expect(pagePayload(k, p)).toEqual({ pfn: p, history: [{ what: 'page allocated via order 0, gfp_mask GFP_KERNEL', thread: 'main', step: -1 }] });
    expect(pagePayload(k, -1)).toEqual({});
    expect(pagePayload(k, 1 << 20)).toEqual({});
  });

  it('reports a warning once per kind and page, and the run goes on', () => {
    const k = createKernel({ pages: 8 });
    const p = k.pfn(0);
    reportWarn(k, 'use-after-free', 'first', p);
    reportWarn(k, 'use-after-free', 'again', p);
    reportWarn(k, 'use-after-free', 'another page', p + 1);
    reportWarn(k, 'page-leak', 'another kind', p);
    expect(k.violations.map((v) => v.message)).toEqual(['first', 'another page', 'another kind']);
    expect(k.exec.stopped).toBe(false);
  });

  it('stops the run at a bug', () => {
    const k = createKernel({ pages: 8 });
    expect(() => k.bug('wild-deref', 'a wild pointer', -1)).toThrow(StopRun);
    expect(k.exec.stopped).toBe(true);
    expect(k.violations).toEqual([expect.objectContaining({ kind: 'wild-deref', message: 'a wild pointer' })]);
  });
});
