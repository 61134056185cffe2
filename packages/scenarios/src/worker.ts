import { parentPort, workerData } from 'node:worker_threads';
import type { ExploreOptions } from '@pagecheck/core';
import { scenarios } from './index.js';
import { findScenario, findVariant } from './select.js';
import { cRow } from './c-row.js';
import { runVariant, type Verdict } from './verdict.js';
import type { PlannedRow, VerdictRow } from './matrix.js';
import type { Scenario, Variant } from './types.js';

/** What the CLI asks of its worker: the rows to run (the command line's selection), in order. */
export interface WorkerJob {
  readonly scenario?: readonly string[];
  readonly variant?: readonly string[];
  /** A variant in kernel C (--variant FILE.c): its file name and source. */
  readonly c?: { readonly file: string; readonly source: string };
  readonly options: ExploreOptions;
}

/**
 * What a worker tells the CLI: the plan (or a bad selection); then, for each row
 * the CLI asks it to run, the row's start and verdicts (the `sc` one first for a
 * row with a weak verdict, then the final one), and `idle` when it can take
 * another row.
 */
export type WorkerMessage =
  | { readonly type: 'plan'; readonly rows: readonly PlannedRow[] }
  | { readonly type: 'bad'; readonly message: string }
  | { readonly type: 'start'; readonly index: number; readonly model: 'sc' | 'lkmm' }
  | { readonly type: 'verdict'; readonly index: number; readonly verdict: VerdictRow; readonly final: boolean }
  | { readonly type: 'idle' };

/** What the CLI tells a worker: run row `index` of the plan, or stop. */
export type WorkerCommand = { readonly type: 'run'; readonly index: number } | { readonly type: 'exit' };

/** The plan of a variant (plain data, without its specs). */
function planOf(scenario: string, v: Variant): PlannedRow {
  return {
    scenario,
    variant: {
      id: v.id,
      expected: v.expected,
      ...(v.divergence === undefined ? {} : { divergence: { found: v.divergence.found } }),
      ...(v.weak === undefined ? {} : { weak: { expected: v.weak.expected } }),
    },
  };
}

/** A verdict without its explorations: what the printout and the JSON need, cheap to post. */
function rowOf(v: Verdict): VerdictRow {
  const { explorations: _e, weakExplorations: _w, ...row } = v;
  return row;
}

/** The selected rows, in scenario then variant order; throws naming an unknown id. */
export function selectRows(scenario?: readonly string[], variant?: readonly string[]): { scenario: Scenario; variant: Variant }[] {
  const chosen = scenario === undefined ? scenarios : scenario.map((id) => findScenario(scenarios, id));
  return chosen.flatMap((s) => (variant === undefined ? Object.values(s.variants) : variant.map((id) => findVariant(s, id))).map((v) => ({ scenario: s, variant: v })));
}

if (parentPort !== null) {
  const job = workerData as WorkerJob;
  const post = (m: WorkerMessage): void => parentPort!.postMessage(m);
  let rows: { scenario: Scenario; variant: Variant }[] | undefined;
  try {
    rows = job.c === undefined ? selectRows(job.scenario, job.variant) : [await cRow(job.scenario?.[0] ?? '', job.c.file, job.c.source)];
  } catch (e) {
    post({ type: 'bad', message: (e as Error).message });
  }
  if (rows !== undefined) {
    const selected = rows;
    post({ type: 'plan', rows: selected.map((r) => planOf(r.scenario.id, r.variant)) });
    parentPort.on('message', (c: WorkerCommand) => {
      if (c.type === 'exit') {
        parentPort!.close();
        return;
      }
      const index = c.index;
      const { scenario, variant } = selected[index]!;
      post({ type: 'start', index, model: 'sc' });
      const verdict = runVariant(scenario, variant, job.options, {
        onWeak: (sc) => {
          post({ type: 'verdict', index, verdict: rowOf(sc), final: false });
          post({ type: 'start', index, model: 'lkmm' });
        },
      });
      post({ type: 'verdict', index, verdict: rowOf(verdict), final: true });
      post({ type: 'idle' });
    });
    post({ type: 'idle' });
  }
}
