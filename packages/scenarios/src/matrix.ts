import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';
import type { Failure } from '@pagecheck/core';
import type { Verdict } from './verdict.js';
import type { Variant } from './types.js';
import { fitWidths, GAP, longestPiece, renderHeader, renderRows, type TableColumn } from './table.js';

/** How a row came out: `ok`, a `mismatch`, or `warn` (a documented divergence, or clean only within the budget). */
export type RowTone = 'ok' | 'mismatch' | 'warn';

/** Colours text by tone (the identity when colour is off). */
export type Paint = (tone: RowTone | 'bold' | 'dim', text: string) => string;

const plain: Paint = (_tone, text) => text;

/** What the matrix needs of a verdict: everything but the explorations themselves. */
export type VerdictRow = Omit<Verdict, 'explorations' | 'weakExplorations'>;

/** Options of the matrix printout. @remarks Since 0.1.0 */
export interface MatrixOptions {
  /** Print every failure's whole report with its race diagram (default false: one line and the replay token each). */
  readonly diagrams?: boolean;
  readonly totalMs?: number;
  /** Terminal columns to fit (default 100). @remarks Since 0.1.0 */
  readonly width?: number;
  /** Colours (default none). @remarks Since 0.1.0 */
  readonly paint?: Paint;
  /** A line for the footer, such as where HTML timelines were written. @remarks Since 0.1.0 */
  readonly footer?: readonly string[];
}

/** One printed row of the matrix (a variant has a second, `(lkmm)`, row under the weak model). */
interface Row {
  readonly label: string;
  readonly expected: readonly string[];
  readonly found: readonly string[];
  readonly verdict: string;
  readonly tone: RowTone;
  readonly schedules: string;
  readonly time: string;
}

const kinds = (k: readonly string[]): string => (k.length === 0 ? 'none' : k.join(', '));

/** `29 ms`, `4.7 s`. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function rowsOf(v: VerdictRow): Row[] {
  const rows: Row[] = [{
    label: v.variant,
    expected: v.expected,
    found: v.found,
    verdict: v.match ? 'ok' : v.documented ? 'divergence (documented)' : 'MISMATCH',
    tone: v.match ? 'ok' : v.documented ? 'warn' : 'mismatch',
    schedules: `${v.schedules}${v.complete ? '' : ' (incomplete)'}`,
    time: formatMs(v.elapsedMs),
  }];
  if (v.weakFound !== undefined) {
    const within = v.weakMatch === true && !v.weakComplete && v.weakFound.length === 0;
    rows.push({
      label: `${v.variant} (lkmm)`,
      expected: v.weakExpected ?? [],
      found: v.weakFound,
      verdict: v.weakMatch ? (within ? 'ok (within budget)' : 'ok') : 'MISMATCH',
      tone: v.weakMatch ? (within ? 'warn' : 'ok') : 'mismatch',
      schedules: `${v.weakSchedules}${v.weakComplete ? '' : ' (incomplete)'}`,
      time: formatMs(v.weakElapsedMs ?? 0),
    });
  }
  return rows;
}

/** What is known of a row before it runs: enough to size the table's columns. @remarks Since 0.1.0 */
export interface PlannedRow {
  readonly scenario: string;
  readonly variant: Pick<Variant, 'id' | 'expected'> & {
    readonly divergence?: { readonly found: readonly string[] };
    readonly weak?: { readonly expected: readonly string[] };
  };
}

/**
 * The verdict matrix as rows printed one at a time: the columns are sized
 * from the planned rows (ids and expected kinds) so that each row can be
 * printed as soon as its verdict is known, within `width` columns.
 * @remarks Since 0.1.0
 */
export class MatrixPrinter {
  readonly #columns: TableColumn[];
  readonly #widths: number[];
  readonly #paint: Paint;
  #scenario: string | undefined;

