import { describe, expect, it } from 'vitest';
import { describeValue } from '../../../src/_internals/describe-value.js';

describe('describeValue', () => {
  it('names primitives with their value', () => {
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(42)).toBe('the number 42');
    expect(describeValue(true)).toBe('the boolean true');
    expect(describeValue('x'.repeat(100))).toBe(`the string "${'x'.repeat(57)}..."`);
  });

  it('names objects by their constructor and keys', () => {
    expect(describeValue({})).toBe('an object with no keys');
    expect(describeValue({ name: 'x', setup: 1 })).toBe('an object with keys { name, setup }');
    expect(describeValue(new Map())).toBe('a Map with no keys');
    expect(describeValue([1, 2])).toBe('an array of 2 elements');
    expect(describeValue(function explore() {})).toBe('a function (explore)');
  });

  it('points at a forgotten await', () => {
    expect(describeValue(Promise.resolve(1))).toMatch(/^a Promise/);
  });
});
