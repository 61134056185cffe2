import { explore } from '@pagecheck/core';
import { describe, expect, it } from 'vitest';
import '../../../src/setup.js';
import { clean, doubleFree, leak } from '../../specs.js';

// Vitest prints a failed matcher's diff from the error's `expected` and `actual`:
// the kinds the claim allows against the kinds found, never the forbidden kinds as "expected".

function diffOf(assertion: () => void): { expected: unknown; actual: unknown } {
  try {
    assertion();
  } catch (e) {
    const { expected, actual } = e as { expected: unknown; actual: unknown };
    return { expected, actual };
  }
  throw new Error('the assertion passed');
}

const found = explore(doubleFree, { stopOnFirst: false }).kinds;

describe('a matcher failure\'s diff', () => {
  it('shows what was found against what the claim allows', () => {
    expect(found).toContain('double-free');
    expect(diffOf(() => expect(doubleFree).toNotDoubleFree())).toEqual({ actual: found, expected: found.filter((k) => k !== 'double-free') });
    expect(diffOf(() => expect(leak).toHaveNoViolations())).toEqual({ actual: ['page-leak'], expected: [] });
    expect(diffOf(() => expect(leak).toNotLeakPages())).toEqual({ actual: ['page-leak'], expected: [] });
  });

  it('shows the kind toViolate asked for as expected, and found kinds as actual', () => {
    expect(diffOf(() => expect(clean).toViolate('page-leak'))).toEqual({ actual: [], expected: ['page-leak'] });
    expect(diffOf(() => expect(doubleFree).not.toViolate('double-free'))).toEqual({ actual: found, expected: found.filter((k) => k !== 'double-free') });
  });

  it('with .not on an absence matcher, expects the kinds it asked for', () => {
    expect(diffOf(() => expect(clean).not.toNotDoubleFree())).toEqual({ actual: [], expected: ['double-free'] });
    expect(diffOf(() => expect(clean).not.toHaveNoViolations())).toEqual({ actual: [], expected: ['any violation'] });
  });
});
