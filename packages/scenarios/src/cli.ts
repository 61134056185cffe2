#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { decodeToken, EXPLORE_OPTIONS, EXPLORE_OPTION_NAMES, runOnce, specFingerprint, ReplayTokenError, type ExploreOptions, type Failure, type OptionFlag, type RaceSpec } from '@pagecheck/core';
import { scenarios } from './index.js';
import { findScenario, findVariant } from './select.js';
import { runVariant, type Verdict } from './verdict.js';
import type { Scenario, Variant } from './types.js';
import { renderMatrix } from './matrix.js';

/** The options of explore that have a flag (core's EXPLORE_OPTIONS), with their flags. */
const FLAGS = EXPLORE_OPTION_NAMES.flatMap((option) => {
  const flag = (EXPLORE_OPTIONS[option] as { readonly flag?: OptionFlag<unknown> }).flag;
  return flag === undefined ? [] : [{ option, flag }];
});

const flagHelp = FLAGS.map(({ flag }) => {
  const [first, ...rest] = flag.help.split('\n');
  return [`  ${`--${flag.name} ${flag.arg}`.padEnd(18)}${first}`, ...rest.map((l) => `${' '.repeat(20)}${l}`)].join('\n');
}).join('\n');

const HELP = `pagecheck: run the LKML regression scenarios through the page allocator model

Usage: pagecheck [options]

  --scenario ID     only this scenario (repeatable)
  --variant ID      only this variant (needs --scenario)
${flagHelp}
  --json            print the verdicts as JSON
  --no-diagrams     leave out the race diagrams
  --list            list scenarios and variants
  -h, --help        this text

Variants with a weak-model verdict are also explored under memoryModel 'lkmm'
(rows '<variant> (lkmm)').

Exits 1 when a verdict (either model's) differs from the expected one, 2 on bad arguments.`;

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
        ...Object.fromEntries(FLAGS.map(({ flag }) => [flag.name, { type: 'string' as const }])),
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
  // The flags of explore's options, read as core's definition reads them.
  const given: Record<string, unknown> = {};
  for (const { option, flag } of FLAGS) {
    const text = (args as Record<string, unknown>)[flag.name];
    if (typeof text !== 'string') continue;
    try {
      given[option] = flag.parse(text);
    } catch (e) {
      fail(`--${flag.name} ${text}: ${(e as Error).message}`);
    }
  }
  const { replay: token, ...overrides } = given as ExploreOptions;
  if (token !== undefined) {
    replay(token);
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
  const start = performance.now();
  const verdicts: Verdict[] = [];
  for (const { scenario, variant } of selected) verdicts.push(runVariant(scenario, variant, overrides));
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
        return;
      }
    }
  }
  fail(`replay token ${token} matches no scenario case (its fingerprint ${t.fingerprint} is unknown): it was made from another spec or an older version of the scenarios`);
}

main();
