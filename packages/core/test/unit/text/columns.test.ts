import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { explore } from '../../../src/explore.js';
import type { RaceSpec } from '../../../src/spec.js';
import { padCell, renderColumns, textWidth } from '../../../src/text/columns.js';

const RED = '\u001b[31m';
const RESET = '\u001b[39m';

/** Where each ` | ` separator of a line starts, in terminal columns. */
const separators = (line: string): number[] => {
  const at: number[] = [];
  const parts = line.split(' | ');
  let col = 0;
  for (const p of parts.slice(0, -1)) {
    col += stringWidth(p);
    at.push(col);
    col += 3;
  }
  return at;
};

describe('textWidth and padCell', () => {
  it('count a wide character as two columns and an ANSI colour code as none', () => {
    expect(textWidth('页')).toBe(2);
    expect(textWidth(`${RED}free${RESET}`)).toBe(4);
    expect(padCell('页', 4)).toBe('页  ');
    expect(padCell(`${RED}ab${RESET}`, 4)).toBe(`${RED}ab${RESET}  `);
    expect(padCell('7', 3, 'right')).toBe('  7');
    expect(padCell('too wide', 3)).toBe('too wide');
  });
});

describe('renderColumns', () => {
  it('lines up columns by display width, wide characters and colours included', () => {
    const out = renderColumns(['线程A', 'B'], [[`${RED}spin_lock${RESET}`, ''], ['', 'x'], ['页', 'y']]);
    const lines = out.split('\n');
    expect(lines[1]).toBe(`${'-'.repeat(9)}-+-${'-'}`);
    const cols = lines.filter((l, i) => i !== 1 && l.includes(' | ')).map(separators);
    expect(new Set(cols.map((c) => c[0])).size).toBe(1);
    expect(cols[0]).toEqual([9]);
  });
});

describe('a race diagram with wide thread names', () => {
  it('keeps every row\'s separator under the header\'s', () => {
    const spec: RaceSpec = {
      name: 'wide names',
      setup(k) { k.sharedWord('计数'); },
      threads: {
        *线程甲(k) { const v = yield k.readShared('计数'); yield k.writeSharedAfterRead('计数', v + 1); },
        *线程乙(k) { const v = yield k.readShared('计数'); yield k.writeSharedAfterRead('计数', v + 1); },
      },
    };
    const f = explore(spec).failure!;
    expect(f.violation.kind).toBe('lost-update');
    const lines = f.diagram.split('\n').filter((l, i) => i !== 1 && l.includes(' | '));
    expect(lines.length).toBeGreaterThan(2);
    const at = new Set(lines.map((l) => separators(l)[0]));
    expect([...at]).toEqual([stringWidth('READ_ONCE(计数)')]);
  });
});
