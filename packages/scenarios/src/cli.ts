#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
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
  // Rows being run, by index: what the status line shows (the one running longest).
  const running = new Map<number, { label: string; since: number }>();
  const statusLine = (): string | undefined => {
    const longest = [...running.values()].sort((a, b) => a.since - b.since)[0];
    if (longest === undefined) return undefined;
    const more = running.size > 1 ? ` (+${running.size - 1} more)` : '';
    return paint('dim', `running ${longest.label} ${formatSeconds(performance.now() - longest.since)}${more}`);
  };
  const tick = live ? setInterval(() => {
    if (running.size > 0) out.status(statusLine());
  }, 100) : undefined;
  const stop = (): void => {
    running.clear();
    if (tick !== undefined) clearInterval(tick);
    out.status(undefined);
  };
  process.on('SIGINT', () => {
    stop();
    process.exit(130);
  });
  // Rows run on up to two workers at once (the slow weak rows first, each on its own core) and
  // print in the matrix's order: a row's lines wait for the rows above it.
  const sc: (VerdictRow | undefined)[] = [];
  let queue: number[] = [];
  let printed = 0;
  const workers: Worker[] = [];
  const printReady = (): void => {
    while (printed < planned.length && verdicts[printed] !== undefined) {
      const i = printed++;
      const weak = planned[i]!.variant.weak !== undefined;
      if (!args.json) {
        if (weak && sc[i] !== undefined) out.lines(printer!.rows(sc[i]!, 'sc'));
        out.lines(printer!.rows(verdicts[i]!, weak ? 'lkmm' : undefined));
      }
      html?.write(verdicts[i]!);
    }
    if (printed === planned.length) {
      stop();
      // A worker still starting (it had no row left to take) is not waited for.
      for (const w of workers) void w.terminate();
      finish(args, out, verdicts as VerdictRow[], performance.now() - start, width, paint, html);
    }
  };
  const dispatch = (w: Worker): void => {
    const index = queue.shift();
    w.postMessage(index === undefined ? { type: 'exit' } : { type: 'run', index });
  };
  const onMessage = (w: Worker, m: WorkerMessage): void => {
    if (m.type === 'bad') {
      stop();
      fail(m.message);
    } else if (m.type === 'plan') {
      if (workers.indexOf(w) > 0) return;
      planned = m.rows;
      verdicts = planned.map(() => undefined);
      printer = new MatrixPrinter(planned, width, paint);
      if (!args.json) out.lines(['pagecheck verdict matrix', '', ...printer.header()]);
      // Rows with a weak verdict take longest: first, so the two workers share them.
      const order = planned.map((_, i) => i);
      queue = [...order.filter((i) => planned[i]!.variant.weak !== undefined), ...order.filter((i) => planned[i]!.variant.weak === undefined)];
      if (planned.length > 1 && availableParallelism() > 1) spawn();
      if (planned.length === 0) printReady();
    } else if (m.type === 'idle') {
      dispatch(w);
    } else if (m.type === 'start') {
      const p = planned[m.index]!;
      running.set(m.index, { label: `${p.scenario} / ${p.variant.id}${m.model === 'lkmm' ? ' (lkmm)' : ''}`, since: running.get(m.index)?.since ?? performance.now() });
      out.status(statusLine());
    } else if (!m.final) {
      sc[m.index] = m.verdict;
    } else {
      verdicts[m.index] = m.verdict;
      running.delete(m.index);
      printReady();
    }
  };
  const spawn = (): void => {
    const w = new Worker(new URL('./worker.js', import.meta.url), { workerData: job });
    workers.push(w);
    w.on('message', (m: WorkerMessage) => onMessage(w, m));
    w.on('error', (e) => {
      stop();
      reportError(`running the scenarios failed: ${e.stack ?? e.message}`);
      process.exit(1);
    });
  };
  spawn();
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
