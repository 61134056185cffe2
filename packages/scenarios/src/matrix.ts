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
 * The verdict matrix (scenario x variant, expected vs found, schedules, time),
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
  }
  const out: string[] = ['pagecheck verdict matrix', '', table(rows), ''];
  const bad = verdicts.filter((v) => !v.match && !v.documented).length;
  const documented = verdicts.filter((v) => v.documented);
  const ok = verdicts.length - bad - documented.length;
  out.push(`${ok} of ${verdicts.length} verdicts as expected, ${documented.length} documented divergence${documented.length === 1 ? '' : 's'}${options.totalMs === undefined ? '' : `, in ${(options.totalMs / 1000).toFixed(1)} s`}${bad > 0 ? `; ${bad} MISMATCH` : ''}`, '');
  for (const v of documented) out.push(`divergence ${v.scenario} / ${v.variant}: expected ${v.expected.join(', ') || 'none'}, the model finds ${v.found.join(', ') || 'none'}. ${v.divergence ?? ''}`, '');
  if (options.diagrams !== false) {
    for (const v of verdicts) {
      for (const f of v.failures) {
        out.push(`=== ${v.scenario} / ${v.variant}: ${f.violation.kind} ===`, '', f.report, '');
      }
    }
  }
  return `${out.join('\n')}\n`;
}
