import type { Execution, TraceStep, World } from './execution.js';
import { CHOICE, YIELD } from './op.js';
import { READ } from './memory-model/graph.js';
import { WeakMemory } from './memory-model/weak-memory.js';
import { racingPairs } from './racing.js';
import { stepLabel } from './step-label.js';
import { renderColumns } from '../text/columns.js';

export { stepLabel } from './step-label.js';

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
  const saw = readsFrom(exec);
  const rows: { tid: number; text: string }[] = [];
  let lastTid = -1;
  let lastCall = '';
  let lastCallId = -1;
  let lastLeaf = '';
  for (let i = 0; i < trace.length; i++) {
    const s = trace[i]!;
    const call = s.frames[0] ?? '';
    const label = stepLabel(exec.world, s.op, s.value);
    const leaf = saw.has(i) ? `${label}  (saw: ${saw.get(i)!})` : label;
    // A new call: another thread, another call, or the same call made again (the world numbers calls).
    const newCall = s.tid !== lastTid || call !== lastCall || (s.call ?? 0) !== lastCallId;
    // The step is the call itself: its label is the call's name (`lock_page`) or the call as written (`spin_lock(&zone->lock)`).
    const leafIsCall = call !== '' && (call === s.op.fn || call.slice(0, call.indexOf('(')) === s.op.fn);
    const prev = rows[rows.length - 1];
    // The call's row, unless its step is the call itself (then the step's row names it).
    const callRow = newCall && call !== '' && !leafIsCall;
    if (callRow) rows.push({ tid: s.tid, text: call });
    if (racing.has(i) || call === '' || leafIsCall) {
      const text = call === '' || leafIsCall ? leaf : `  ${leaf}`;
      const last = rows[rows.length - 1];
      // One row for a step repeated within one call (a spin), and none for a step that only restates its call's row.
      const repeat = !newCall && last !== undefined && last.tid === s.tid && (lastLeaf === leaf || (leafIsCall && last.text === text && last === prev));
      if (!repeat) rows.push({ tid: s.tid, text });
      lastLeaf = leaf;
    } else {
      lastLeaf = '';
    }
    lastTid = s.tid;
    lastCall = call;
    lastCallId = s.call ?? 0;
  }
  if (options.violation !== undefined) rows.push({ tid: options.violation.tid, text: options.violation.text });
  const maxRows = options.maxRows ?? 80;
  let shown = rows;
  let elided = 0;
  if (rows.length > maxRows) {
    elided = rows.length - maxRows;
    shown = rows.slice(elided);
  }
  const preamble = elided > 0 ? [`(${elided} earlier row${elided === 1 ? '' : 's'} not shown)`] : [];
  return renderColumns(names, shown.map((r) => names.map((_n, t) => (t === r.tid ? r.text : ''))), { minWidth: 8, preamble });
}

/**
 * Under a weak memory model, which store each read saw, by trace step: the
 * writer's thread and step label (`producer WRITE_ONCE(flag, 1)`), or the
 * initial value. Empty under sequential consistency, where a read sees the
 * last store before it in the diagram.
 */
export function readsFrom(exec: Execution): Map<number, string> {
  const out = new Map<number, string>();
  const weak = exec.weak;
  const trace = exec.trace;
  if (!(weak instanceof WeakMemory) || trace === undefined) return out;
  const g = weak.graph;
  for (const e of g.events) {
    if (e.kind !== READ || e.step < 0 || e.rf < 0 || e.rmw >= 0) continue;
    const w = g.events[e.rf]!;
    if (w.tid < 0) {
      out.set(e.step, 'initial value');
      continue;
    }
    const ws = trace[w.step];
    out.set(e.step, ws === undefined ? `${exec.threads[w.tid]?.name ?? w.tid} ${w.fn}` : `${exec.threads[w.tid]?.name ?? w.tid} ${stepLabel(exec.world, ws.op, ws.value)}`);
  }
  return out;
}
