#!/usr/bin/env node
// Writes the scenarios catalogue (docs/scenarios/*.md) from @pagecheck/scenarios,
// so the pages cannot drift from the fixtures: one page per regression (its story,
// sources, variants in patch order with expected vs found, documented divergences
// and each buggy variant's shrunk race diagrams, from runVariant), the verdict
// matrix, and an index. The pages are generated at build time and not committed.
//
//   node docs/scripts/gen-scenarios.mjs [--out DIR]     (default docs/scenarios)
//
// Needs the built packages (pnpm run build).

import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'packages', 'scenarios', 'dist', 'index.js');

/** Markdown for prose taken from the fixtures: markdown and Vue template syntax escaped. */
export function prose(text) {
  return String(text)
    .replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`)
    .replace(/\{/g, '&#123;')
    .replace(/\}/g, '&#125;');
}

/** Inline code, for ids and kinds. */
function code(text) {
  const s = String(text);
  const fence = s.includes('`') ? '``' : '`';
  return `${fence}${s}${fence}`;
}

/** A fenced block that the text cannot close. */
function fenced(text, lang = 'text') {
  let fence = '```';
  while (text.includes(fence)) fence += '`';
  return `${fence}${lang}\n${text}\n${fence}`;
}

function kinds(list) {
  return list.length === 0 ? 'none' : list.map(code).join(', ');
}

/** The verdict in words. */
export function verdictText(v) {
  if (v.match) return 'as expected';
  if (v.documented) return 'documented divergence';
  return '**MISMATCH**';
}

function schedulesText(v) {
  return `${v.schedules}${v.complete ? ' (complete)' : ' (incomplete)'}`;
}

/** The weak-model (lkmm) verdict in words, or '' when the variant has none. */
export function weakText(v) {
  if (v.weakFound === undefined) return '';
  const verdict = !v.weakMatch ? '**MISMATCH**' : v.weakComplete || v.weakFound.length > 0 ? 'as expected' : 'as expected within the budget';
  return `expected ${kinds(v.weakExpected)}, found ${kinds(v.weakFound)}: ${verdict}; ${v.weakSchedules} schedules${v.weakComplete ? ' (complete)' : ' (incomplete)'}`;
}

/** A commit line "abcdef123456 subject": the hash as code. */
function commitLine(line) {
  const m = /^([0-9a-f]{7,40})\b\s*(.*)$/.exec(line);
  return m === null ? prose(line) : `${code(m[1])} ${prose(m[2])}`;
}

function frontmatter(fields) {
  return ['---', ...Object.entries(fields).map(([k, v]) => `${k}: ${JSON.stringify(v)}`), '---', ''].join('\n');
}

