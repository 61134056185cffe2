import { describe, expect, it } from 'vitest';
import { describePfn } from '../../../src/kernel/context.js';

describe('describePfn', () => {
  it('names a pfn in hex, and anything else as it is', () => {
    expect(describePfn(0x4a)).toBe('pfn:4a');
    expect(describePfn(Number.NaN)).toBe('NaN');
    expect(describePfn(1.5)).toBe('1.5');
  });
});
