import { describe, expect, it } from 'vitest';
import { EnvSwitchError, readEnvSwitches } from '../../../src/_internals/env-switches.js';

describe('readEnvSwitches', () => {
  it('reads nothing from an environment without PAGECHECK_ variables, or with empty ones', () => {
    expect(readEnvSwitches({})).toEqual({});
    expect(readEnvSwitches({ PAGECHECK_SEED: '', PAGECHECK_SHARD: '  ', HOME: '/root' })).toEqual({});
  });

  it('reads every switch', () => {
    expect(readEnvSwitches({
      PAGECHECK_REPLAY: 'pc1.1udj9nr.2.a63b2',
      PAGECHECK_SEED: '42',
      PAGECHECK_STRATEGY: 'pct',
      PAGECHECK_BUDGET: '10',
      PAGECHECK_SHARD: '2/3',
    })).toEqual({
      replay: 'pc1.1udj9nr.2.a63b2',
      seed: 42,
      strategy: 'pct',
      budget: 10,
      shard: { index: 1, count: 3 },
    });
  });

  it('takes PAGECHECK_SHARD 1-based, like vitest --shard, and gives core a 0-based index', () => {
    expect(readEnvSwitches({ PAGECHECK_SHARD: '1/1' }).shard).toEqual({ index: 0, count: 1 });
    expect(readEnvSwitches({ PAGECHECK_SHARD: '4/4' }).shard).toEqual({ index: 3, count: 4 });
  });

  it('accepts every sampling strategy and exhaustive', () => {
    for (const strategy of ['random', 'pct', 'pos', 'exhaustive']) expect(readEnvSwitches({ PAGECHECK_STRATEGY: strategy }).strategy).toBe(strategy);
  });

  it('accepts a fractional budget', () => {
    expect(readEnvSwitches({ PAGECHECK_BUDGET: '0.5' }).budget).toBe(0.5);
  });

  const bad: [string, string, RegExp][] = [
    ['PAGECHECK_SHARD', '3/2', /PAGECHECK_SHARD=3\/2: the index must be from 1 to 2, 1-based like vitest --shard/],
    ['PAGECHECK_SHARD', '0/2', /PAGECHECK_SHARD=0\/2: the index must be from 1 to 2/],
    ['PAGECHECK_SHARD', '1/0', /PAGECHECK_SHARD=1\/0: the count must be at least 1/],
    ['PAGECHECK_SHARD', 'half', /PAGECHECK_SHARD=half: it accepts <index>\/<count>/],
    ['PAGECHECK_STRATEGY', 'foo', /PAGECHECK_STRATEGY=foo: it accepts random, pct, pos, exhaustive/],
    ['PAGECHECK_STRATEGY', 'replay', /PAGECHECK_STRATEGY=replay: .*set PAGECHECK_REPLAY=<token>/],
    ['PAGECHECK_SEED', '-1', /PAGECHECK_SEED=-1: it accepts a non-negative integer/],
    ['PAGECHECK_SEED', '1.5', /PAGECHECK_SEED=1.5: it accepts a non-negative integer/],
    ['PAGECHECK_BUDGET', '0', /PAGECHECK_BUDGET=0: it accepts a positive number/],
    ['PAGECHECK_BUDGET', 'ten', /PAGECHECK_BUDGET=ten: it accepts a positive number that multiplies maxSchedules and timeBudgetMs/],
    ['PAGECHECK_REPLAY', 'abc', /PAGECHECK_REPLAY=abc: 'abc' is not a pagecheck replay token.*It accepts a replay token as printed in a failure/],
    ['PAGECHECK_REPLAY', 'pc1.xyz.2.a3-', /PAGECHECK_REPLAY=pc1.xyz.2.a3-: replay token 'pc1.xyz.2.a3-': unexpected '-'/],
  ];
  for (const [name, value, message] of bad) {
    it(`rejects ${name}=${value}, naming the variable and what it accepts`, () => {
      expect(() => readEnvSwitches({ [name]: value })).toThrow(EnvSwitchError);
      expect(() => readEnvSwitches({ [name]: value })).toThrow(message);
    });
  }

  it('names every bad variable at once', () => {
    let msg = '';
    try {
      readEnvSwitches({ PAGECHECK_SHARD: '3/2', PAGECHECK_STRATEGY: 'foo', PAGECHECK_SEED: '7' });
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/^invalid pagecheck environment switches:\n {2}PAGECHECK_STRATEGY=foo: .*\n {2}PAGECHECK_SHARD=3\/2: /);
  });
});
