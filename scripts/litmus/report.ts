/** The docs table of convert-collection.ts: what was converted, what matched, what was skipped and why. */
import type { ConvertedLitmus } from './convert.ts';
import type { RecordedVerdict } from './parse.ts';
import { PRIMITIVES } from './primitives.ts';
import { matches } from './run.ts';
import { herd7Verdict, type Herd7Data } from './herd7.ts';

export interface CollectionReport {
  readonly commit: string;
  files: number;
  withResult: number;
  readonly converted: { test: ConvertedLitmus; model?: RecordedVerdict; dataRace?: boolean; complete?: boolean; ms?: number }[];
  readonly skipped: { readonly source: string; readonly missing: readonly string[] }[];
  readonly errors: { readonly source: string; readonly error: string }[];
  /** herd7's verdicts on the converted tests (herd7.json), when computed. */
  herd7?: Herd7Data;
}

/** What examining each differing test found (the test's own comment, linux-kernel.cat, herd7), by source. */
// Each differing test was run through herd7 7.58 (herdtools7 1ca343e16a20) with mainline's
// tools/memory-model (linux-kernel.cat with rcu-order, rmw-sequence and the current wr-race rule), and
// with the older model bundled in herdtools7 (2020): both give the same verdicts and flags. Where herd7
// agrees with the model, the Result line is not what herd7 answers (it records the desired answer, a
// compiler transformation, or an earlier model); where it does not, the difference is the model's.
const HERD7 = (found: string, why: string): string => `herd7 7.58 gives ${found}, as the model does; ${why}`;
const DESIRED = 'the Result line is the desired answer (its comment says LKMM finds the outcome)';
const COMPILER = 'the Result line states what a compiler may do to plain accesses (its comment), which herd7 does not model';
const STALE = 'the Result line predates the current plain-access rules';
/** What is known of the tests herd7 did not finish within the timeout, by source. */
const HERD7_UNFINISHED_NOTES: Readonly<Record<string, string>> = {
  'manual/kernel/C-ManfredSpraul-L1G2lock.litmus': 'herd7 7.58 did not finish within 25 minutes either (niced, on a shared 2-core machine); the model agrees with the Result line',
};
/** Findings for tests whose model verdict equals the Result line but differs from herd7's today, by source. */
export const HERD7_NOTES: Readonly<Record<string, string>> = {};
export const MISMATCH_NOTES: Readonly<Record<string, string>> = {
  'manual/plain/C-S+o-mb-o+o-ctl-p.litmus': HERD7('Sometimes with a data race', `${STALE}: co from P1's plain \`*z = 0\` to P0's WRITE_ONCE(z) is coherent, as w-pre-bounded = [Marked] ; (addr \\| fence)? takes no ctrl`),
  'manual/plain/C-non-race3.litmus': HERD7('Sometimes with a data race', `${STALE}: nothing orders P0's READ_ONCE(x) before its WRITE_ONCE(z), as the path runs through the plain \`*y = 3\` and hb is [Marked] ; ppo ; [Marked]`),
  'manual/plain/C-non-race1-rrdep.litmus': HERD7('Sometimes with a data race', `${STALE}: the order from READ_ONCE(x) to WRITE_ONCE(y) runs through the plain read \`*r4\`, so the load-buffering outcome is allowed`),
  'manual/plain/C-non-race1-rwdep.litmus': HERD7('Sometimes with a data race', `${STALE}: the order from READ_ONCE(x) to WRITE_ONCE(y) runs through the plain \`*r4 = 3\` (rwdep, then overwrite & int), and hb is [Marked] ; ppo ; [Marked], so the load-buffering state 0:r1=1, 1:r3=1 is allowed. (The model missed it until its exhaustive search retried the other threads before the reads of a thread that broke a promise: P1 keeps the value P0's load read only if P0 runs its branch and WRITE_ONCE(y) before P1's load.)`),
  'manual/plain/C-RRDR-rcuderef.litmus': HERD7('Sometimes with a data race', `${STALE}: A-cumul(r) = (rfe ; [Marked])? ; r lets no plain read extend cumul-fence`),
  'manual/plain/C-S-rcunoderef-1.litmus': HERD7('Sometimes with a data race', `${STALE}: every access is plain, and rcu-link crosses threads only through marked accesses`),
  'manual/oota/C-JO-OOTA-4.litmus': HERD7('Never with a data race', 'the verdict matches the Result line, which records no flag; the race is in executions outside the clause'),
  'manual/oota/C-JO-OOTA-7.litmus': HERD7('Never with a data race', 'the verdict matches the Result line, which records no flag; the race is in executions outside the clause'),
  'manual/oota/C-JO-OOTA-3.litmus': HERD7('Sometimes', DESIRED),
  'manual/oota/C-JO-OOTA-5.litmus': HERD7('Sometimes', DESIRED),
  'manual/oota/C-JO-OOTA-6.litmus': HERD7('Sometimes', DESIRED),
  'manual/plain/C-tearstore.litmus': HERD7('Never with a data race', COMPILER),
  'manual/plain/C-tmpstore.litmus': HERD7('Never with a data race', COMPILER),
  'manual/plain/C-repload.litmus': HERD7('Never with a data race', COMPILER),
};

