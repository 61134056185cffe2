import { describe, expect, it } from 'vitest';
import { SEARCH_STRATEGIES } from '../../src/engine/strategy-names.js';
import { checkExploreOptions, EXPLORE_DEFAULTS, EXPLORE_OPTION_NAMES, EXPLORE_OPTIONS, pickExploreDefaults, pickExploreOptions, type OptionDefinition } from '../../src/explore-options.js';
import { explore } from '../../src/explore.js';
import { GFP_KERNEL } from '../../src/kernel/gfp.js';
import type { RaceSpec } from '../../src/spec.js';

const leak: RaceSpec = { name: 'leak', kernel: { pages: 8 }, threads: { *A(k) { yield* k.alloc_pages(GFP_KERNEL, 0); } } };
const definition = (name: string): OptionDefinition<unknown> => EXPLORE_OPTIONS[name as keyof typeof EXPLORE_OPTIONS];

describe('EXPLORE_OPTIONS', () => {
  it('names every option once, in the definition\'s order', () => {
    expect(EXPLORE_OPTION_NAMES).toEqual(Object.keys(EXPLORE_OPTIONS));
    expect(EXPLORE_OPTION_NAMES).toContain('memoryModel');
    expect(EXPLORE_OPTION_NAMES).toContain('until');
  });

  it('derives EXPLORE_DEFAULTS from the options that have a default', () => {
    expect(EXPLORE_DEFAULTS).toEqual({ strategy: 'exhaustive', maxSchedules: { exhaustive: 200_000, random: 10_000, pct: 10_000, pos: 10_000 }, timeBudgetMs: 10_000 });
    expect(Object.keys(EXPLORE_DEFAULTS.maxSchedules).sort()).toEqual([...SEARCH_STRATEGIES].sort());
  });

  it('reads each PAGECHECK_* switch and pagecheck flag as the option\'s value', () => {
    expect(definition('seed').env?.parse('42')).toBe(42);
    expect(definition('strategy').env?.parse('pct')).toBe('pct');
    expect(definition('shard').env?.parse('2/3')).toEqual({ index: 1, count: 3 });
    expect(definition('timeBudgetMs').flag?.parse('1.5')).toBe(1500);
    expect(() => definition('seed').env?.parse('-1')).toThrow('it accepts a non-negative integer, like PAGECHECK_SEED=42');
    expect(() => definition('timeBudgetMs').flag?.parse('0')).toThrow(/in seconds, a number above 0/);
  });
});

describe('checkExploreOptions', () => {
  it('accepts good values and ignores names that are not options of explore', () => {
    expect(() => checkExploreOptions('explore', { strategy: 'pos', seed: 0, until: ['page-leak'], shard: { index: 1, count: 2 }, memoryModel: 'lkmm', expect: 'anything', seed2: -1 })).not.toThrow();
  });

  it('names the first bad option, what it must be and the value', () => {
    expect(() => checkExploreOptions('explore', { seed: -1 })).toThrow('explore({ seed }): must be a non-negative integer, got -1');
    expect(() => checkExploreOptions('explore', { maxSchedules: 0 })).toThrow('explore({ maxSchedules }): must be a positive integer, got 0');
    expect(() => checkExploreOptions('explore', { strategy: 'replay' })).toThrow("explore({ strategy }): unknown strategy 'replay': use random, pct, pos, exhaustive (to replay one failure, pass replay: <token>)");
    expect(() => checkExploreOptions('explore', { until: ['leak'] })).toThrow(/explore\(\{ until \}\): must be a list of violation kinds \(page-leak, /);
    expect(() => checkExploreOptions('explore', { shard: { index: 2, count: 2 } })).toThrow('explore({ shard }): must be { index, count } with 0 <= index < count, got {"index":2,"count":2}');
    expect(() => checkExploreOptions('explore', { memoryModel: 'tso' })).toThrow(/explore\(\{ memoryModel \}\): unknown memoryModel 'tso'/);
  });

  it('is what explore checks its options with', () => {
    expect(() => explore(leak, { depth: 0 })).toThrow('explore({ depth }): must be a positive integer, got 0');
  });
});

describe('pickExploreOptions', () => {
  it('keeps the options of explore that are set, and nothing else', () => {
    expect(pickExploreOptions({ seed: 3, maxSteps: undefined, expect: ['page-leak'], timeout: 5 })).toEqual({ seed: 3 });
  });

  it('keeps the per-run options out of the defaults', () => {
    expect(pickExploreDefaults({ seed: 3, replay: 'pc1.x.1.a', shard: { index: 0, count: 2 }, memoryModel: 'lkmm' })).toEqual({ seed: 3, memoryModel: 'lkmm' });
  });
});
