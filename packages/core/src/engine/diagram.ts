import type { Execution, TraceStep, World } from './execution.js';
import { CHOICE, LOAD, RMW, WAIT, YIELD, type Op } from './op.js';
import { racingPairs } from './racing.js';

/** Options for rendering a race diagram. */
export interface DiagramOptions {
  /** Rows shown at most; earlier rows are elided. */
  readonly maxRows?: number;
  /** Show every step instead of only the racing ones. */
  readonly full?: boolean;
  /** A last row in the violating thread's column. */
  readonly violation?: { readonly tid: number; readonly text: string };
}


/** Steps that touch a word another thread also touches, one of them writing, with no lock in common: the racing accesses. */
export function racingSteps(trace: readonly TraceStep[]): Set<number> {
  const racing = new Set<number>();
  for (const { a, b } of racingPairs(trace)) {
    racing.add(a);
    racing.add(b);
  }
  if (trace.length > 0) racing.add(trace.length - 1);
  // A CHOICE that took another outcome than 0 (an injected fault), and a YIELD the layer above gave a `show`, are shown, racing or not.
  for (let i = 0; i < trace.length; i++) if (marked(trace[i]!)) racing.add(i);
  return racing;
}

/** A step the diagram always shows: a CHOICE that did not take 0, a YIELD with a `show` (a marker of the layer above). */
function marked(s: TraceStep): boolean {
  return (s.op.kind === CHOICE && s.value !== 0) || (s.op.kind === YIELD && s.op.show !== undefined);
}

/**
 * Renders a recorded run as an LKML-style race diagram: one column per thread.
 * Each row is a kernel-level operation: the function the thread called, and
 * under it (indented) the steps that race with another thread, with the value
 * a test read (`test(x) == false`). Steps that race with nothing are
 * folded into their call's row.
 * @remarks Since 0.1.0
 */
export function renderDiagram(exec: Execution, options: DiagramOptions = {}): string {
  const trace = exec.trace;
  if (trace === undefined) throw new Error('renderDiagram needs a recorded run (record: true)');
  const names = exec.threads.map((t) => t.name);
  const racing = options.full === true ? new Set(trace.map((_s, i) => i)) : racingSteps(trace);
  const rows: { tid: number; text: string }[] = [];
  let lastTid = -1;
  let lastCall = '';
  let lastLeaf = '';
  for (let i = 0; i < trace.length; i++) {
    const s = trace[i]!;
    const call = s.frames[0] ?? '';
    const leaf = stepLabel(exec.world, s.op, s.value);
    const newCall = s.tid !== lastTid || call !== lastCall;
    const leafIsCall = call !== '' && call.slice(0, call.indexOf('(')) === s.op.fn;
    if (newCall && call !== '' && !leafIsCall) rows.push({ tid: s.tid, text: call });
    if (racing.has(i) || call === '' || leafIsCall) {
      const text = call === '' || leafIsCall ? leaf : `  ${leaf}`;
      const prev = rows[rows.length - 1];
      if (!(prev !== undefined && prev.tid === s.tid && lastLeaf === leaf && !newCall)) rows.push({ tid: s.tid, text });
      lastLeaf = leaf;
    } else {
      lastLeaf = '';
    }
    lastTid = s.tid;
    lastCall = call;
  }
  if (options.violation !== undefined) rows.push({ tid: options.violation.tid, text: options.violation.text });
  const maxRows = options.maxRows ?? 80;
  let shown = rows;
  let elided = 0;
  if (rows.length > maxRows) {
    elided = rows.length - maxRows;
    shown = rows.slice(elided);
  }
  const width = names.map((n, t) => Math.max(n.length, 8, ...shown.filter((r) => r.tid === t).map((r) => r.text.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(width[i]!)).join(' | ').trimEnd();
  const out: string[] = [line(names), width.map((w) => '-'.repeat(w)).join('-+-')];
  if (elided > 0) out.push(`(${elided} earlier row${elided === 1 ? '' : 's'} not shown)`);
  for (const r of shown) {
    const cells = names.map(() => '');
    cells[r.tid] = r.text;
    out.push(line(cells));
  }
  return out.join('\n');
}

/** A step as the race diagram labels it: `fn(arg) == shown`, the argument named by the world. */
export function stepLabel(world: World, o: Op, value: number): string {
  const fn = o.fn === '' ? `op@${o.loc}` : o.fn;
  let text = fn;
  if (!fn.includes('(')) {
    const arg = o.arg >= 0 ? (world.describe?.(o.arg) ?? String(o.arg)) : '';
    text = `${fn}(${arg})`;
  }
  if (o.show !== undefined && (o.kind === LOAD || o.kind === RMW || o.kind === WAIT || o.kind === CHOICE || o.kind === YIELD)) text += ` == ${o.show(value)}`;
  return text;
}
