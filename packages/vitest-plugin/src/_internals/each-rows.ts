import { format, inspect } from 'node:util';

/** One row of `raceTest.each`: its arguments (an array row is spread) and the test name made from it. */
export interface EachRow {
  readonly args: readonly unknown[];
  readonly name: string;
}

const PRINTF = /%[sdifjoOc]/g;

/**
 * The rows of `raceTest.each(cases)` or of the template form
 * raceTest.each`a | b ${1} | ${2}`, named as Vitest's `test.each` names
 * them: printf placeholders (`%s`, `%d`, `%i`, `%f`, `%j`, `%o`, `%O`) take
 * the row's values in turn, `%#` is the row's index and `%$` its number
 * from 1, `%%` a percent sign; `$key` and `$key.path` name the fields of an
 * object row (template rows are objects keyed by the header).
 */
export function eachRows(name: string, cases: readonly unknown[]): EachRow[] {
  return cases.map((row, index) => {
    const args = Array.isArray(row) ? (row as unknown[]) : [row];
    return { args, name: rowName(name, args, index) };
  });
}

/** The rows of the template form: the header's names, then values in the same order, row after row. */
export function templateRows(strings: TemplateStringsArray, values: readonly unknown[]): Record<string, unknown>[] {
  const header = strings[0]!.split('|').map((h) => h.trim());
  if (header.length === 0 || header.some((h) => h === '')) {
    throw new TypeError(`raceTest.each\`...\`: the first line must name the columns separated by |, like \`order | gfp\`, got ${JSON.stringify(strings[0])}`);
  }
  if (values.length % header.length !== 0) {
    throw new TypeError(`raceTest.each\`...\`: ${values.length} values do not fill rows of ${header.length} columns (${header.join(', ')}); give one \${value} per column on each line`);
  }
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < values.length; i += header.length) {
    rows.push(Object.fromEntries(header.map((h, j) => [h, values[i + j]])));
  }
  return rows;
}

function rowName(template: string, args: readonly unknown[], index: number): string {
  let name = template.replace(/%%/g, '\u0000').replace(/%#/g, String(index)).replace(/%\$/g, String(index + 1));
  const row = args[0];
  if (args.length === 1 && typeof row === 'object' && row !== null && !Array.isArray(row)) {
    name = name.replace(/\$([A-Za-z_]\w*(?:\.\w+)*)/g, (whole, path: string) => {
      let v: unknown = row;
      for (const key of path.split('.')) {
        if (typeof v !== 'object' || v === null || !(key in v)) return whole;
        v = (v as Record<string, unknown>)[key];
      }
      return typeof v === 'string' ? v : inspect(v, { depth: 1, breakLength: Infinity });
    });
  }
  const count = name.match(PRINTF)?.length ?? 0;
  if (count > 0) name = format(name, ...args.slice(0, count));
  return name.replace(/\u0000/g, '%');
}
