import { parentPort, workerData } from 'node:worker_threads';
import type { ExploreOptions } from '@pagecheck/core';
import { scenarios } from './index.js';
import { findScenario, findVariant } from './select.js';
import { runVariant, type Verdict } from './verdict.js';
import type { VerdictRow } from './matrix.js';

/** What the CLI asks of its worker: the rows to run, in order. */
export interface WorkerJob {
  readonly rows: readonly { readonly scenario: string; readonly variant: string }[];
  readonly options: ExploreOptions;
}

/** What the worker tells the CLI, in order, row by row. */
export type WorkerMessage =
  | { readonly type: 'start'; readonly index: number; readonly model: 'sc' | 'lkmm' }
  | { readonly type: 'verdict'; readonly index: number; readonly verdict: VerdictRow; readonly final: boolean }
  | { readonly type: 'done' };

/** A verdict without its explorations: what the printout and the JSON need, cheap to post. */
function rowOf(v: Verdict): VerdictRow {
  const { explorations: _e, weakExplorations: _w, ...row } = v;
  return row;
}

const job = workerData as WorkerJob;
const post = (m: WorkerMessage): void => parentPort!.postMessage(m);
job.rows.forEach((r, index) => {
  const scenario = findScenario(scenarios, r.scenario);
  const variant = findVariant(scenario, r.variant);
  post({ type: 'start', index, model: 'sc' });
  const verdict = runVariant(scenario, variant, job.options, {
    onWeak: (sc) => {
      post({ type: 'verdict', index, verdict: rowOf(sc), final: false });
      post({ type: 'start', index, model: 'lkmm' });
    },
  });
  post({ type: 'verdict', index, verdict: rowOf(verdict), final: true });
});
post({ type: 'done' });
