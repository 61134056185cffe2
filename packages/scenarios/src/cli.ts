#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { ExploreOptions, Failure, RaceSpec } from '@pagecheck/core';
import { ArgError, HELP, parseCli, type CliArgs } from './args.js';
import { MatrixPrinter, renderTail, type PlannedRow, type VerdictRow } from './matrix.js';
import { colourOn, columnsOf, formatSeconds, Output, painter, reportError, type Terminal } from './terminal.js';
import type { HtmlReports } from './html.js';
import type { WorkerJob, WorkerMessage } from './worker.js';
import type { Scenario, Variant } from './types.js';

// The matrix's first row comes quickly: this module loads core only for the
// option definitions its flags come from (args.ts), not the scenarios; the worker
// builds and runs them (the --replay, --list and --html paths load them when asked).

/** Version of the `--json` and `--list --json` output's shape; raised when a field changes meaning or goes. */
const SCHEMA_VERSION = 1;

function fail(message: string): never {
  reportError(message);
  process.exit(2);
}

const term: Terminal = { stream: process.stdout, env: process.env };

async function main(): Promise<void> {
  process.stderr.on('error', () => undefined);
  let args: CliArgs;
  try {
    args = parseCli(process.argv.slice(2));
  } catch (e) {
    if (e instanceof ArgError) fail(e.message);
    throw e;
  }
  if (args.help || args.version || args.list || args.replay !== undefined) {
    // A closed reader (pagecheck --help | head -1) ends the command quietly.
    const out = new Output(term, () => process.exit(process.exitCode ?? 0), false);
    if (args.help) out.write(`${HELP}\n`);
    else if (args.version) out.write(`${version()}\n`);
    else if (args.list) out.write(await list(args.json));
    else await replay(args.replay!, args.cFile === undefined ? undefined : await cRowOf(args));
    return;
  }
  runMatrix(args, args.html === undefined ? undefined : new (await import('./html.js')).HtmlReports(args.html));
}

/** The package's version, from its package.json. */
function version(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

async function list(json: boolean): Promise<string> {
  const { scenarios } = await import('./index.js');
  if (!json) return scenarios.map((s) => `${s.id}: ${Object.keys(s.variants).join(', ')}\n`).join('');
  const out = scenarios.map((s) => ({
    id: s.id,
    title: s.title,
    variants: Object.values(s.variants).map((v) => ({
      id: v.id, title: v.title, expected: [...v.expected].sort(),
      ...(v.divergence === undefined ? {} : { divergence: { found: [...v.divergence.found].sort() } }),
      ...(v.weak === undefined ? {} : { weak: { expected: [...v.weak.expected].sort() } }),
    })),
  }));
  return `${JSON.stringify({ schemaVersion: SCHEMA_VERSION, scenarios: out }, null, 2)}\n`;
}

/** 0 when every verdict so far is as expected (or the documented divergence), else 1. */
function exitStatus(verdicts: readonly (VerdictRow | undefined)[]): number {
  return verdicts.every((v) => v === undefined || ((v.match || v.documented) && v.weakMatch !== false)) ? 0 : 1;
}

/**
 * Runs the selected rows in a worker and prints each row as its verdict is
 * known (a status line on a terminal shows the row running), then the tail:
 * violations, notes, footer and the summary line last. With --json, the JSON
 * at the end instead.
 */
function runMatrix(args: CliArgs, html: HtmlReports | undefined): void {
  const live = process.stdout.isTTY === true && !args.json;
  const paint = painter(!args.json && colourOn(term));
  const width = columnsOf(term, args.width);
  let planned: readonly PlannedRow[] = [];
  let verdicts: (VerdictRow | undefined)[] = [];
  let printer: MatrixPrinter | undefined;
  // A closed reader (pagecheck | head) ends the run with the verdict so far.
  const out = new Output(term, () => process.exit(exitStatus(verdicts)), live);
  const options: ExploreOptions = args.explore;
  const job: WorkerJob = {
    ...(args.scenario === undefined ? {} : { scenario: args.scenario }),
    ...(args.variant === undefined ? {} : { variant: args.variant }),
    ...(args.cFile === undefined ? {} : { c: { file: args.cFile, source: readC(args.cFile) } }),
    options,
  };
  const start = performance.now();
  let running: { label: string; since: number } | undefined;
  const tick = live ? setInterval(() => {
    if (running !== undefined) out.status(paint('dim', `running ${running.label} ${formatSeconds(performance.now() - running.since)}`));
  }, 100) : undefined;
  const stop = (): void => {
    running = undefined;
    if (tick !== undefined) clearInterval(tick);
    out.status(undefined);
  };
  process.on('SIGINT', () => {
    stop();
    process.exit(130);
  });
  const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: job });
  worker.on('message', (m: WorkerMessage) => {
    if (m.type === 'bad') {
      stop();
      fail(m.message);
    } else if (m.type === 'plan') {
      planned = m.rows;
      verdicts = planned.map(() => undefined);
      printer = new MatrixPrinter(planned, width, paint);
      if (!args.json) out.lines(['pagecheck verdict matrix', '', ...printer.header()]);
    } else if (m.type === 'start') {
      const p = planned[m.index]!;
      running = { label: `${p.scenario} / ${p.variant.id}${m.model === 'lkmm' ? ' (lkmm)' : ''}`, since: performance.now() };
      out.status(paint('dim', `running ${running.label}`));
    } else if (m.type === 'verdict') {
      verdicts[m.index] = m.verdict;
      const weak = planned[m.index]!.variant.weak !== undefined;
      if (!args.json) out.lines(printer!.rows(m.verdict, !weak ? undefined : m.final ? 'lkmm' : 'sc'));
      if (m.final) html?.write(m.verdict);
    } else {
      stop();
      finish(args, out, verdicts as VerdictRow[], performance.now() - start, width, paint, html);
    }
  });
  worker.on('error', (e) => {
    stop();
    reportError(`running the scenarios failed: ${e.stack ?? e.message}`);
    process.exit(1);
  });
}

