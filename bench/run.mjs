#!/usr/bin/env node
// pagecheck benchmarks: `npx -y pnpm@10 bench` (builds, then runs this file on Node 24).
// Imports the BUILT packages (packages/*/dist), prints a table, and writes bench/results.json.
//
//   node bench/run.mjs              every benchmark (about a minute on 2 cores; budget 3 minutes)
//   node bench/run.mjs --quick      fewer repetitions, for checking the harness
//   node bench/run.mjs --only=alloc,bare   a subset: alloc, build, explore, fastcheck, firstbug, bare, weak, generators, strategies, defaults, growth
//   BENCH_VS=<another checkout's root, built> node bench/run.mjs   sections 1, 3, 4 and 11 also measure that build, in turn with this one
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { ROOT, CORE, SCENARIOS, si, ms, mib, table, progress } from './lib.mjs';

for (const f of [CORE, SCENARIOS]) {
  if (!existsSync(f)) {
    console.error(`bench: ${path.relative(ROOT, f)} is missing: build first (pnpm run build, or use pnpm bench)`);
    process.exit(1);
  }
}

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyArg = args.find((a) => a.startsWith('--only='));
const only = onlyArg === undefined ? undefined : new Set(onlyArg.slice('--only='.length).split(','));
const want = (name) => only === undefined || only.has(name);

const { benchAllocFree } = await import('./alloc-free.mjs');
const { benchBuild } = await import('./build.mjs');
const { benchExplore } = await import('./explore.mjs');
const { benchFastCheck } = await import('./fastcheck.mjs');
const { benchFirstBug } = await import('./first-bug.mjs');
const { benchBare } = await import('./bare.mjs');
const { benchWeak } = await import('./weak.mjs');
const { benchGenerators } = await import('./generators.mjs');
const { benchStrategies, STRATEGIES } = await import('./strategies.mjs');
const { benchDefaults } = await import('./defaults.mjs');
const { benchGrowth } = await import('./growth.mjs');