/** The page of one scenario. */
export function scenarioPage(scenario, verdicts) {
  const variants = Object.values(scenario.variants);
  const out = [frontmatter({ title: scenario.id, outline: [2, 3] })];
  out.push(`# ${scenario.id}`, '', `**${prose(scenario.title)}**`, '', prose(scenario.story), '');
  out.push('## Sources', '');
  const { threads, commits, links } = scenario.sources;
  if (threads.length > 0) out.push('Threads:', '', ...threads.map((t) => `- ${prose(t)}`), '');
  if (commits.length > 0) out.push('Commits:', '', ...commits.map((c) => `- ${commitLine(c)}`), '');
  if (links !== undefined && links.length > 0) out.push('Links:', '', ...links.map((l) => `- <${l}>`), '');
  out.push('## Variants', '', `In patch order. Every case of a variant is explored exhaustively (with reduction, every kind collected) by ${code('runVariant')}; "found" is the union over its cases.`, '');
  out.push('| # | variant | expected | found | verdict |', '|---|---|---|---|---|');
  variants.forEach((v, i) => {
    const r = verdicts.get(v.id);
    out.push(`| ${i + 1} | [${code(v.id)}](#${v.id}) | ${kinds(v.expected)} | ${kinds(r.found)} | ${verdictText(r)} |`);
  });
  out.push('');
  variants.forEach((v, i) => {
    const r = verdicts.get(v.id);
    out.push(`### ${i + 1}. ${v.id} {#${v.id}}`, '', `**${prose(v.title)}**`, '', prose(v.description), '');
    out.push('| | |', '|---|---|');
    out.push(`| expected | ${kinds(v.expected)} |`);
    out.push(`| found | ${kinds(r.found)} |`);
    out.push(`| verdict | ${verdictText(r)} |`);
    out.push(`| cases | ${v.cases.map((c) => code(c.name)).join(', ')} |`);
    out.push(`| schedules | ${schedulesText(r)} |`);
    if (v.explore !== undefined) out.push(`| exploration | ${code(JSON.stringify(v.explore))} |`);
    if (r.weakFound !== undefined) out.push(`| weak model (lkmm) | ${weakText(r)}${v.weak.explore === undefined ? '' : `, ${code(JSON.stringify(v.weak.explore))}`} |`);
    out.push('');
    if (v.weak?.note !== undefined) out.push(`Under the weak model (${code("memoryModel: 'lkmm'")}): ${prose(v.weak.note)}`, '');
    if (v.expectedFrom !== undefined) out.push(`Where the expected violations come from: ${prose(v.expectedFrom)}`, '');
    if (v.divergence !== undefined) {
      out.push('::: warning Documented divergence', `The thread says ${kinds(v.expected)}; the model finds ${kinds(v.divergence.found)}.`, '', prose(v.divergence.reason), ':::', '');
    }
    if (r.failures.length === 0) {
      out.push(r.found.length === 0 ? 'No violation in any schedule.' : '', '');
      return;
    }
    for (const f of r.failures) {
      out.push(`#### ${f.violation.kind} {#${v.id}-${f.violation.kind}}`, '', prose(f.violation.message), '');
      out.push(`Shrunk race diagram (${f.steps} steps, ${f.preemptions} preemption${f.preemptions === 1 ? '' : 's'}; before shrinking ${f.unshrunk.steps} steps, ${f.unshrunk.preemptions} preemption${f.unshrunk.preemptions === 1 ? '' : 's'}):`, '');
      out.push(fenced(f.diagram), '');
      out.push(`Replay: ${code(f.replay)}, with ${code(`pagecheck --replay ${f.replay}`)}.`, '');
      out.push('<details><summary>Full report</summary>', '', fenced(f.report), '', '</details>', '');
    }
  });
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** The verdict matrix page. */
export function matrixPage(scenarios, verdictsById) {
  const out = [frontmatter({ title: 'Verdict matrix' })];
  out.push('# Verdict matrix', '');
  out.push(`Every variant of every scenario, run through the model when these pages were built: what the LKML thread says (expected) against what the model finds. This is what ${code('pagecheck')} (the command of ${code('@pagecheck/scenarios')}) prints.`, '');
  out.push('| scenario | variant | expected | found | verdict | schedules | weak model (lkmm) |', '|---|---|---|---|---|---|---|');
  let ok = 0;
  let documented = 0;
  let total = 0;
  for (const s of scenarios) {
    for (const v of Object.values(s.variants)) {
      const r = verdictsById.get(s.id).get(v.id);
      total++;
      if (r.match) ok++;
      else if (r.documented) documented++;
      out.push(`| [${code(s.id)}](./${s.id}.md) | [${code(v.id)}](./${s.id}.md#${v.id}) | ${kinds(r.expected)} | ${kinds(r.found)} | ${verdictText(r)} | ${schedulesText(r)} | ${weakText(r)} |`);
    }
  }
  out.push('');
  const bad = total - ok - documented;
  out.push(`${ok} of ${total} verdicts as expected, ${documented} documented divergence${documented === 1 ? '' : 's'}${bad > 0 ? `, **${bad} MISMATCH**` : ''}.`, '');
  const divergent = scenarios.flatMap((s) => Object.values(s.variants).filter((v) => v.divergence !== undefined).map((v) => ({ s, v })));
  if (divergent.length > 0) {
    out.push('## Documented divergences', '');
    out.push('Where the model, examined, still disagrees with the thread, the variant says what the model finds and why; the matrix then checks that the model finds exactly that.', '');
    for (const { s, v } of divergent) {
      out.push(`- [${code(`${s.id} / ${v.id}`)}](./${s.id}.md#${v.id}): expected ${kinds(v.expected)}, the model finds ${kinds(v.divergence.found)}.`);
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** The catalogue's index page. */
export function indexPage(scenarios, verdictsById) {
  const out = [frontmatter({ title: 'Scenarios' })];
  out.push('# Scenarios', '');
  out.push(`The canonical LKML page allocator regressions, as fixtures of ${code('@pagecheck/scenarios')}. Each scenario has its sources, a short account of the bug, and every patch revision as a variant, in patch order, with the violations the thread says it has. The model's verdict on each variant, and the shrunk race diagram of each bug it finds, are computed when these pages are built. See also the [verdict matrix](./matrix.md).`, '');
  out.push('| scenario | | variants | verdicts |', '|---|---|---|---|');
  for (const s of scenarios) {
    const vs = [...verdictsById.get(s.id).values()];
    const ok = vs.filter((v) => v.match).length;
    const doc = vs.filter((v) => v.documented).length;
    out.push(`| [${code(s.id)}](./${s.id}.md) | ${prose(s.title)} | ${vs.length} | ${ok} as expected${doc > 0 ? `, ${doc} documented divergence${doc === 1 ? '' : 's'}` : ''}${vs.length - ok - doc > 0 ? `, **${vs.length - ok - doc} mismatch**` : ''} |`);
  }
  out.push('', `Use them in your own tests: ${code("import { scenarios, runVariant, speculativeRace, freePagesRevisions } from '@pagecheck/scenarios'")}, or run ${code('pagecheck')} for the matrix.`, '');
  return `${out.join('\n').trimEnd()}\n`;
}

/**
 * Every page of the catalogue, by file name: `index.md`, `matrix.md`, one
 * `<scenario id>.md` per scenario; and `sidebar.json` for the site's sidebar.
 * `runVariant` is called once per variant.
 */
export function cataloguePages(scenarios, runVariant) {
  const verdictsById = new Map();
  for (const s of scenarios) {
    const byVariant = new Map();
    for (const v of Object.values(s.variants)) byVariant.set(v.id, runVariant(s, v));
    verdictsById.set(s.id, byVariant);
  }
  const files = new Map();
  files.set('index.md', indexPage(scenarios, verdictsById));
  files.set('matrix.md', matrixPage(scenarios, verdictsById));
  for (const s of scenarios) files.set(`${s.id}.md`, scenarioPage(s, verdictsById.get(s.id)));
  const sidebar = [
    { text: 'Overview', link: '/scenarios/' },
    { text: 'Verdict matrix', link: '/scenarios/matrix' },
    ...scenarios.map((s) => ({ text: s.id, link: `/scenarios/${s.id}` })),
  ];
  files.set('sidebar.json', `${JSON.stringify(sidebar, null, 2)}\n`);
  return files;
}

async function main() {
  const { values } = parseArgs({ options: { out: { type: 'string', default: join(ROOT, 'docs', 'scenarios') } } });
  if (!existsSync(DIST)) {
    process.stderr.write(`gen-scenarios: ${DIST} is missing: build the packages first (pnpm run build)\n`);
    process.exit(1);
  }
  const { scenarios, runVariant } = await import(pathToFileURL(DIST).href);
  const start = performance.now();
  const files = cataloguePages(scenarios, runVariant);
  const out = resolve(values.out);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const [name, text] of files) writeFileSync(join(out, name), text);
  const variants = scenarios.reduce((n, s) => n + Object.keys(s.variants).length, 0);
  process.stdout.write(`gen-scenarios: ${scenarios.length} scenarios, ${variants} variants, ${files.size} files in ${out} (${Math.round(performance.now() - start)} ms)\n`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