  constructor(planned: readonly PlannedRow[], width = 100, paint: Paint = plain) {
    const labels = planned.flatMap((p) => (p.variant.weak === undefined ? [p.variant.id] : [p.variant.id, `${p.variant.id} (lkmm)`]));
    const kindLists = planned.flatMap((p) => [p.variant.expected, p.variant.divergence?.found ?? [], p.variant.weak?.expected ?? []]).map(kinds);
    const verdicts = ['ok', 'MISMATCH', ...(planned.some((p) => p.variant.divergence) ? ['divergence (documented)'] : []), ...(planned.some((p) => p.variant.weak) ? ['ok (within budget)'] : [])];
    const widest = (xs: readonly string[]): number => Math.max(0, ...xs.map((x) => stringWidth(x)));
    const piece = (xs: readonly string[]): number => Math.max(0, ...xs.map(longestPiece));
    const scenarioIds = planned.map((p) => p.scenario);
    // The first column holds the scenario headings and, indented by 2, the variants.
    const ids = planned.map((p) => p.variant.id);
    this.#columns = [
      { header: 'scenario / variant', natural: Math.max(widest(scenarioIds), 2 + widest(labels)), soft: 2 + widest(ids), min: 2 + Math.max(piece(labels), 12), keep: 2 },
      { header: 'expected', natural: widest(kindLists), soft: widest(kindLists.flatMap((k) => k.split(', '))) + 1, min: 10 },
      { header: 'found', natural: widest(kindLists), soft: widest(kindLists.flatMap((k) => k.split(', '))) + 1, min: 10 },
      { header: 'verdict', natural: widest(verdicts), min: piece(verdicts), keep: 1 },
      { header: 'schedules', natural: stringWidth('99999 (incomplete)'), min: stringWidth('(incomplete)') },
      { header: 'time', natural: 6, min: 6, align: 'right', keep: 3 },
    ];
    this.#widths = fitWidths(this.#columns, width);
    this.#paint = paint;
  }

  /** The header and the dashes under it. */
  header(): string[] {
    return renderHeader(this.#columns, this.#widths, (t) => this.#paint('bold', t));
  }

  /** The lines of a verdict's row(s), after a scenario heading when the scenario changes. */
  rows(v: VerdictRow, only?: 'sc' | 'lkmm'): string[] {
    const out: string[] = [];
    if (v.scenario !== this.#scenario) {
      this.#scenario = v.scenario;
      out.push(this.#paint('bold', v.scenario));
    }
    const all = rowsOf(v);
    const chosen = only === undefined ? all : only === 'sc' ? all.slice(0, 1) : all.slice(1);
    const widths = [this.#widths[0]! - 2, ...this.#widths.slice(1)];
    const cells = chosen.map((r) => [r.label, kinds(r.expected), kinds(r.found), r.verdict, r.schedules, r.time]);
    const lines = renderRows(this.#columns, widths, cells, (col, j, line) => (col === 3 ? this.#paint(chosen[j]!.tone, line) : line));
    for (const l of lines) out.push(`  ${l}`);
    return out;
  }
}

/** Counts of the summary line. */
function counts(verdicts: readonly VerdictRow[]): { ok: number; total: number; bad: number; documented: number } {
  const weak = verdicts.filter((v) => v.weakFound !== undefined);
  const bad = verdicts.filter((v) => !v.match && !v.documented).length + weak.filter((v) => !v.weakMatch).length;
  const documented = verdicts.filter((v) => v.documented).length;
  const total = verdicts.length + weak.length;
  return { ok: total - bad - documented, total, bad, documented };
}

/** The summary line: `24 of 25 verdicts as expected, 1 documented divergence, in 31.4 s`. @remarks Since 0.1.0 */
export function summaryLine(verdicts: readonly VerdictRow[], totalMs?: number, paint: Paint = plain): string {
  const { ok, total, bad, documented } = counts(verdicts);
  const text = `${ok} of ${total} verdicts as expected, ${documented} documented divergence${documented === 1 ? '' : 's'}${totalMs === undefined ? '' : `, in ${(totalMs / 1000).toFixed(1)} s`}`;
  return bad > 0 ? `${paint('mismatch', text)}${paint('mismatch', `; ${bad} MISMATCH`)}` : paint(documented > 0 ? 'warn' : 'ok', text);
}

/** Cuts `text` to one line of at most `width` columns, ending with `...` when cut. */
function oneLine(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ');
  if (stringWidth(flat) <= width) return flat;
  let cut = flat.slice(0, Math.max(0, width - 3));
  while (cut !== '' && stringWidth(cut) > width - 3) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}...`;
}

/** Each failing row's violations, one line each with the replay token. */
function failureLines(verdicts: readonly VerdictRow[], width: number, paint: Paint): string[] {
  const groups: { label: string; failures: readonly Failure[] }[] = [];
  for (const v of verdicts) {
    if (v.failures.length > 0) groups.push({ label: `${v.scenario} / ${v.variant}`, failures: v.failures });
    if ((v.weakFailures ?? []).length > 0) groups.push({ label: `${v.scenario} / ${v.variant} (lkmm)`, failures: v.weakFailures! });
  }
  if (groups.length === 0) return [];
  const all = groups.flatMap((g) => g.failures);
  const kindW = Math.max(...all.map((f) => stringWidth(f.violation.kind)));
  // Tokens of the weak model can be long: those put their message on a line of its own.
  const tokenW = Math.max(...all.map((f) => stringWidth(f.replay)).filter((w) => w <= 30), 0);
  const room = width - 4 - kindW - tokenW - 2 * GAP;
  const out = ['violations found (kind, replay token, what happened):'];
  for (const g of groups) {
    out.push(`  ${g.label}`);
    for (const f of g.failures) {
      const head = `    ${paint('mismatch', f.violation.kind)}${' '.repeat(kindW - stringWidth(f.violation.kind) + GAP)}${f.replay}`;
      if (room >= 30 && stringWidth(f.replay) <= tokenW) out.push(`${head}${' '.repeat(GAP + tokenW - stringWidth(f.replay))}${oneLine(f.violation.message, room)}`);
      else if (stringWidth(head) <= width) out.push(head, `      ${oneLine(f.violation.message, width - 6)}`);
      else out.push(`    ${paint('mismatch', f.violation.kind)}`, `      ${f.replay}`, `      ${oneLine(f.violation.message, width - 6)}`);
    }
  }
  return out;
}

/** A paragraph wrapped to `width`, continuation lines indented by 2. */
function paragraph(text: string, width: number): string[] {
  return wrapAnsi(text, width - 2, { hard: true, trim: true }).split('\n').map((l, i) => (i === 0 ? l : `  ${l}`));
}

/**
 * What follows the rows: each failure's one-line violation and replay token
 * (or, with `diagrams`, its whole report), the notes (documented divergences,
 * weak-model notes), a footer naming the flags for more, and the summary line last.
 * @remarks Since 0.1.0
 */
export function renderTail(verdicts: readonly VerdictRow[], options: MatrixOptions = {}): string[] {
  const width = options.width ?? 100;
  const paint = options.paint ?? plain;
  const out: string[] = [];
  if (options.diagrams === true) {
    for (const v of verdicts) {
      for (const f of v.failures) out.push(paint('mismatch', `=== ${v.scenario} / ${v.variant}: ${f.violation.kind} ===`), '', f.report, '');
      for (const f of v.weakFailures ?? []) out.push(paint('mismatch', `=== ${v.scenario} / ${v.variant} (lkmm): ${f.violation.kind} ===`), '', f.report, '');
    }
  } else {
    const lines = failureLines(verdicts, width, paint);
    if (lines.length > 0) out.push(...lines, '');
  }
  for (const v of verdicts) {
    if (!v.documented) continue;
    out.push(...paragraph(`${paint('warn', 'divergence')} ${v.scenario} / ${v.variant}: expected ${kinds(v.expected)}, the model finds ${kinds(v.found)}. ${v.divergence ?? ''}`, width), '');
  }
  for (const v of verdicts) {
    if (v.weakFound !== undefined && v.weakNote !== undefined) out.push(...paragraph(`weak model ${v.scenario} / ${v.variant}: ${v.weakNote}`, width), '');
  }
  const more = options.diagrams === true ? [] : [`every race diagram: --diagrams; one run: --replay TOKEN${options.footer === undefined || options.footer.length === 0 ? '; HTML timelines: --html DIR' : ''}`];
  for (const l of [...more, ...(options.footer ?? [])]) out.push(...paragraph(paint('dim', l), width));
  // The summary line last (wrapped only on a terminal too narrow for it).
  out.push(...paragraph(summaryLine(verdicts, options.totalMs, paint), width));
  return out;
}

/**
 * The verdict matrix (scenario x variant, expected vs found, schedules, time;
 * a variant with a weak-model verdict has a second row, `<variant> (lkmm)`),
 * then each failure's violation and replay token (with `diagrams`, each buggy
 * variant's shrunk race diagrams), the notes, and the summary line last.
 * @remarks Since 0.1.0
 */
export function renderMatrix(verdicts: readonly VerdictRow[], planned: readonly PlannedRow[], options: MatrixOptions = {}): string {
  const printer = new MatrixPrinter(planned, options.width, options.paint);
  const out = ['pagecheck verdict matrix', '', ...printer.header()];
  for (const v of verdicts) out.push(...printer.rows(v));
  out.push('', ...renderTail(verdicts, options));
  return `${out.join('\n')}\n`;
}