function machine() {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return {
    node: process.version,
    v8: process.versions.v8,
    cpu: model.trim(),
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

// BENCH_VS: another build measured beside this one. Sections 1, 3 and 4 run that checkout's own bench in a
// child process right after this build's (the same section, the same options), and show both builds' rows.
const vsRoot = process.env.BENCH_VS ? path.resolve(process.env.BENCH_VS) : undefined;
const vsLabel = vsRoot === undefined ? undefined : path.basename(vsRoot);
function other(name) {
  if (vsRoot === undefined) return undefined;
  progress(`${name}: the same section on ${vsLabel} (BENCH_VS), in a child process`);
  execFileSync(process.execPath, [path.join(vsRoot, 'bench/run.mjs'), `--only=${name}`, ...(quick ? ['--quick'] : [])], { cwd: vsRoot, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, BENCH_VS: '' } });
  return JSON.parse(readFileSync(path.join(vsRoot, 'bench/results.partial.json'), 'utf8')).benchmarks;
}
const labelled = (label, rows) => rows.map(([first, ...rest]) => [vsRoot === undefined ? first : `${first} [${label}]`, ...rest]);

const t0 = performance.now();
const results = { date: new Date().toISOString(), machine: machine(), quick, benchmarks: {}, summary: [] };
const R = results.benchmarks;
const m = results.machine;
console.log(`pagecheck benchmarks: Node ${m.node}, ${m.cpu}, ${m.cores} cores, ${m.memGiB} GiB${quick ? ' (--quick)' : ''}\n`);

const verdict = (met) => (met ? 'yes' : 'NO');
const summary = (benchmark, measured, target, met, note = '') => results.summary.push({ benchmark, measured, target, met, note });
const out = [];
const section = (title, rows) => {
  const text = `${title}\n${table(rows)}\n`;
  out.push(text);
  console.log(text);
};

// 1. Sequential alloc/free -----------------------------------------------------------------
if (want('alloc')) {
  const r = (R.allocFree = benchAllocFree(quick ? { reps: 3, batchMs: 150 } : { reps: 5, batchMs: 300 }));
  // Issue 14's floor is 1M ops/s (DESIGN.md's target 5M); an older build's results may have neither the floor nor per-row steps.
  const rowsOf = (b) => b.results.map((x) => [x.config, si(x.opsPerSec), x.opsPerCpuSec === undefined ? '-' : si(x.opsPerCpuSec), `${(x.nsPerOp / 1000).toFixed(1)} us`, (x.modelStepsPerOp ?? b.modelStepsPerOp.mean).toFixed(0), si(x.modelStepsPerSec), '>= 1M ops/s (aim 5M)', verdict(x.opsPerSec >= (b.floor ?? 1e6))]);
  const vs = other('alloc')?.allocFree;
  if (vs !== undefined) r.vs = { label: vsLabel, ...vs };
  section(`1. Sequential alloc/free, ${r.pages} pages (16 GiB, MAX_ORDER ${r.maxOrder}), k.run(alloc_pages) + k.run(__free_pages), orders 0..3 (order 0 alone where the row says so), median of ${r.reps}${r.loadAverage === undefined ? '' : `; load average ${r.loadAverage.map((x) => x.toFixed(1)).join(' -> ')}`}`, [
    ['config', 'ops/s', 'ops per CPU s', 'per op', 'model steps/op', 'model steps/s', 'target (wall ops/s)', 'met'],
    ...labelled('this build', rowsOf(r)),
    ...(vs === undefined ? [] : labelled(vsLabel, rowsOf(vs))),
  ]);
  for (const x of r.results) {
    const short = x.opsPerSec >= r.target ? 'aim met' : `${(r.target / x.opsPerSec).toFixed(1)}x short of the aim (5M)`;
    summary(`alloc/free ops/s (${x.config})`, si(x.opsPerSec), '>= 1M (aim 5M)', x.opsPerSec >= r.floor, `${short}; ~${x.modelStepsPerOp.toFixed(0)} model steps per op`);
  }
}

// 2. Build time and memory -----------------------------------------------------------------
if (want('build')) {
  const r = (R.build = benchBuild({ reps: quick ? 3 : 5 }));
  const mem = Math.max(r.rssDelta, r.heapPlusArrayBuffersDelta);
  section(`2. createKernel({ pages: 1 << 22 }) in a fresh child process, median of ${r.reps}`, [
    ['build time', 'RSS delta', 'heapUsed+arrayBuffers delta', 'peak RSS (whole process)', 'target', 'met'],
    [ms(r.buildMs), mib(r.rssDelta), mib(r.heapPlusArrayBuffersDelta), mib(r.maxRss), '< 1 s, < 300 MiB', verdict(r.buildMs < r.targetMs && mem < r.targetBytes)],
  ]);
  summary('4M-page kernel build time', ms(r.buildMs), '< 1 s', r.buildMs < r.targetMs);
  summary('4M-page kernel memory', `${mib(r.heapPlusArrayBuffersDelta)} allocated, ${mib(r.rssDelta)} RSS`, '< 300 MiB', mem < r.targetBytes);
}

// 3. Schedules/s ---------------------------------------------------------------------------
if (want('explore')) {
  const r = (R.explore = benchExplore(quick ? { reps: 2, maxSchedules: 5_000 } : { reps: 5, maxSchedules: 20_000 }));
  const rowsOf = (b) => b.rows.map((x) => [x.case, x.strategy, si(x.schedulesPerSec), x.kinds.join(', ') || 'none', '>= 200k/s', verdict(x.schedulesPerSec >= b.target)]);
  const vs = other('explore')?.explore;
  if (vs !== undefined) r.vs = { label: vsLabel, ...vs };
  section(`3. explore() free-pages-speculative (${r.revision}, order 2), ${si(r.maxSchedules)} schedules per exploration, median of ${r.reps}`, [
    ['case', 'strategy', 'schedules/s', 'violations found', 'target', 'met'],
    ...labelled('this build', rowsOf(r)),
    ...(vs === undefined ? [] : labelled(vsLabel, rowsOf(vs))),
  ]);
  for (const x of r.rows) summary(`schedules/s, ${x.strategy}, ${x.case.split(' (')[0]}`, si(x.schedulesPerSec), '>= 200k/s', x.schedulesPerSec >= r.target, `${(r.target / x.schedulesPerSec).toFixed(0)}x short`);
}

// 4. pagecheck vs fc.scheduler -------------------------------------------------------------
if (want('fastcheck')) {
  const r = (R.fastCheck = await benchFastCheck(quick ? { reps: 2, pagecheckSchedules: 3_000, fcRuns: 500 } : { reps: 5, pagecheckSchedules: 10_000, fcRuns: 2_000 }));
  const rowsOf = (b) => [
    ['pagecheck explore(spec, { strategy: "random" })', si(b.pagecheck.explore), '', '1', '', ''],
    ['pagecheck engine, shared Program (random)', si(b.pagecheck.program), b.pagecheck.meanSteps.toFixed(1), '', '', ''],
    ['fast-check fc.scheduler, s.waitFor(threads)', si(b.fcWaitFor.schedulesPerSec), b.fcWaitFor.meanSteps.toFixed(1), `${b.ratioVsWaitFor.toFixed(1)}x`, '>= 20x', verdict(b.ratioVsWaitFor >= b.target)],
    ['fast-check fc.scheduler, s.waitOne() loop', si(b.fcWaitOne.schedulesPerSec), b.fcWaitOne.meanSteps.toFixed(1), `${b.ratioVsWaitOne.toFixed(1)}x`, '>= 20x', verdict(b.ratioVsWaitOne >= b.target)],
  ];
  const vs = other('fastcheck')?.fastCheck;
  if (vs !== undefined) r.vs = { label: vsLabel, ...vs };
  section(`4. Same model, two schedulers: ${r.case}; interleaved, median of ${r.reps}`, [
    ['driver', 'schedules/s', 'mean steps/schedule', 'pagecheck / this', 'target', 'met'],
    ...labelled('this build', rowsOf(r)),
    ...(vs === undefined ? [] : labelled(vsLabel, rowsOf(vs))),
  ]);
  summary('pagecheck random / fc.scheduler (waitFor)', `${r.ratioVsWaitFor.toFixed(1)}x`, '>= 20x', r.ratioVsWaitFor >= r.target, `${si(r.pagecheck.explore)} vs ${si(r.fcWaitFor.schedulesPerSec)} schedules/s`);
  summary('pagecheck random / fc.scheduler (waitOne loop)', `${r.ratioVsWaitOne.toFixed(1)}x`, '>= 20x', r.ratioVsWaitOne >= r.target, `${si(r.pagecheck.explore)} vs ${si(r.fcWaitOne.schedulesPerSec)} schedules/s`);
}

// 5. Time to first bug, exhaustive time ----------------------------------------------------
if (want('firstbug')) {
  const r = (R.firstBug = benchFirstBug(quick ? { seeds: 3, cap: 5_000, capMs: 1_000, exhaustiveReps: 2 } : { seeds: 5, cap: 20_000, capMs: 2_000, exhaustiveReps: 5 }));
  const fb = (x) => (x.found > x.tried / 2 || (x.found > 0 && x.found === x.tried) ? `${ms(x.medianMs)} (${x.medianSchedules})` : `not found (${x.found}/${x.tried} seeds, ${si(r.cap)} cap)`);
  section(`5a. Time to first failing schedule (median over ${r.seeds} seeds; in brackets the schedules run), free-pages-speculative`, [
    ['variant', 'case', 'bug (exhaustive)', 'random', 'pct', 'pos', 'exhaustive'],
    ...r.cases.filter((c) => c.firstBug).map((c) => [c.variant, c.case, c.exhaustive.kinds.join(', '), fb(c.firstBug.random), fb(c.firstBug.pct), fb(c.firstBug.pos), fb(c.firstBug.exhaustive)]),
  ]);
  section(`5b. Complete exhaustive exploration (reduction on), every case, median of ${r.exhaustiveReps}`, [
    ['variant', 'case', 'schedules', 'time', 'found'],
    ...r.cases.map((c) => [c.variant, c.case, String(c.exhaustive.schedules), ms(c.exhaustive.ms), c.exhaustive.kinds.join(', ') || 'none']),
  ]);
  const vrows = [['variant', 'expected', 'found (exhaustive)', 'random', 'pct', 'pos', 'exhaustive', 'exhaustive, all cases']];
  for (const [id, v] of Object.entries(r.variants)) {
    const f = (s) => (v.firstBugMs === undefined ? '-' : Number.isFinite(v.firstBugMs[s]) ? ms(v.firstBugMs[s]) : 'not found');
    vrows.push([id, v.expected.join(', ') || 'none', v.found.join(', ') || 'none', f('random'), f('pct'), f('pos'), f('exhaustive'), `${ms(v.exhaustiveMs)} (${v.exhaustiveSchedules})`]);
  }
  section('5c. Per variant: first bug = the fastest case (median), and the whole variant explored exhaustively', vrows);
  const buggy = Object.entries(r.variants).filter(([, v]) => v.expected.length > 0);
  for (const s of ['random', 'pct', 'pos', 'exhaustive']) {
    const worst = Math.max(...buggy.map(([, v]) => v.firstBugMs[s]));
    const slowCases = r.cases.filter((c) => c.firstBug && !(c.firstBug[s].medianMs < r.targetBuggyMs)).map((c) => `${c.variant}/${c.case}`);
    summary(`buggy variants, first bug (${s})`, Number.isFinite(worst) ? `worst ${ms(worst)}` : 'a variant not found', '< 100 ms median', worst < r.targetBuggyMs, 'a variant counts as found when any of its cases fails');
    const cases = r.cases.filter((c) => c.firstBug);
    const worstCase = Math.max(...cases.map((c) => c.firstBug[s].medianMs));
    summary(`buggy cases, first bug (${s})`, Number.isFinite(worstCase) ? `worst ${ms(worstCase)}` : `${slowCases.length} of ${cases.length} not < 100 ms`, '< 100 ms median', worstCase < r.targetBuggyMs, slowCases.length === 0 ? `all ${cases.length} buggy cases` : `over 100 ms or not found: ${slowCases.join(', ')}`);
  }
  const clean = Object.entries(r.variants).filter(([, v]) => v.expected.length === 0);
  for (const [id, v] of clean) summary(`clean variant ${id}, exhaustive`, ms(v.exhaustiveMs), '< 5 s', v.exhaustiveMs < r.targetCleanMs, `${v.exhaustiveSchedules} schedules over ${r.cases.filter((c) => c.variant === id).length} cases`);
}

// 6. Bare generators ceiling ---------------------------------------------------------------
if (want('bare')) {
  const r = (R.bare = await benchBare(quick ? { reps: 2, genSchedules: 50_000, engineSchedules: 10_000, fcRuns: 500 } : { reps: 5 }));
  section(`6. Bare 2-thread race, ${r.stepsPerSchedule} steps per schedule, no kernel, median of ${r.reps}`, [
    ['driver', 'schedules/s', 'per step', 'DESIGN.md says'],
    ['bare generators, xorshift scheduler', si(r.generators), `${(1e9 / r.generators / r.stepsPerSchedule).toFixed(0)} ns`, '~1.5M/s (the ceiling)'],
    ['pagecheck engine (Execution, random), no kernel', si(r.engine), `${(1e9 / r.engine / r.stepsPerSchedule).toFixed(0)} ns`, ''],
    ['fast-check fc.scheduler, s.waitFor(threads)', si(r.fcWaitFor), `${(1e9 / r.fcWaitFor / r.stepsPerSchedule).toFixed(0)} ns`, '~8k/s'],
    ['fast-check fc.scheduler, s.waitOne() loop', si(r.fcWaitOne), `${(1e9 / r.fcWaitOne / r.stepsPerSchedule).toFixed(0)} ns`, ''],
  ]);
}

// 7. Weak memory model cost ----------------------------------------------------------------
if (want('weak')) {
  const r = (R.weak = benchWeak(quick ? { litmusReps: 3, specReps: 1, slubBudgetMs: 10_000 } : { litmusReps: 20, specReps: 5, slubBudgetMs: 20_000 }));
  const side = (x) => `${x.schedules}${x.complete ? '' : ' (incomplete)'}`;
  const found = (x) => (x.found.length === 0 ? 'none' : x.found.join(', '));
  section(`7. memoryModel 'sc' vs 'lkmm', the same specs in one run (litmus: checkLitmus, median of ${r.litmusReps}; free-pages: exhaustive, median of ${r.specReps}; slub: once, lkmm until wild-deref within ${r.slubBudgetMs / 1000} s)`, [
    ['case', 'sc schedules', 'sc pruned', 'sc time', 'sc found', 'lkmm schedules', 'lkmm pruned', 'lkmm time', 'lkmm found', 'lkmm/sc time'],
    ...r.rows.map((x) => [x.case, side(x.sc), String(x.sc.pruned), ms(x.sc.ms), found(x.sc), side(x.lkmm), String(x.lkmm.pruned), ms(x.lkmm.ms), found(x.lkmm), `${x.ratio.toFixed(1)}x`]),
  ]);
  const slub = r.rows[r.rows.length - 1];
  summary('lkmm/sc time, litmus and free-pages-speculative (worst)', `${Math.max(...r.rows.slice(0, -1).map((x) => x.ratio)).toFixed(1)}x`, '-', true, 'informational: the weak model explores more executions');
  summary('lkmm, slub v2-without-barriers: time to wild-deref', slub.lkmm.found.includes('wild-deref') ? ms(slub.lkmm.ms) : 'not found', `< ${r.slubBudgetMs / 1000} s`, slub.lkmm.found.includes('wild-deref'), `${slub.lkmm.schedules} schedules, ${slub.lkmm.pruned} pruned; clean under sc (${slub.sc.schedules} schedules, ${ms(slub.sc.ms)})`);
}

// 8. Generator mechanics ------------------------------------------------------------------
if (want('generators')) {
  const r = (R.generators = benchGenerators(quick ? { reps: 2, runs: 20_000 } : { reps: 5 }));
  section(`8. Generator mechanics per step, ${r.stepsPerSchedule}-step schedules, no engine, no kernel, median of ${r.reps}`, [
    ['case', 'ns per step', `schedules/s at ${r.stepsPerSchedule} steps`],
    ...r.rows.map((x) => [x.case, x.nsPerStep.toFixed(1), si(x.schedulesPerSec)]),
  ]);
}

// 9. Sampling strategies across the scenarios -----------------------------------------------
if (want('strategies')) {
  const r = (R.strategies = benchStrategies(quick ? { maxSchedules: 5_000, timeBudgetMs: 2_000 } : {}));
  const cell = (x) => `${x.all ? '' : 'NOT ALL: '}${x.schedules} (${ms(x.ms)})`;
  section(`9. Schedules until every case of a buggy variant shows every kind exhaustive search finds in it (seed ${r.seed}; cap ${si(r.maxSchedules)} schedules or ${r.timeBudgetMs / 1000} s per case)`, [
    ['scenario', 'variant', 'kinds', ...STRATEGIES],
    ...r.rows.map((x) => [x.scenario, x.variant, x.want.join(', '), ...STRATEGIES.map((s) => cell(x.strategies[s]))]),
  ]);
}

// 10. Default options across the scenarios -----------------------------------------------
if (want('defaults')) {
  const r = (R.defaults = benchDefaults(quick ? { reps: 2 } : {}));
  section(`10. Default options (strategy ${r.strategy}), every buggy variant of every scenario: time until the first failing case, shrink and diagram included (median of ${r.reps})`, [
    ['scenario', 'variant', 'model', 'expected', 'found', 'schedules', 'time'],
    ...r.rows.map((x) => [x.scenario, x.variant, x.model, x.expected.join(', '), x.found.join(', ') || 'NOT FOUND', String(x.schedules), ms(x.ms)]),
  ]);
  const missed = r.rows.filter((x) => !x.ok).map((x) => `${x.scenario}/${x.variant} (${x.model})`);
  summary('every buggy variant found with default options', `${r.rows.length - missed.length} of ${r.rows.length}`, 'all', missed.length === 0, missed.length === 0 ? `strategy ${r.strategy}` : `missed: ${missed.join(', ')}`);
  summary('default options, median time to first bug over the variants', ms(r.medianMs), '< 100 ms', r.medianMs < r.targetMs, `worst ${ms(Math.max(...r.rows.map((x) => x.ms)))}`);
}

// 11. Memory and growth of a long thread ---------------------------------------------------
// BENCH_VS=<another checkout's root> (built) measures that build too, in turn with this one.
if (want('growth')) {
  const builds = [{ label: 'this build', core: CORE }];
  if (process.env.BENCH_VS) builds.push({ label: path.basename(path.resolve(process.env.BENCH_VS)), core: path.join(path.resolve(process.env.BENCH_VS), 'packages/core/dist/index.js') });
  const r = (R.growth = benchGrowth({ ...(quick ? { heapPairs: 10_000, growthPairs: 500, reps: 1 } : {}), builds }));
  const rows = [['build', 'measure', 'figure', 'time', 'target', 'met']];
  for (const b of r.rows) {
    const h = b.heap;
    const g = b.growth;
    b.heapMet = h.ok && h.peakHeap < r.heapTargetBytes;
    b.growthMet = g.ok && g.ratio <= r.ratioTarget;
    rows.push([b.label, `${si(r.heapPairs)} order-0 alloc/free pairs: peak heapUsed (peak RSS)`, h.ok ? `${mib(h.peakHeap)} (${mib(h.maxRss)})` : h.error, h.ok ? ms(h.ms) : '-', '< 256 MiB', verdict(b.heapMet)]);
    rows.push([b.label, `exhaustive, ${si(2 * r.growthPairs)} vs ${si(r.growthPairs)} pairs: time ratio`, g.ok ? `${g.ratio.toFixed(2)} (${g.ratios.map((x) => x.toFixed(2)).join(', ')})` : g.error, g.ok ? `${ms(g.ms2)} vs ${ms(g.ms)}` : '-', '<= 2.3', verdict(b.growthMet)]);
  }
  section(`11. Memory and growth: one race thread, explore() with default options, each figure from a fresh process (growth: median of ${r.reps})`, rows);
  const b = r.rows[0];
  summary(`one race thread, ${si(r.heapPairs)} alloc/free pairs: peak heap`, b.heap.ok ? mib(b.heap.peakHeap) : b.heap.error, '< 256 MiB', b.heapMet);
  summary('one-thread exhaustive time, 2x steps', b.growth.ok ? `${b.growth.ratio.toFixed(2)}x` : b.growth.error, '<= 2.3x', b.growthMet, 'linear growth: near 2');
}

results.totalSeconds = (performance.now() - t0) / 1000;
const sumRows = [['benchmark', 'measured', 'target', 'met', 'note'], ...results.summary.map((s) => [s.benchmark, s.measured, s.target, verdict(s.met), s.note])];
console.log(`Summary against DESIGN.md targets\n${table(sumRows)}\n`);
// A partial or --quick run does not overwrite the figures of the last full run.
const file = path.join(ROOT, quick || only !== undefined ? 'bench/results.partial.json' : 'bench/results.json');
writeFileSync(file, `${JSON.stringify(results, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
progress(`done in ${results.totalSeconds.toFixed(0)} s; wrote ${path.relative(process.cwd(), file) || file}`);
