import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXPLORE_OPTION_NAMES } from '@pagecheck/core';
import { pagecheck } from '../../src/pagecheck.js';
import { raceTest } from '../../src/race-test.js';
import { checkRaceTestOptions } from '../../src/_internals/race-test-options.js';
import { planRace } from '../../src/_internals/race-plan.js';
import { readEnvSwitches } from '../../src/_internals/env-switches.js';
import { leak } from '../specs.js';
import { outcome } from './crash.js';

/** Values of every shape: what a careless caller might pass. */
const odd = fc.oneof(
  fc.anything({ withNullPrototype: true, withBigInt: true, withBoxedValues: true, withMap: true, withSet: true, withSparseArray: true, maxDepth: 2 }),
  fc.constantFrom(NaN, Infinity, -1, 0, 1.5, '', 'files', 'schedules', 'exhaustive', 'page-leak', ['page-leak'], Symbol('x'), () => 1),
);
const PLUGIN_NAMES = ['shard', 'setupFile', 'reportDir'] as const;
const RACE_TEST_NAMES = ['expect', 'replay', 'timeout', 'retry', 'repeats', 'tags'] as const;
const keys = (names: readonly string[]) => fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 6 }));

describe('fuzzed options of the plugin and raceTest', () => {
  it('pagecheck(options): a plugin, or an error that names the option', () => {
    const options = fc.oneof(odd, fc.dictionary(keys([...EXPLORE_OPTION_NAMES, ...PLUGIN_NAMES]), odd, { maxKeys: 4 }));
    fc.assert(
      fc.property(options, (o) => {
        const r = outcome(() => pagecheck(o as never));
        if (!r.ok) expect(r.error.message).toMatch(/^pagecheck\(/);
      }),
      { numRuns: 300 },
    );
  });

  it("raceTest's options: accepted, or an error that names raceTest and the option", () => {
    const options = fc.oneof(odd, fc.dictionary(keys([...EXPLORE_OPTION_NAMES, ...RACE_TEST_NAMES]), odd, { maxKeys: 4 }));
    fc.assert(
      fc.property(fc.oneof(fc.string(), odd), options, (name, o) => {
        const r = outcome(() => checkRaceTestOptions(name, o));
        if (!r.ok) expect(r.error.message).toMatch(/^raceTest/);
        // What the test itself does with the options next: plan its exploration.
        if (r.ok && typeof o === 'object' && o !== null) outcome(() => planRace(leak, o as never, readEnvSwitches({}), undefined));
      }),
      { numRuns: 300 },
    );
  });

  it('PAGECHECK_* switches: read, or an error naming the variable', () => {
    const env = fc.dictionary(fc.constantFrom('PAGECHECK_STRATEGY', 'PAGECHECK_SEED', 'PAGECHECK_REPLAY', 'PAGECHECK_SHARD', 'PAGECHECK_BUDGET', 'PAGECHECK_X'), fc.string({ maxLength: 12 }), { maxKeys: 3 });
    fc.assert(
      fc.property(env, (e) => {
        const r = outcome(() => readEnvSwitches(e));
        if (!r.ok) expect(r.error.message).toMatch(/PAGECHECK_/);
        else outcome(() => planRace(leak, {}, r.value as never, undefined));
      }),
      { numRuns: 300 },
    );
  });
});

// Crashes the properties above found: each threw an engine TypeError before the fix.
describe('fuzzed-option regressions', () => {
  it('raceTest with expect that is not an array names it (was: options.expect.filter is not a function)', () => {
    expect(() => raceTest('x', leak, { expect: 'page-leak' as never })).toThrow("raceTest 'x': expect must be an array of violation kinds, got the string \"page-leak\"");
  });

  it('raceTest with null options names them (was: Cannot read properties of null)', () => {
    expect(() => raceTest('x', leak, null as never)).toThrow("raceTest 'x': options must be an object like { strategy, expect, timeout }, got null");
  });

  it('pagecheck() with a prototype-less value names it (was: Cannot convert object to primitive value)', () => {
    expect(() => pagecheck({ setupFile: Object.create(null) as never })).toThrow('pagecheck({ setupFile }): must be a boolean, got an object with no keys');
    expect(() => pagecheck({ seed: 1n as never })).toThrow('pagecheck({ seed }): must be a non-negative integer, got 1n');
  });
});
