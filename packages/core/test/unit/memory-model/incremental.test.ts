import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLitmus } from '../../../src/engine/litmus/litmus.js';
import { WeakMemory } from '../../../src/engine/memory-model/weak-memory.js';
import { derivedLitmusTests, kernelLitmusTests, kernelLockingLitmusTests } from './kernel-litmus.js';
import { dataRaceLitmusTests, derivedDependencyLitmusTests, kernelDependencyLitmusTests } from './kernel-litmus-rcu.js';

// WeakMemory checks the axioms only after an event with an outgoing edge, and only
// over the graph's cyclic core; with `verify` set, every access also checks the whole
// graph as the cat file states it and throws when the two disagree.
describe('the incremental LKMM check agrees with the full one after every access', () => {
  beforeAll(() => {
    WeakMemory.verify = true;
  });
  afterAll(() => {
    WeakMemory.verify = false;
  });
  for (const test of [...kernelLitmusTests, ...kernelLockingLitmusTests, ...derivedLitmusTests]) {
    for (const reduction of [true, false]) {
      it(`${test.name} (reduction ${reduction ? 'on' : 'off'})`, () => {
        const r = checkLitmus(test, { reduction });
        expect(r.complete).toBe(true);
        expect(r.verdict).toBe(test.result);
      });
    }
  }
});

describe('the incremental check with dependencies, plain accesses, RCU and SRCU agrees with the full one', () => {
  beforeAll(() => {
    WeakMemory.verify = true;
  });
  afterAll(() => {
    WeakMemory.verify = false;
  });
  for (const test of [...kernelDependencyLitmusTests, ...derivedDependencyLitmusTests, ...dataRaceLitmusTests]) {
    for (const reduction of [true, false]) {
      it(`${test.name} (reduction ${reduction ? 'on' : 'off'})`, () => {
        const r = checkLitmus(test, { reduction });
        expect(r.complete).toBe(true);
        expect(r.verdict).toBe(test.result);
      }, 60_000);
    }
  }
});
