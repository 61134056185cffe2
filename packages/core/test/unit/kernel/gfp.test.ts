import { describe, expect, it } from 'vitest';
import {
  GFP_ATOMIC, GFP_HIGHUSER_MOVABLE, GFP_KERNEL, GFP_KERNEL_ACCOUNT, GFP_KNOWN, __GFP_ACCOUNT, __GFP_COMP, __GFP_NOWARN, __GFP_ZERO, gfpName,
} from '../../../src/kernel/gfp.js';

describe('gfpName', () => {
  it('names masks the way page_owner prints them', () => {
    expect(gfpName(GFP_KERNEL)).toBe('GFP_KERNEL');
    expect(gfpName(GFP_KERNEL | __GFP_COMP)).toBe('GFP_KERNEL|__GFP_COMP');
    expect(gfpName(GFP_KERNEL_ACCOUNT)).toBe('GFP_KERNEL|__GFP_ACCOUNT');
    expect(gfpName(GFP_ATOMIC | __GFP_NOWARN | __GFP_ZERO)).toBe('GFP_ATOMIC|__GFP_ZERO|__GFP_NOWARN');
    expect(gfpName(GFP_HIGHUSER_MOVABLE)).toBe('GFP_KERNEL|__GFP_HIGHMEM|__GFP_MOVABLE');
    expect(gfpName(0)).toBe('0');
    expect(gfpName(0x1)).toBe('0x1');
  });
});

describe('GFP_KNOWN', () => {
  it('covers every flag the model defines', () => {
    for (const f of [GFP_KERNEL, GFP_ATOMIC, GFP_HIGHUSER_MOVABLE, __GFP_ACCOUNT, __GFP_COMP, __GFP_NOWARN, __GFP_ZERO]) {
      expect(f & ~GFP_KNOWN).toBe(0);
    }
  });
});
