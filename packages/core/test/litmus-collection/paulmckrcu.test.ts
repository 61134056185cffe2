/**
 * The weak model against paulmckrcu/litmus: each converted test
 * (test-data/litmus/paulmckrcu/tests.jsonl, written by
 * scripts/litmus/convert-collection.ts) explored under lkmm, its verdict
 * equal to herd7's recorded one. CI runs a subset: every test outside
 * luc/RelAcq, every Never and every fifth of the rest; PAGECHECK_NIGHTLY=1 runs all.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkLitmus, parseExists, withDeps } from '../../src/engine/litmus/litmus.js';
import * as litmus from '../../src/engine/litmus/ops.js';
import { Val } from '../../src/engine/litmus/values.js';
import type { ConvertedLitmus } from '../../../../scripts/litmus/convert.ts';
import { runConverted } from '../../../../scripts/litmus/run.ts';

const DATA = new URL('../../../../test-data/litmus/paulmckrcu/', import.meta.url);
const engine = { checkLitmus, parseExists, litmus, withDeps, Val };
const all = readFileSync(new URL('tests.jsonl', DATA), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as ConvertedLitmus);
const nightly = process.env.PAGECHECK_NIGHTLY === '1';

/**
 * The CI subset: every test outside luc/RelAcq whose exploration took at most
 * 1000 schedules when the data was generated, every Never, and every fifth
 * Sometimes/Always of luc/RelAcq.
 */
function ciSubset(tests: readonly ConvertedLitmus[]): ConvertedLitmus[] {
  let k = 0;
  return tests.filter((t) => (!t.source.startsWith('luc/RelAcq/') && (t.schedules ?? 0) <= 1000) || (t.source.startsWith('luc/RelAcq/') && (t.result === 'Never' || k++ % 5 === 0)));
}

/** The tests whose model verdict differs from herd7's (examined in docs/litmus-collection.md), with that verdict. */
interface Mismatch {
  readonly source: string;
  readonly model: string;
  readonly modelDataRace: boolean;
}
const mismatches = new Map(
  (JSON.parse(readFileSync(new URL('mismatches.json', DATA), 'utf8')) as { mismatches: Mismatch[] }).mismatches.map((m) => [m.source, m]),
);

const chosen = nightly ? all : ciSubset(all);

describe('the converted collection', () => {
  it('holds the tests the docs table counts, each with a recorded verdict of both kinds', () => {
    expect(all.length).toBeGreaterThanOrEqual(500);
    expect(new Set(all.map((t) => t.source)).size).toBe(all.length);
    expect(all.some((t) => t.result === 'Never')).toBe(true);
    expect(all.some((t) => t.result === 'Sometimes')).toBe(true);
    const table = readFileSync(new URL('../../../../docs/litmus-collection.md', import.meta.url), 'utf8');
    expect(table).toContain(`| converted (primitives supported) | ${all.length} (`);
    if (!nightly) expect(chosen.length).toBeGreaterThanOrEqual(300);
    for (const source of mismatches.keys()) expect(all.some((t) => t.source === source)).toBe(true);
  });
});

describe(`paulmckrcu/litmus under lkmm: ${chosen.length} of ${all.length} converted tests${nightly ? '' : ' (PAGECHECK_NIGHTLY=1 runs all)'}`, () => {
  for (const t of chosen) {
    const known = mismatches.get(t.source);
    const herd = `${t.result}${t.dataRace === true ? ' DATARACE' : ''}`;
    if (known === undefined) {
      it(`${t.source}: herd7 says ${herd}`, () => {
        const v = runConverted(t, engine);
        expect(v.complete).toBe(true);
        expect({ verdict: v.verdict, dataRace: v.dataRace }).toEqual({ verdict: t.result, dataRace: t.dataRace ?? false });
      });
    } else {
      it(`${t.source}: herd7 says ${herd}, the model (a documented difference) ${known.model}${known.modelDataRace ? ' DATARACE' : ''}`, () => {
        const v = runConverted(t, engine);
        expect(v.complete).toBe(true);
        expect({ verdict: v.verdict, dataRace: v.dataRace }).toEqual({ verdict: known.model, dataRace: known.modelDataRace });
      });
    }
  }
});
