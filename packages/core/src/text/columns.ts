import stringWidth from 'string-width';

/**
 * Text laid out in columns, measured as a terminal shows it: by display width
 * (string-width), so wide characters (CJK, emoji) count two columns and ANSI
 * colour codes none. The one helper behind race diagrams, witnesses and the
 * page history.
 */

/** How many terminal columns `text` takes. */
export function textWidth(text: string): number {
  return stringWidth(text);
}

/** `text` padded with spaces to `width` terminal columns (text wider than that is left as it is). */
export function padCell(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const pad = ' '.repeat(Math.max(0, width - stringWidth(text)));
  return align === 'left' ? text + pad : pad + text;
}

/** Options of `renderColumns`. */
export interface ColumnOptions {
  /** Narrowest width of a column (default 0). */
  readonly minWidth?: number;
  /** Lines between the rule and the rows (an elision notice). */
  readonly preamble?: readonly string[];
}

/**
 * A header row, a rule, then the rows, columns separated by ` | ` (the rule
 * by `-+-`), each column as wide as its widest cell; trailing spaces trimmed.
 */
export function renderColumns(header: readonly string[], rows: readonly (readonly string[])[], options: ColumnOptions = {}): string {
  const widths = header.map((h, i) => Math.max(options.minWidth ?? 0, stringWidth(h), ...rows.map((r) => stringWidth(r[i] ?? ''))));
  const line = (cells: readonly string[]): string => widths.map((w, i) => padCell(cells[i] ?? '', w)).join(' | ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-+-'), ...(options.preamble ?? []), ...rows.map(line)].join('\n');
}
