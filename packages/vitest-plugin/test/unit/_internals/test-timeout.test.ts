import { describe, expect, it } from 'vitest';
import { testTimeout } from '../../../src/_internals/test-timeout.js';

describe('testTimeout', () => {
  it('is twice the time budget plus 10 s', () => {
    expect(testTimeout({ kind: 'explore', options: { timeBudgetMs: 1_000 } }, undefined)).toBe(12_000);
    expect(testTimeout({ kind: 'explore', options: {} }, undefined)).toBe(30_000);
    expect(testTimeout(undefined, undefined)).toBe(30_000);
    expect(testTimeout({ kind: 'replay', token: 't' }, undefined)).toBe(30_000);
  });

  it('is never below the project testTimeout', () => {
    expect(testTimeout({ kind: 'explore', options: { timeBudgetMs: 1_000 } }, { defaults: {}, testTimeout: 90_000 })).toBe(90_000);
    expect(testTimeout({ kind: 'explore', options: { timeBudgetMs: 100_000 } }, { defaults: {}, testTimeout: 90_000 })).toBe(210_000);
  });
});
