import { describe, expect, it } from 'vitest';
import { eachRows, templateRows } from '../../../src/_internals/each-rows.js';

describe('eachRows', () => {
  it('spreads array rows into printf placeholders, as test.each does', () => {
    expect(eachRows('order %i, %s (%j) #%# of %$ 100%%', [[2, 'tail', { a: 1 }]]).map((r) => r.name)).toEqual(['order 2, tail ({"a":1}) #0 of 1 100%']);
  });

  it('passes any other row as the one argument', () => {
    const rows = eachRows('order %i', [0, 3]);
    expect(rows).toEqual([{ args: [0], name: 'order 0' }, { args: [3], name: 'order 3' }]);
  });

  it('names the fields of object rows with $key and $key.path', () => {
    expect(eachRows('$name at $where.pfn ($missing)', [{ name: 'free', where: { pfn: 12 } }])[0]!.name).toBe('free at 12 ($missing)');
  });

  it('leaves placeholders without a value as written', () => {
    expect(eachRows('%s and %s', [['one']])[0]!.name).toBe('one and %s');
  });
});

describe('templateRows', () => {
  const rows = (s: TemplateStringsArray, ...v: unknown[]) => templateRows(s, v);

  it('makes one object per line, keyed by the header', () => {
    expect(rows`a | b
      ${1} | ${'x'}
      ${2} | ${'y'}`).toEqual([{ a: 1, b: 'x' }, { a: 2, b: 'y' }]);
  });

  it('names what is wrong with a header or a short row', () => {
    expect(() => rows`a | | b ${1}`).toThrow(/the first line must name the columns separated by \|/);
    expect(() => rows`a | b
      ${1} | ${2}
      ${3}`).toThrow(/3 values do not fill rows of 2 columns \(a, b\)/);
  });
});
