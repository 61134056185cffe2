/**
 * The weak model against paulmckrcu/litmus: each converted test
 * (test-data/litmus/paulmckrcu/tests.jsonl, written by
 * scripts/litmus/convert-collection.ts) explored under lkmm, its verdict
 * compared with both the one its Result line records and herd7's today
 * (herd7.json, written by scripts/litmus/herd7.mjs). CI runs a subset: every
 * test outside luc/RelAcq, every Never and every fifth of the rest;
 * PAGECHECK_NIGHTLY=1 runs all.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkLitmus, parseExists, withDeps } from '../../src/engine/litmus/litmus.js';
import * as litmus from '../../src/engine/litmus/ops.js';
import { Val } from '../../src/engine/litmus/values.js';
import type { ConvertedLitmus } from '../../../../scripts/litmus/convert.ts';
import { runConverted } from '../../../../scripts/litmus/run.ts';
import { herd7Verdict, parseHerd7 } from '../../../../scripts/litmus/herd7.ts';

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

/** A test whose model verdict differs from the Result line's or herd7's (examined in docs/litmus-collection.md), with that verdict. */
interface Mismatch {
  readonly source: string;
  readonly model: string;
  readonly modelDataRace: boolean;
}
const pinned = JSON.parse(readFileSync(new URL('mismatches.json', DATA), 'utf8')) as { mismatches: Mismatch[]; herd7Differences: Mismatch[] };
const mismatches = new Map(pinned.mismatches.map((m) => [m.source, m]));
const herd7Differences = new Map(pinned.herd7Differences.map((m) => [m.source, m]));
const herd7 = parseHerd7(readFileSync(new URL('herd7.json', DATA), 'utf8'), 'test-data/litmus/paulmckrcu/herd7.json');
const herd7By = new Map(herd7.results.map((r) => [r.source, r]));
const show = (v: { readonly verdict: string; readonly dataRace: boolean }): string => `${v.verdict}${v.dataRace ? ' DATARACE' : ''}`;

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
    for (const source of [...mismatches.keys(), ...herd7Differences.keys()]) expect(all.some((t) => t.source === source)).toBe(true);
  });

  it("has herd7's answer for every converted test (a verdict, a timeout or an error), the herd7 run the docs table describes", () => {
    const missing = all.filter((t) => !herd7By.has(t.source)).map((t) => t.source);
    expect(missing).toEqual([]);
    const table = readFileSync(new URL('../../../../docs/litmus-collection.md', import.meta.url), 'utf8');
    const finished = all.filter((t) => herd7Verdict(herd7By.get(t.source)) !== undefined).length;
    expect(table).toContain(`| herd7 ${herd7.herd7} finished (within ${herd7.timeoutSeconds} s) | ${finished} of ${all.length} |`);
    expect(table).toContain(herd7.herdtools7);
  });
});

describe(`paulmckrcu/litmus under lkmm: ${chosen.length} of ${all.length} converted tests${nightly ? '' : ' (PAGECHECK_NIGHTLY=1 runs all)'}`, () => {
  for (const t of chosen) {
    const recorded = { verdict: t.result, dataRace: t.dataRace ?? false };
    const herd = herd7Verdict(herd7By.get(t.source));
    const known = mismatches.get(t.source);
    const herdKnown = herd7Differences.get(t.source);
    const pin = (m: Mismatch): { verdict: string; dataRace: boolean } => ({ verdict: m.model, dataRace: m.modelDataRace });
    const title = `${t.source}: Result line ${show(recorded)}, herd7 ${herd === undefined ? 'did not finish' : show(herd)}${known !== undefined || herdKnown !== undefined ? ` (the model, a documented difference: ${show(pin((known ?? herdKnown)!))})` : ''}`;
    it(title, () => {
      const v = runConverted(t, engine);
      expect(v.complete).toBe(true);
      const got = { verdict: v.verdict, dataRace: v.dataRace };
      // Against the Result line (an older LKMM for some tests: those are pinned in mismatches.json).
      expect(got).toEqual(known === undefined ? recorded : pin(known));
      // Against herd7 today, where it finished.
      if (herd !== undefined) expect(got).toEqual(herdKnown === undefined ? herd : pin(herdKnown));
    });
  }
});