const dirOf = (source: string): string => source.split('/').slice(0, 2).join('/');
const code = (s: string): string => `\`${s.replace(/\|/g, '\\|')}\``;

export function renderTable(r: CollectionReport, ran: boolean): string {
  const same = (c: CollectionReport['converted'][number]): boolean => c.model !== undefined && matches(c.test, { verdict: c.model, dataRace: c.dataRace });
  const matched = r.converted.filter(same);
  const mismatched = r.converted.filter((c) => c.model !== undefined && !same(c));
  const dirs = [...new Set([...r.converted.map((c) => dirOf(c.test.source)), ...r.skipped.map((s) => dirOf(s.source)), ...r.errors.map((e) => dirOf(e.source))])].sort();
  const byMissing = new Map<string, number>();
  for (const s of r.skipped) for (const m of s.missing) byMissing.set(m, (byMissing.get(m) ?? 0) + 1);
  const pct = (a: number, b: number): string => (b === 0 ? '-' : `${((100 * a) / b).toFixed(1)}%`);
  const seconds = r.converted.reduce((s, c) => s + (c.ms ?? 0), 0) / 1000;
  const herd = r.herd7;
  const herdBy = new Map((herd?.results ?? []).map((h) => [h.source, h]));
  const herdOf = (c: CollectionReport['converted'][number]): ReturnType<typeof herd7Verdict> => herd7Verdict(herdBy.get(c.test.source));
  const herdDone = r.converted.filter((c) => herdOf(c) !== undefined);
  const sameAsHerd = (c: CollectionReport['converted'][number]): boolean => {
    const h = herdOf(c);
    return h !== undefined && c.model === h.verdict && (c.dataRace ?? false) === h.dataRace;
  };
  const herdSame = herdDone.filter(sameAsHerd);
  const herdVsResult = herdDone.filter((c) => !matches(c.test, herdOf(c)!));
  const herdUnfinished = r.converted.filter((c) => herdOf(c) === undefined);
  const L: string[] = [
    '# The litmus collection',
    '',
    '<!-- Generated by scripts/litmus/convert-collection.ts; do not edit by hand. -->',
    '',
    "The weak memory model (`memoryModel: 'lkmm'`) checked against a suite it was not written for:",
    "Paul McKenney's litmus collection ([paulmckrcu/litmus](https://github.com/paulmckrcu/litmus),",
    `commit \`${r.commit}\`, GPL-2.0), whose tests record herd7's verdict on a \`Result:\` line.`,
    'Every test of `manual/` and `luc/` with such a line is parsed; those whose primitives the model',
    'supports are converted to its litmus form and explored exhaustively under lkmm, and the verdict',
    "on the clause's proposition (Never, Sometimes, Always, as herd7 reports it) is compared with the recorded one.",
    'The converted tests are committed under `test-data/litmus/paulmckrcu/`; the vitest test',
    '`packages/core/test/litmus-collection/paulmckrcu.test.ts` runs a subset in CI and all of them',
    'with `PAGECHECK_NIGHTLY=1`.',
    '',
    '| | tests |',
    '|---|---:|',
    `| \`.litmus\` files in \`manual/\` and \`luc/\` | ${r.files} |`,
    `| with a \`Result:\` line | ${r.withResult} |`,
    `| converted (primitives supported) | ${r.converted.length} (${pct(r.converted.length, r.withResult)}) |`,
    ...(ran
      ? [
          `| verdict equal to the recorded one (the Result line) | ${matched.length} of ${r.converted.length} |`,
          `| verdict different from the Result line | ${mismatched.length} |`,
        ]
      : []),
    ...(ran && herd !== undefined
      ? [
          `| herd7 ${herd.herd7} finished (within ${herd.timeoutSeconds} s) | ${herdDone.length} of ${r.converted.length} |`,
          `| verdict equal to herd7's | ${herdSame.length} of ${herdDone.length} |`,
          `| herd7 and the Result line disagree | ${herdVsResult.length} |`,
        ]
      : []),
    `| skipped: a primitive or feature the model lacks | ${r.skipped.length} |`,
    `| skipped: the converter cannot read them | ${r.errors.length} |`,
    '',
    ...(ran ? [`Exploring all ${r.converted.length} took ${seconds.toFixed(0)} s on one core.`, ''] : []),
    '## By directory',
    '',
    '| directory | with Result | converted | matched | skipped |',
    '|---|---:|---:|---:|---:|',
    ...dirs.map((d) => {
      const conv = r.converted.filter((c) => dirOf(c.test.source) === d);
      const skip = r.skipped.filter((s) => dirOf(s.source) === d).length + r.errors.filter((e) => dirOf(e.source) === d).length;
      const m = conv.filter(same).length;
      return `| \`${d}/\` | ${conv.length + skip} | ${conv.length} | ${ran ? m : '-'} | ${skip} |`;
    }),
    '',
  ];
  if (mismatched.length > 0) {
    L.push(
      '## Verdicts that differ',
      '',
      'Each was examined model first. A test counts as matching only when both the verdict and the data-race flag',
      "equal the recorded ones. The vitest test pins the model's current answer for these (test-data/litmus/paulmckrcu/mismatches.json),",
      'so a change in either direction is seen.',
      ...(herd === undefined
        ? []
        : [
            `herd7 ${herd.herd7} with mainline's tools/memory-model (below) agrees with the model on ${mismatched.filter(sameAsHerd).length} of them (their Result`,
            `lines are not what herd7 answers today) and differs on ${mismatched.filter((c) => herdOf(c) !== undefined && !sameAsHerd(c)).length}.`,
          ]),
      '',
      '| test | recorded | model | finding |',
      '|---|---|---|---|',
    );
    const flag = (v: string | undefined, race: boolean | undefined): string => `${v ?? '-'}${race === true ? ' DATARACE' : ''}`;
    for (const c of mismatched) L.push(`| \`${c.test.source}\` | ${flag(c.test.result, c.test.dataRace)} | ${flag(c.model, c.dataRace)} | ${MISMATCH_NOTES[c.test.source] ?? 'not examined yet'} |`);
    L.push('');
  }
  if (ran && herd !== undefined) L.push(...herd7Section(herd, { herdDone, herdSame, herdVsResult, herdUnfinished, herdBy, sameAsHerd, herdOf }));
  L.push(
    '## Skipped, by missing primitive',
    '',
    'A test is counted under each primitive or feature it needs that the model does not have.',
    '',
    '| missing | tests |',
    '|---|---:|',
    ...[...byMissing].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([m, n]) => `| ${code(m)} | ${n} |`),
    '',
    '## Skipped tests',
    '',
    '| test | missing |',
    '|---|---|',
    ...r.skipped.map((s) => `| \`${s.source}\` | ${s.missing.map(code).join(', ')} |`),
    ...r.errors.map((e) => `| \`${e.source}\` | unreadable: ${code(e.error)} |`),
    '',
    '## Supported primitives',
    '',
    'The table in `scripts/litmus/primitives.ts`, each mapped to the op of the same name in',
    '`engine/litmus/ops.ts` (or the one its `op` field names):',
    '',
    Object.keys(PRIMITIVES).map((p) => `\`${p}\``).join(', ') + '.',
    '',
    'Also supported: locations and registers in the init block holding integers or pointers (`y=x`,',
    '`int *y = &x`), registers set to constants or computed from registers and locations (C integer',
    'expressions, casts dropped), `if`/`else` on such expressions, plain accesses `r = *x` and `*x = v`',
    '(through parameters or pointer registers), accesses through pointer registers (`READ_ONCE(*r1)`).',
    "Threads run with the engine's `withDeps`: every value read carries its read, so an access whose",
    'location or value was computed from it gets an address or data dependency, and every access inside the',
    'branches of an `if` on it a control dependency (not those after the `if` statement), as herd7 computes them',
    'from registers. A value circular through data dependencies and reads-from is symbolic, as in herd7',
    '(docs/memory-model.md, out-of-thin-air values).',
    '`exists`, `~exists` and `forall` clauses over registers and locations with `/\\`, `\\/` and `~`, values',
    "that are numbers or locations' names (pointers), `filter`, and `locations` (which only lists what",
    "herd7 prints). A recorded `DATARACE` after the verdict must be matched by the model's data-race flag",
    '(and its absence by no flag).',
    '',
  );
  return L.join('\n');
}