function finish(args: CliArgs, out: Output, verdicts: readonly VerdictRow[], total: number, width: number, paint: ReturnType<typeof painter>, html: HtmlReports | undefined): void {
  if (args.json) {
    const rows = verdicts.map((v) => ({
      scenario: v.scenario, variant: v.variant, expected: v.expected, found: v.found, match: v.match, documented: v.documented, divergence: v.divergence,
      schedules: v.schedules, complete: v.complete, elapsedMs: Math.round(v.elapsedMs),
      failures: v.failures.map(failureJson),
      ...(v.weakFound === undefined ? {} : {
        weak: {
          expected: v.weakExpected, found: v.weakFound, match: v.weakMatch, complete: v.weakComplete, schedules: v.weakSchedules, pruned: v.weakPruned,
          elapsedMs: Math.round(v.weakElapsedMs ?? 0), note: v.weakNote, failures: (v.weakFailures ?? []).map(failureJson),
        },
      }),
    }));
    out.write(`${JSON.stringify({ schemaVersion: SCHEMA_VERSION, verdicts: rows, elapsedMs: Math.round(total) }, null, 2)}\n`);
  } else {
    out.lines(['', ...renderTail(verdicts, { diagrams: args.diagrams, totalMs: total, width, paint, footer: html === undefined ? [] : [html.footer()] })]);
  }
  process.exitCode = exitStatus(verdicts);
}

function failureJson(f: Failure): object {
  return { kind: f.violation.kind, message: f.violation.message, replay: f.replay, steps: f.steps, preemptions: f.preemptions };
}

/** The source of --variant FILE.c, or exit 2 naming the file. */
function readC(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    fail(`--variant ${file}: cannot read the C file (${(e as Error).message})`);
  }
}

/** The C variant's row, for --replay; exit 2 with the error of C that does not compile. */
async function cRowOf(args: CliArgs): Promise<{ scenario: Scenario; variant: Variant }> {
  const { cRow } = await import('./c-row.js');
  try {
    return await cRow(args.scenario?.[0] ?? '', args.cFile!, readC(args.cFile!));
  } catch (e) {
    fail((e as Error).message);
  }
}

async function replay(token: string, c?: { scenario: Scenario; variant: Variant }): Promise<void> {
  const { decodeToken, runOnce, specFingerprint, specIdentity, staleTokenMessage } = await import('@pagecheck/core');
  const { scenarios: builtin } = await import('./index.js');
  // A C variant's cases are searched first, as a scenario of their own.
  const scenarios: readonly Scenario[] = c === undefined ? builtin : [{ ...c.scenario, variants: { [c.variant.id]: c.variant } }, ...builtin];
  let t;
  try {
    t = decodeToken(token);
  } catch (e) {
    fail((e as Error).message);
  }
  for (const s of scenarios) {
    for (const v of Object.values(s.variants)) {
      for (const spec of v.cases) {
        if (specFingerprint(spec) !== t.fingerprint) continue;
        const run = runOnce(spec as RaceSpec<never>, { replay: token });
        process.stdout.write(`${s.id} / ${v.id} / ${spec.name}\n\n`);
        if (run.failure === undefined) process.stdout.write('no violation in this run\n');
        for (const f of run.failures) process.stdout.write(`${f.report}\n\n`);
        // A reproduced bug is a failing exit, like a verdict that differs.
        process.exitCode = run.failure === undefined ? 0 : 1;
        return;
      }
    }
  }
  // A token made from a case before it changed: say so, rather than "unknown".
  for (const s of scenarios) {
    for (const v of Object.values(s.variants)) {
      const spec = v.cases.find((c) => t.identity !== undefined && specIdentity(c) === t.identity);
      if (spec !== undefined) fail(`${s.id} / ${v.id}: ${staleTokenMessage(spec, token, t)}`);
    }
  }
  fail(`replay token ${token} matches no scenario case (its fingerprint ${t.fingerprint} is unknown): it was made from another spec or an older version of the scenarios`);
}

await main();
