/** The docs table of convert-collection.ts: what was converted, what matched, what was skipped and why. */
import type { ConvertedLitmus } from './convert.ts';
import type { RecordedVerdict } from './parse.ts';
import { PRIMITIVES } from './primitives.ts';
import { matches } from './run.ts';

export interface CollectionReport {
  readonly commit: string;
  files: number;
  withResult: number;
  readonly converted: { test: ConvertedLitmus; model?: RecordedVerdict; dataRace?: boolean; complete?: boolean; ms?: number }[];
  readonly skipped: { readonly source: string; readonly missing: readonly string[] }[];
  readonly errors: { readonly source: string; readonly error: string }[];
}

/** What examining each differing test found (the test's own comment, linux-kernel.cat), by source. */
const HERD_SAYS_OTHERWISE = 'the Result line is the desired answer; its comment says LKMM (herd7) finds the outcome, as the model does';
const COMPILER = "the Result line states what a compiler may do to plain accesses (its comment); herd7 does not model that transformation, nor does the model";
const OPEN = 'open: plain accesses (data-race flag or plain-coherence) differ from herd7; to check against linux-kernel.cat\'s plain-access relations in lkmm-cat.ts';
// The plain-access tests below were checked relation by relation against linux-kernel.cat as of 2025
// (mainline, with rcu-order, the fence/strong-fence terms of ww-vis, wr-vis and rw-xbstar, rmw-sequence):
// the model does what the cat file says; each note names the relation that decides. Their Result lines
// date from 2019 (manual/plain) or came with the test from a mailing-list thread (manual/oota); no herd7
// run was available here to tell which side a current herd7 takes.
const CAT = (why: string): string => `open, the model follows linux-kernel.cat: ${why}; a current herd7 run is needed to settle it`;
export const MISMATCH_NOTES: Readonly<Record<string, string>> = {
  'manual/plain/C-S+o-mb-o+o-ctl-p.litmus': CAT("co from P1's plain `*z = 0` to P0's WRITE_ONCE(z) is coherent: ww-incoh needs ww-vis into the plain write, and w-pre-bounded = [Marked] ; (addr \\| fence)? takes no ctrl. With w-pre-bounded's (rwdep \\| fence), proposed on LKML in 2023 and not merged, this test matches but C-wmb-race2 (Sometimes) turns Never"),
  'manual/plain/C-non-race3.litmus': CAT("nothing orders P0's READ_ONCE(x) before its WRITE_ONCE(z): the path runs through the plain `*y = 3` (ctrl, then po-loc and wmb), and hb is [Marked] ; ppo ; [Marked]. The to-w term rwdep ; plain-wmb of a 2025 patch series (not in mainline) gives Never here, and also turns C-wmb-race2 (Sometimes) Never"),
  'manual/plain/C-non-race1-rrdep.litmus': CAT("the order from READ_ONCE(x) to WRITE_ONCE(y) runs through the plain read `*r4` (addr, then fr within P0), and hb is [Marked] ; ppo ; [Marked], so the load-buffering outcome is allowed"),
  'manual/plain/C-non-race1-rwdep.litmus': CAT("the only plain access, `*r4 = 3`, runs only when r1=1, and r1=1 implies r3=1 (x's only store is P1's of r3): every racy execution satisfies the clause, so the cat file cannot give Never together with a data race"),
  'manual/plain/C-RRDR-rcuderef.litmus': CAT("P1 reads y with a plain load before rcu_assign_pointer(), and A-cumul(r) = (rfe ; [Marked])? ; r lets no plain read extend cumul-fence, so P0 may read the old y through the pointer (rw-incoh needs wr-vis, whose rfe must end at a marked access)"),
  'manual/plain/C-S-rcunoderef-1.litmus': CAT("every access is plain, and rcu-link = po? ; hb* ; pb* ; prop ; po crosses threads only through marked accesses (prop and hb begin and end on [Marked]), so no rcu-order joins the grace period and the read-side critical section and co from P0's `*b = 2` to P1's `*b = 1` is coherent"),
  'manual/oota/C-JO-OOTA-4.litmus': CAT("the verdict matches; the flag comes from executions outside the clause where P0's READ_ONCE(x) reads 0 and its plain `r2 = *b` reads P1's WRITE_ONCE(b): wr-vis needs P1's wmb ; WRITE_ONCE(x) to reach P0 by rfe, which it does not there"),
  'manual/oota/C-JO-OOTA-7.litmus': CAT("the verdict matches; the flag comes from executions outside the clause with P0's r1=1: the two plain stores to b are in ww-vis (wmb, rfe, rmb, addr) but ww-nonrace also needs (Marked * W) \\| rw-xbstar, and r-post-bounded from a plain store is only [Marked]"),
  'manual/oota/C-JO-OOTA-3.litmus': HERD_SAYS_OTHERWISE,
  'manual/oota/C-JO-OOTA-5.litmus': HERD_SAYS_OTHERWISE,
  'manual/oota/C-JO-OOTA-6.litmus': HERD_SAYS_OTHERWISE,
  'manual/plain/C-tearstore.litmus': COMPILER,
  'manual/plain/C-tmpstore.litmus': COMPILER,
  'manual/plain/C-repload.litmus': COMPILER,
  'manual/plain/C-OOTA.litmus': COMPILER,
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
          `| verdict equal to the recorded one | ${matched.length} of ${r.converted.length} |`,
          `| verdict different | ${mismatched.length} |`,
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
      '',
      '| test | recorded | model | finding |',
      '|---|---|---|---|',
    );
    const flag = (v: string | undefined, race: boolean | undefined): string => `${v ?? '-'}${race === true ? ' DATARACE' : ''}`;
    for (const c of mismatched) L.push(`| \`${c.test.source}\` | ${flag(c.test.result, c.test.dataRace)} | ${flag(c.model, c.dataRace)} | ${MISMATCH_NOTES[c.test.source] ?? OPEN} |`);
    L.push('');
  }
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
    'location or value was computed from it gets an address or data dependency and everything after an',
    '`if` on it a control dependency, as herd7 computes them from registers.',
    '`exists`, `~exists` and `forall` clauses over registers and locations with `/\\`, `\\/` and `~`, values',
    "that are numbers or locations' names (pointers), `filter`, and `locations` (which only lists what",
    "herd7 prints). A recorded `DATARACE` after the verdict must be matched by the model's data-race flag",
    '(and its absence by no flag).',
    '',
  );
  return L.join('\n');
}