type Converted = CollectionReport['converted'][number];

/** The table's herd7 part: how herd7 was run, where it and the Result lines disagree, where the model differs from it. */
function herd7Section(
  herd: Herd7Data,
  x: {
    herdDone: Converted[]; herdSame: Converted[]; herdVsResult: Converted[]; herdUnfinished: Converted[];
    herdBy: Map<string, Herd7Data['results'][number]>; sameAsHerd: (c: Converted) => boolean; herdOf: (c: Converted) => ReturnType<typeof herd7Verdict>;
  },
): string[] {
  const flag = (v: string | undefined, race: boolean | undefined): string => `${v ?? '-'}${race === true ? ' DATARACE' : ''}`;
  const h = (c: Converted): string => flag(x.herdOf(c)?.verdict, x.herdOf(c)?.dataRace);
  const differ = x.herdDone.filter((c) => !x.sameAsHerd(c));
  const L: string[] = [
    '## herd7 as the reference',
    '',
    "A Result line records what herd7 answered with the LKMM of the day the test was written; the model follows today's",
    `tools/memory-model. So every converted test was also run through herd7 ${herd.herd7} (herdtools7 \`${herd.herdtools7}\`) with`,
    "mainline's linux-kernel.cat, .bell, .def, .cfg and lock.cat (their `git hash-object` ids, which `git log --find-object`",
    `finds in a kernel tree: ${Object.entries(herd.model).map(([f, id]) => `${f} \`${id.slice(0, 12)}\``).join(', ')}), and its verdicts are committed as`,
    '`test-data/litmus/paulmckrcu/herd7.json` (per test: the Observation line, its witness counts and the Flag lines). The',
    'vitest test checks every model verdict against both the Result line and herd7 (each difference pinned in',
    '`mismatches.json`); where they disagree, herd7 today is the reference.',
    '',
    `How: herdtools7 was cloned from github.com/herd/herdtools7 and checked out at \`${herd.herdtools7.slice(0, 12)}\` (herd7 ${herd.herd7}),`,
    'built with Debian bookworm\'s OCaml (`apt-get install ocaml ocaml-dune ocaml-findlib menhir libmenhir-ocaml-dev',
    'libzarith-ocaml-dev`, then `dune build --profile release herd/herd.exe`), and run by `scripts/litmus/herd7.mjs` (`node scripts/litmus/herd7.mjs',
    '--herd <herd.exe> --lkmm <tools/memory-model> --lib <herdtools7>/herd/libdir --litmus <clone of paulmckrcu/litmus>`):',
    `\`${herd.command}\`, one test at a time. The binary is not committed.`,
    '',
    `herd7 finished ${x.herdDone.length} of the ${x.herdDone.length + x.herdUnfinished.length} converted tests; the model gives herd7's verdict and data-race flag on`,
    `${x.herdSame.length} of them.`,
    '',
  ];
  if (differ.length > 0) {
    L.push('### Where the model and herd7 differ', '', '| test | herd7 | model | finding |', '|---|---|---|---|');
    for (const c of differ) L.push(`| \`${c.test.source}\` | ${h(c)} | ${flag(c.model, c.dataRace)} | ${MISMATCH_NOTES[c.test.source] ?? HERD7_NOTES[c.test.source] ?? 'not examined yet'} |`);
    L.push('');
  }
  L.push(
    '### Where herd7 and the Result line disagree',
    '',
    `${x.herdVsResult.length} tests: their Result line is not what herd7 ${herd.herd7} answers with mainline's model (an earlier LKMM, or the`,
    'answer the author wanted, as the notes above say for those the model differs on).',
    '',
    '| test | Result line | herd7 | model |',
    '|---|---|---|---|',
    ...x.herdVsResult.map((c) => `| \`${c.test.source}\` | ${flag(c.test.result, c.test.dataRace)} | ${h(c)} | ${flag(c.model, c.dataRace)} |`),
    '',
  );
  if (x.herdUnfinished.length > 0) {
    L.push('### herd7 did not finish', '', '| test | herd7 | model | note |', '|---|---|---|---|');
    for (const c of x.herdUnfinished) {
      const r = x.herdBy.get(c.test.source);
      L.push(`| \`${c.test.source}\` | ${r === undefined ? 'not run' : r.timeout === true ? `timeout (${herd.timeoutSeconds} s)` : `error: ${code(r.error ?? '')}`} | ${flag(c.model, c.dataRace)} | ${HERD7_UNFINISHED_NOTES[c.test.source] ?? ''} |`);
    }
    L.push('');
  }
  return L;
}
