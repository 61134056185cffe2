#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { decodeToken, runOnce, specFingerprint, specIdentity, staleTokenMessage, ReplayTokenError, type Failure, type RaceSpec } from '@pagecheck/core';
import { scenarios } from './index.js';
import { findScenario, findVariant } from './select.js';
import { runVariant, type Verdict } from './verdict.js';
import type { Scenario, Variant } from './types.js';
import { renderMatrix } from './matrix.js';

const HELP = `pagecheck: run the LKML regression scenarios through the page allocator model

Usage: pagecheck [options]

  --scenario ID     only this scenario (repeatable)
  --variant ID      only this variant (needs --scenario)
  --replay TOKEN    replay one failure's token and print its run (exits 1 when
                    the run shows a violation)
  --budget SECONDS  time budget of each exploration (default: the variant's own,
                    10 s for most; raise it for the weak-model rows in a nightly run)
  --json            print the verdicts as JSON
  --no-diagrams     leave out the race diagrams
  --list            list scenarios and variants
  -h, --help        this text

Variants with a weak-model verdict are also explored under memoryModel 'lkmm'
(rows '<variant> (lkmm)').

Exits 1 when a verdict (either model's) differs from the expected one, or when
--replay reproduces a violation; 2 on bad arguments (a token that fits no case).`;

function fail(message: string): never {
  process.stderr.write(`pagecheck: ${message}\n`);
  process.exit(2);
}

function main(): void {
  let args;
  try {
    args = parseArgs({
      options: {
        scenario: { type: 'string', multiple: true },
        variant: { type: 'string', multiple: true },
        replay: { type: 'string' },
        budget: { type: 'string' },
        json: { type: 'boolean', default: false },
        'no-diagrams': { type: 'boolean', default: false },
        list: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: false,
    }).values;
  } catch (e) {
    fail(`${(e as Error).message}\n\n${HELP}`);
  }
  if (args.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  if (args.list) {
    for (const s of scenarios) process.stdout.write(`${s.id}: ${Object.keys(s.variants).join(', ')}\n`);
    return;
  }
  if (args.replay !== undefined) {
    replay(args.replay);
    return;
  }
  let selected: { scenario: Scenario; variant: Variant }[];
  try {
    const chosen = args.scenario === undefined ? scenarios : args.scenario.map((id) => findScenario(scenarios, id));
    if (args.variant !== undefined && args.scenario === undefined) throw new Error('--variant needs --scenario');
    selected = chosen.flatMap((scenario) =>
      args.variant === undefined
        ? Object.values(scenario.variants).map((variant) => ({ scenario, variant }))
        : args.variant.map((id) => ({ scenario, variant: findVariant(scenario, id) })),
    );
  } catch (e) {
    fail((e as Error).message);
  }
  let budget: { timeBudgetMs: number } | undefined;
  if (args.budget !== undefined) {
    const seconds = Number(args.budget);
    if (!Number.isFinite(seconds) || seconds <= 0) fail(`--budget ${args.budget}: give the time budget of each exploration in seconds, a number above 0 (for example --budget 60)`);
    budget = { timeBudgetMs: seconds * 1000 };
  }
  const start = performance.now();
  const verdicts: Verdict[] = [];
  for (const { scenario, variant } of selected) verdicts.push(runVariant(scenario, variant, budget));
  const total = performance.now() - start;
  if (args.json) {
    const out = verdicts.map((v) => ({
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
    process.stdout.write(`${JSON.stringify({ verdicts: out, elapsedMs: Math.round(total) }, null, 2)}\n`);
  } else {
    process.stdout.write(renderMatrix(verdicts, { diagrams: !args['no-diagrams'], totalMs: total }));
  }
  process.exitCode = verdicts.every((v) => (v.match || v.documented) && v.weakMatch !== false) ? 0 : 1;
}

function failureJson(f: Failure): object {
  return { kind: f.violation.kind, message: f.violation.message, replay: f.replay, steps: f.steps, preemptions: f.preemptions };
}

function replay(token: string): void {
  let t;
  try {
    t = decodeToken(token);
  } catch (e) {
    fail((e as ReplayTokenError).message);
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

main();
