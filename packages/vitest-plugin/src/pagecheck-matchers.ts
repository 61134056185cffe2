import { toBalanceMemcg } from './matchers/to-balance-memcg.js';
import { toHaveNoViolations } from './matchers/to-have-no-violations.js';
import { toNotDoubleFree } from './matchers/to-not-double-free.js';
import { toNotLeakPages } from './matchers/to-not-leak-pages.js';
import { toNotUseAfterFree } from './matchers/to-not-use-after-free.js';
import { toViolate } from './matchers/to-violate.js';

/**
 * Every pagecheck matcher, for `expect.extend(pagecheckMatchers)` (the setup
 * entry `@pagecheck/vitest-plugin/setup` does this for you).
 * @example
 * // A setup file of your own, without the plugin:
 * import { expect } from 'vitest';
 * import { pagecheckMatchers } from '@pagecheck/vitest-plugin';
 * expect.extend(pagecheckMatchers);
 * @remarks Since 0.1.0
 */
export const pagecheckMatchers = {
  toNotLeakPages,
  toNotDoubleFree,
  toNotUseAfterFree,
  toBalanceMemcg,
  toHaveNoViolations,
  toViolate,
};
