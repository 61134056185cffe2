import type { Verdict } from './verdict.js';

/** Options of the matrix printout. */
export interface MatrixOptions {
  readonly diagrams?: boolean;
  readonly totalMs?: number;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_c, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r, j) => {
    const line = r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
    return j === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
  }).join('\n');
}

/**
 * The verdict matrix (scenario x variant, expected vs found, schedules, time;
 * a variant with a weak-model verdict has a second row, `<variant> (lkmm)`),
 * then each buggy variant's shrunk race diagrams.
 * @remarks Since 0.1.0
 */
export function renderMatrix(verdicts: readonly Verdict[], options: MatrixOptions = {}): string {
  const rows: string[][] = [['scenario', 'variant', 'expected', 'found', 'verdict', 'schedules', 'time']];
  for (const v of verdicts) {
    rows.push([
      v.scenario,
      v.variant,
      v.expected.length === 0 ? 'none' : v.expected.join(', '),
      v.found.length === 0 ? 'none' : v.found.join(', '),
      v.match ? 'ok' : v.documented ? 'divergence (documented)' : 'MISMATCH',
      `${v.schedules}${v.complete ? '' : ' (incomplete)'}`,
      `${Math.round(v.elapsedMs)} ms`,
    ]);
    if (v.weakFound !== undefined) {
      rows.push([
        v.scenario,
        `${v.variant} (lkmm)`,
        v.weakExpected!.length === 0 ? 'none' : v.weakExpected!.join(', '),
        v.weakFound.length === 0 ? 'none' : v.weakFound.join(', '),
        v.weakMatch ? (v.weakComplete || v.weakFound.length > 0 ? 'ok' : 'ok (within budget)') : 'MISMATCH',
        `${v.weakSchedules}${v.weakComplete ? '' : ' (incomplete)'}`,
        `${Math.round(v.weakElapsedMs!)} ms`,
      ]);
    }
  }
  const out: string[] = ['pagecheck verdict matrix', '', table(rows), ''];
  const weak = verdicts.filter((v) => v.weakFound !== undefined);
  const bad = verdicts.filter((v) => !v.match && !v.documented).length + weak.filter((v) => !v.weakMatch).length;
  const documented = verdicts.filter((v) => v.documented);
  const total = verdicts.length + weak.length;
  const ok = total - bad - documented.length;
  out.push(`${ok} of ${total} verdicts as expected, ${documented.length} documented divergence${documented.length === 1 ? '' : 's'}${options.totalMs === undefined ? '' : `, in ${(options.totalMs / 1000).toFixed(1)} s`}${bad > 0 ? `; ${bad} MISMATCH` : ''}`, '');
  for (const v of documented) out.push(`divergence ${v.scenario} / ${v.variant}: expected ${v.expected.join(', ') || 'none'}, the model finds ${v.found.join(', ') || 'none'}. ${v.divergence ?? ''}`, '');
  for (const v of weak) if (v.weakNote !== undefined) out.push(`weak model ${v.scenario} / ${v.variant}: ${v.weakNote}`, '');
  if (options.diagrams !== false) {
    for (const v of verdicts) {
      for (const f of v.failures) {
        out.push(`=== ${v.scenario} / ${v.variant}: ${f.violation.kind} ===`, '', f.report, '');
      }
      for (const f of v.weakFailures ?? []) {
        out.push(`=== ${v.scenario} / ${v.variant} (lkmm): ${f.violation.kind} ===`, '', f.report, '');
      }
    }
  }
  return `${out.join('\n')}\n`;
}
