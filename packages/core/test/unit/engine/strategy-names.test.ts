import { describe, expect, it } from 'vitest';
import { isSearchStrategy, SEARCH_STRATEGIES, STRATEGIES } from '../../../src/engine/strategy-names.js';

describe('STRATEGIES', () => {
  it('lists the strategies that explore many schedules, and replay apart', () => {
    expect(Object.keys(STRATEGIES)).toEqual(['random', 'pct', 'pos', 'exhaustive', 'replay']);
    expect(SEARCH_STRATEGIES).toEqual(['random', 'pct', 'pos', 'exhaustive']);
  });

  it('tells a search strategy from replay and from anything else', () => {
    expect(SEARCH_STRATEGIES.every(isSearchStrategy)).toBe(true);
    expect(isSearchStrategy('replay')).toBe(false);
    expect(isSearchStrategy('bfs')).toBe(false);
    expect(isSearchStrategy(3)).toBe(false);
  });
});
