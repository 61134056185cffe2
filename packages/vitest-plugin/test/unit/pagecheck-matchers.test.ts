import { describe, expect, it } from 'vitest';
import { pagecheckMatchers } from '../../src/pagecheck-matchers.js';
import { clean, leak } from '../specs.js';

describe('pagecheckMatchers', () => {
  it('holds the six matchers, by name', () => {
    expect(Object.keys(pagecheckMatchers).sort()).toEqual(['toBalanceMemcg', 'toHaveNoViolations', 'toNotDoubleFree', 'toNotLeakPages', 'toNotUseAfterFree', 'toViolate']);
    for (const [name, fn] of Object.entries(pagecheckMatchers)) expect(fn.name).toBe(name);
  });

  it('registers with expect.extend', () => {
    expect.extend(pagecheckMatchers);
    expect(clean).toNotLeakPages();
    expect(() => expect(leak).toNotLeakPages()).toThrow(/found page-leak/);
  });

  it('also gives asymmetric matchers', () => {
    expect.extend(pagecheckMatchers);
    expect({ run: leak }).toEqual({ run: expect.toViolate('page-leak') });
    expect({ run: clean }).not.toEqual({ run: expect.toViolate('page-leak') });
  });
});
