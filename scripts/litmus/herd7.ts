/**
 * herd7's verdicts on the converted collection (test-data/litmus/paulmckrcu/herd7.json,
 * written by scripts/litmus/herd7.mjs): the reference the model is compared with besides
 * each test's Result line, which records what herd7 answered with the LKMM of its day.
 */
import type { RecordedVerdict } from './parse.ts';

/** One test: herd7's Observation line and flags, or a timeout, or an error. */
export interface Herd7Result {
  readonly name: string;
  readonly source: string;
  readonly observation?: RecordedVerdict;
  readonly positive?: number;
  readonly negative?: number;
  /** The `Flag` lines herd7 printed (`data-race`, `mixed-accesses`, ...), sorted. */
  readonly flags?: readonly string[];
  readonly seconds?: number;
  readonly timeout?: true;
  readonly error?: string;
}

export interface Herd7Data {
  readonly herd7: string;
  readonly herdtools7: string;
  readonly litmusCommit: string;
  /** `git hash-object` of each file of tools/memory-model herd7 ran with. */
  readonly model: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  readonly command: string;
  readonly results: readonly Herd7Result[];
}

/** herd7's answer as the model gives it: the verdict and whether the data-race flag was raised (undefined: herd7 did not finish). */
export function herd7Verdict(r: Herd7Result | undefined): { readonly verdict: RecordedVerdict; readonly dataRace: boolean } | undefined {
  if (r?.observation === undefined) return undefined;
  return { verdict: r.observation, dataRace: r.flags?.includes('data-race') === true };
}

/** Reads herd7.json's text, checking its shape (a clear error names what is wrong). */
export function parseHerd7(text: string, file: string): Herd7Data {
  const d = JSON.parse(text) as Partial<Herd7Data>;
  if (typeof d.herd7 !== 'string' || typeof d.herdtools7 !== 'string' || !Array.isArray(d.results)) {
    throw new Error(`${file}: not herd7 verdicts (expected herd7, herdtools7 and results; write it with scripts/litmus/herd7.mjs)`);
  }
  for (const r of d.results) {
    if (typeof r.source !== 'string' || (r.observation === undefined && r.timeout !== true && r.error === undefined)) {
      throw new Error(`${file}: a result without source, or without an observation, timeout or error: ${JSON.stringify(r)}`);
    }
  }
  return d as Herd7Data;
}
