import { describe, expect, it } from 'vitest';
import { fitWidths, renderRows, wrapCell, type TableColumn } from '../src/table.js';

describe('the table helper', () => {
  it('wraps kind lists at spaces, moving a whole kind to the next line when it fits there', () => {
    expect(wrapCell('bad-page-state, double-free, memcg-leak', 19)).toBe('bad-page-state,\ndouble-free,\nmemcg-leak');
    expect(wrapCell('double-free, memcg-leak', 23)).toBe('double-free, memcg-leak');
  });

  it('breaks a word longer than the line after its hyphens, and cuts a piece still too long', () => {
    expect(wrapCell('struct-page-corruption', 14)).toBe('struct-page-\ncorruption');
    expect(wrapCell('abcdefghij', 4)).toBe('abcd\nefgh\nij');
  });

  it('keeps natural widths when they fit, and narrows the widest columns to their soft widths first', () => {
    const cols: TableColumn[] = [
      { header: 'a', natural: 30, soft: 20, min: 10, keep: 2 },
      { header: 'b', natural: 40, soft: 20, min: 10 },
      { header: 'c', natural: 8, min: 8 },
    ];
    expect(fitWidths(cols, 200)).toEqual([30, 40, 8]);
    expect(fitWidths(cols, 60)).toEqual([24, 24, 8]);
    // Below the soft widths, the column with the lower keep goes first, down to its minimum.
    expect(fitWidths(cols, 40)).toEqual([18, 10, 8]);
    // Minimums that do not fit are kept.
    expect(fitWidths(cols, 10)).toEqual([10, 10, 8]);
  });

  it('renders rows within the widths, with no border and no trailing spaces', () => {
    const cols: TableColumn[] = [{ header: 'x', natural: 6, min: 6 }, { header: 'y', natural: 12, min: 12, align: 'right' }];
    const lines = renderRows(cols, [6, 12], [['one two three', 'double-free, memcg-leak']]);
    expect(lines).toEqual(['one     double-free,', 'two       memcg-leak', 'three']);
  });
});
