import { describe, expect, it } from 'vitest';
import { kernelGeometry } from '../../../src/kernel/config.js';

describe('kernelGeometry', () => {
  it('fills in the defaults: 64 pages, MAX_ORDER from the size, the zone aligned to its largest block', () => {
    expect(kernelGeometry({})).toEqual({ pages: 64, maxOrder: 7, startPfn: 64, nrGlobals: 8 + 7 * 3 + 8 + 34 + 64, memcgLimit: undefined });
    expect(kernelGeometry({ pages: 4096 }).maxOrder).toBe(11);
  });

  it('keeps the memcg limit, and none with memcg off', () => {
    expect(kernelGeometry({ memcg: { limit: 3 } }).memcgLimit).toBe(3);
    expect(kernelGeometry({ memcg: false }).memcgLimit).toBeUndefined();
  });

  it('says what is wrong with each bad number', () => {
    expect(() => kernelGeometry({ pages: 0 })).toThrow('kernel.pages must be a positive integer (the number of struct pages), got 0');
    expect(() => kernelGeometry({ maxOrder: 17 })).toThrow(/kernel.maxOrder must be an integer in 1..16/);
    expect(() => kernelGeometry({ maxOrder: 3, startPfn: 6 })).toThrow('kernel.startPfn must be a positive multiple of 4 (the largest block), got 6');
    expect(() => kernelGeometry({ globals: -1 })).toThrow('kernel.globals must be a non-negative integer, got -1');
    expect(() => kernelGeometry({ memcg: { limit: 1.5 } })).toThrow('kernel.memcg.limit must be a non-negative integer number of pages, got 1.5');
  });
});
