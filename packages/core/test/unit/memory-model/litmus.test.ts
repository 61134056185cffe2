import { describe, expect, it } from 'vitest';
import { checkLitmus } from '../../../src/engine/litmus/litmus.js';
import { derivedLitmusTests, kernelLitmusTests, kernelLockingLitmusTests } from './kernel-litmus.js';

describe('the Linux kernel litmus tests under memoryModel lkmm', () => {
  for (const test of [...kernelLitmusTests, ...kernelLockingLitmusTests]) {
    it(`${test.name}: herd7 says ${test.result}`, () => {
      const r = checkLitmus(test);
      if (r.witness !== undefined) console.log(`${test.name}: Sometimes, witnessed by\n${r.witness}\n`);
      expect(r.complete).toBe(true);
      expect(r.verdict).toBe(test.result);
    });
  }
});

describe('2+2W, with verdicts worked out from linux-kernel.cat (no kernel test has the shape)', () => {
  for (const test of derivedLitmusTests) {
    it(`${test.name}: linux-kernel.cat gives ${test.result}`, () => {
      const r = checkLitmus(test);
      if (r.witness !== undefined) console.log(`${test.name}: Sometimes, witnessed by\n${r.witness}\n`);
      expect(r.complete).toBe(true);
      expect(r.verdict).toBe(test.result);
    });
  }
});
