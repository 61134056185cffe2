import Table from 'cli-table3';
import stringWidth from 'string-width';

/** A column of a fitted table. */
export interface TableColumn {
  readonly header: string;
  /** The widest cell the column may have to hold (the header included). */
  readonly natural: number;
  /** A width the column is narrowed below only when every column is at its own (default `min`). */
  readonly soft?: number;
  /** Narrowest width the column may be given (its longest unbreakable piece). */
  readonly min: number;
  /** Below their `soft` widths, columns with a higher `keep` are narrowed last. */
  readonly keep?: number;
  readonly align?: 'left' | 'right';
}

/** `text` padded with spaces to `width` terminal columns, measured by display width (wide characters two, ANSI colour none). */
export function padTo(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - stringWidth(text)));
}

/** The space between two columns. */
export const GAP = 2;

/**
 * Widths for `columns` within `width` terminal columns: each column gets its
 * natural width when they all fit. Otherwise the widest column is narrowed,
 * one column at a time, down to its `soft` width; then the columns of the
 * lowest `keep` (the widest first) down to their `min`. The result may still
 * be wider than `width` when the minimums do not fit.
 */
export function fitWidths(columns: readonly TableColumn[], width: number): number[] {
  const widths = columns.map((c) => Math.max(c.natural, c.min, stringWidth(c.header)));
  const mins = columns.map((c) => Math.max(c.min, 1));
  const softs = columns.map((c, i) => Math.max(c.soft ?? c.min, mins[i]!));
  const total = (): number => widths.reduce((a, b) => a + b, 0) + GAP * (columns.length - 1);
  const narrow = (floor: readonly number[], byKeep: boolean): void => {
    while (total() > width) {
      let pick = -1;
      for (let i = 0; i < columns.length; i++) {
        if (widths[i]! <= floor[i]!) continue;
        if (pick < 0) {
          pick = i;
          continue;
        }
        const [ki, kp] = byKeep ? [columns[i]!.keep ?? 0, columns[pick]!.keep ?? 0] : [0, 0];
        if (ki < kp || (ki === kp && widths[i]! > widths[pick]!)) pick = i;
      }
      if (pick < 0) return;
      widths[pick]!--;
    }
  };
  narrow(softs, false);
  narrow(mins, true);
  return widths;
}

/** The pieces a word may be broken into: after each hyphen (`struct-page-` / `corruption`). */
function pieces(word: string): string[] {
  return word.match(/[^-]+-*|-+/g) ?? [];
}

/** The longest piece of `text` that `wrapCell` keeps whole (words broken at hyphens). */
export function longestPiece(text: string): number {
  return Math.max(0, ...text.split(/\s+/).flatMap(pieces).map((p) => stringWidth(p)));
}

/**
 * Wraps a cell's text to `width` columns: at spaces, a word moved whole to the
 * next line when it fits there; a word longer than a line is broken after its
 * hyphens, and a piece still too long is cut.
 */
export function wrapCell(text: string, width: number): string {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    const put = (word: string): void => {
      const sep = line === '' ? '' : ' ';
      if (stringWidth(line + sep + word) <= width) {
        line += sep + word;
        return;
      }
      if (line !== '') out.push(line);
      line = '';
      if (stringWidth(word) <= width) {
        line = word;
        return;
      }
      for (let piece of pieces(word)) {
        while (stringWidth(piece) > width) {
          if (line !== '') out.push(line);
          line = '';
          out.push(piece.slice(0, width));
          piece = piece.slice(width);
        }
        if (stringWidth(line + piece) > width) {
          out.push(line);
          line = '';
        }
        line += piece;
      }
    };
    for (const word of para.split(/\s+/).filter((w) => w !== '')) put(word);
    out.push(line);
  }
  return out.join('\n');
}

const NO_BORDER = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '',
  middle: ' '.repeat(GAP),
};

/**
 * Renders rows of cells with the given widths, cells wrapped with `wrapCell`
 * and laid out by cli-table3 without borders. `style(column, line)` colours a
 * cell's lines after wrapping (so widths are measured on the plain text).
 * Returns the lines, right-trimmed.
 */
export function renderRows(
  columns: readonly TableColumn[],
  widths: readonly number[],
  rows: readonly (readonly string[])[],
  style: (column: number, row: number, line: string) => string = (_c, _r, l) => l,
): string[] {
  const table = new Table({
    chars: NO_BORDER,
    style: { 'padding-left': 0, 'padding-right': 0, head: [], border: [] },
    colWidths: [...widths],
    colAligns: columns.map((c) => c.align ?? 'left'),
    wordWrap: false,
  });
  rows.forEach((r, j) => {
    table.push(r.map((cell, i) => wrapCell(cell, widths[i]!).split('\n').map((l) => style(i, j, l)).join('\n')));
  });
  return table.toString().split('\n').map((l) => l.trimEnd()).filter((l, i, all) => l !== '' || (i > 0 && i < all.length - 1));
}

/** The header of a table and the dashes under it. */
export function renderHeader(columns: readonly TableColumn[], widths: readonly number[], style: (text: string) => string = (t) => t): string[] {
  const head = renderRows(columns, widths, [columns.map((c) => c.header)]).map(style);
  return [...head, widths.map((w) => '-'.repeat(w)).join(' '.repeat(GAP))];
}
