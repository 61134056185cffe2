import { describe, expect, it } from 'vitest';
import { checkLitmus } from '../../../src/engine/litmus/litmus.js';
import { derivedLitmusTests, kernelLitmusTests, kernelLockingLitmusTests } from './kernel-litmus.js';
import { dataRaceLitmusTests, derivedDependencyLitmusTests, kernelDependencyLitmusTests } from './kernel-litmus-rcu.js';

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

describe('dependencies, pointers, plain accesses, spin_is_locked and RCU: kernel and collection tests, herd7 verdicts', () => {
  for (const test of kernelDependencyLitmusTests) {
    it(`${test.name}: herd7 says ${test.result}`, () => {
      const r = checkLitmus(test);
      expect(r.complete).toBe(true);
      expect(r.verdict).toBe(test.result);
      expect(r.flags).toEqual([]);
    });
  }
});

describe('dependency, SRCU and RCU variants, with verdicts worked out from linux-kernel.cat', () => {
  for (const test of derivedDependencyLitmusTests) {
    it(`${test.name}: linux-kernel.cat gives ${test.result}`, () => {
      const r = checkLitmus(test);
      expect(r.complete).toBe(true);
      expect(r.verdict).toBe(test.result);
    });
  }
});

describe('data races (Flag data-race)', () => {
  for (const test of dataRaceLitmusTests) {
    it(`${test.name}: ${test.result}${test.dataRace === true ? ', flagged' : ', not flagged'}`, () => {
      const r = checkLitmus(test);
      expect(r.complete).toBe(true);
      expect(r.verdict).toBe(test.result);
      expect(r.flags).toEqual(test.dataRace === true ? ['data-race'] : []);
      if (test.dataRace === true) expect(r.race).toMatch(/plain/);
    });
  }
});
