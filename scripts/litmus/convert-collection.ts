/**
 * Converts paulmckrcu/litmus (`manual/` and `luc/`) to the model's litmus
 * form, runs every converted test under lkmm, and writes
 *   test-data/litmus/paulmckrcu/tests.jsonl   the converted tests with their recorded results
 *   test-data/litmus/paulmckrcu/skipped.json  the tests with a Result line that were not converted, with what is missing
 *   docs/litmus-collection.md                 the table: supported, matched, skipped by missing primitive
 *
 * Usage (after `pnpm run build`, which the run needs for the engine):
 *   git clone https://github.com/paulmckrcu/litmus /tmp/litmus
 *   pnpm run litmus:convert /tmp/litmus
 * Add --no-run to convert only (the docs table then keeps no verdict counts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convertLitmus, type ConvertedLitmus } from './convert.ts';
import { LitmusSyntaxError, parseCLitmus } from './parse.ts';
import { matches, runConverted, type LitmusEngine } from './run.ts';
import { renderTable, type CollectionReport } from './report.ts';
import { herd7Verdict, parseHerd7 } from './herd7.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'test-data', 'litmus', 'paulmckrcu');
const DIRS = ['manual', 'luc'];
/** The exploration budget per test: a test that needs more is skipped, naming the cause. */
const MAX_SCHEDULES = 5000;

function walk(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.litmus') ? [p] : [];
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const run = !args.includes('--no-run');
  const src = args.find((a) => !a.startsWith('--'));
  if (src === undefined || !DIRS.every((d) => existsSync(join(src, d)))) {
    console.error('usage: pnpm run litmus:convert <path to a clone of github.com/paulmckrcu/litmus> [--no-run]\n(the directory must hold manual/ and luc/)');
    process.exit(2);
  }
  const commit = execFileSync('git', ['-C', src, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  const report: CollectionReport = { commit, files: 0, withResult: 0, converted: [], skipped: [], errors: [] };
  for (const file of DIRS.flatMap((d) => walk(join(src, d)))) {
    const source = relative(src, file);
    report.files++;
    const text = readFileSync(file, 'utf8');
    if (!/Result:/.test(text)) continue;
    report.withResult++;
    try {
      const c = convertLitmus(parseCLitmus(text), source);
      if (c.ok) report.converted.push({ test: c.test });
      else report.skipped.push({ source, missing: c.missing });
    } catch (e) {
      if (!(e instanceof Error)) throw e;
      // herd7's LISA tests (assembly-like, `r[once] r0 x`) are another format.
      if (e instanceof LitmusSyntaxError && /^LISA\s/.test(text)) report.skipped.push({ source, missing: ['LISA format (the converter reads C litmus tests)'] });
      else report.errors.push({ source, error: e.message });
    }
  }
  if (run) {
    const dist = join(ROOT, 'packages', 'core', 'dist', 'engine.js');
    if (!existsSync(dist)) {
      console.error(`litmus:convert runs the tests on the built engine, and ${relative(ROOT, dist)} is missing: run \`pnpm run build\` first (or pass --no-run)`);
      process.exit(2);
    }
    const engine = (await import(dist)) as LitmusEngine;
    let n = 0;
    for (const c of [...report.converted]) {
      const t0 = performance.now();
      const v = runConverted(c.test, engine, { maxSchedules: MAX_SCHEDULES });
      if (++n % 200 === 0) console.error(`${n}/${report.converted.length} run`);
      if (!v.complete) {
        // Too large to explore exhaustively here: listed with the skipped ones, with that cause.
        report.converted.splice(report.converted.indexOf(c), 1);
        report.skipped.push({ source: c.test.source, missing: [`exploration needs more than ${MAX_SCHEDULES} schedules`] });
        continue;
      }
      c.model = v.verdict;
      c.dataRace = v.dataRace;
      c.complete = v.complete;
      c.ms = performance.now() - t0;
      c.test = { ...c.test, schedules: v.schedules };
    }
    report.skipped.sort((a, b) => a.source.localeCompare(b.source));
  }
  // herd7's verdicts (scripts/litmus/herd7.mjs), when they were computed: the table compares with them too.
  const herdFile = join(OUT, 'herd7.json');
  if (existsSync(herdFile)) report.herd7 = parseHerd7(readFileSync(herdFile, 'utf8'), herdFile);
  mkdirSync(OUT, { recursive: true });
  const line = (t: ConvertedLitmus): string => JSON.stringify(t);
  writeFileSync(join(OUT, 'tests.jsonl'), report.converted.map((c) => line(c.test)).join('\n') + '\n');
  writeFileSync(join(OUT, 'skipped.json'), JSON.stringify({ commit, skipped: report.skipped, errors: report.errors }, null, 1) + '\n');
  writeFileSync(join(ROOT, 'docs', 'litmus-collection.md'), renderTable(report, run));
  if (run) {
    // The tests whose verdict differs from herd7's recorded one (docs/litmus-collection.md examines each):
    // the vitest test checks that each still gives the model verdict listed here, so a change is seen.
    const differ = report.converted
      .filter((c) => !matches(c.test, { verdict: c.model, dataRace: c.dataRace }))
      .map((c) => ({ source: c.test.source, recorded: c.test.result, recordedDataRace: c.test.dataRace ?? false, model: c.model, modelDataRace: c.dataRace ?? false }));
    // The tests whose model verdict differs from herd7's today (herd7.json), pinned the same way.
    const herdBy = new Map((report.herd7?.results ?? []).map((h) => [h.source, h]));
    const herd7Differences = report.converted.flatMap((c) => {
      const h = herd7Verdict(herdBy.get(c.test.source));
      if (h === undefined || (h.verdict === c.model && h.dataRace === (c.dataRace ?? false))) return [];
      return [{ source: c.test.source, herd7: h.verdict, herd7DataRace: h.dataRace, model: c.model, modelDataRace: c.dataRace ?? false }];
    });
    writeFileSync(join(OUT, 'mismatches.json'), JSON.stringify({ commit, mismatches: differ, herd7Differences }, null, 1) + '\n');
    for (const d of herd7Differences) console.log(`HERD7 DIFFERENCE ${d.source}: herd7 ${d.herd7}${d.herd7DataRace ? ' DATARACE' : ''}, model ${d.model}${d.modelDataRace ? ' DATARACE' : ''}`);
  }
  const same = (c: (typeof report.converted)[number]): boolean => matches(c.test, { verdict: c.model, dataRace: c.dataRace });
  const matched = report.converted.filter(same).length;
  console.log(`${report.files} files, ${report.withResult} with a Result line: ${report.converted.length} converted${run ? `, ${matched} match` : ''}, ${report.skipped.length} skipped, ${report.errors.length} unreadable`);
  for (const c of report.converted) if (run && !same(c)) console.log(`MISMATCH ${c.test.source}: recorded ${c.test.result}${c.test.dataRace === true ? ' DATARACE' : ''}, model ${c.model}${c.dataRace === true ? ' DATARACE' : ''}`);
}

await main();
