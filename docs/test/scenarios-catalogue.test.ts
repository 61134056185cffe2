import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Scenarios from '../../packages/scenarios/src/index.js';

// The scenarios catalogue of the documentation site is generated from the
// BUILT @pagecheck/scenarios by docs/scripts/gen-scenarios.mjs. Run it as
// docs:build does, into a temporary directory, and check the pages against
// the fixtures: every scenario, every variant in patch order, its verdict and
// divergence, and the shrunk race diagram of every failure runVariant finds.

const SCRIPT = fileURLToPath(new URL('../scripts/gen-scenarios.mjs', import.meta.url));
const DIST = fileURLToPath(new URL('../../packages/scenarios/dist/index.js', import.meta.url));

if (!existsSync(DIST)) throw new Error(`${DIST} is missing: build the packages first (pnpm run build)`);
const pkg = (await import(DIST)) as typeof Scenarios;

let out: string;
let pages: Map<string, string>;
let log: string;

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'pagecheck-catalogue-'));
  const r = spawnSync(process.execPath, [SCRIPT, '--out', out], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`gen-scenarios exited ${r.status}:\n${r.stdout}${r.stderr}`);
  log = r.stdout;
  pages = new Map(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]));
}, 180_000);

afterAll(() => {
  if (out !== undefined) rmSync(out, { recursive: true, force: true });
});

/** Prose is escaped for markdown: compare the words. */
const words = (t: string): string => t.replace(/[\\`*_[\]<>|#]/g, '').replace(/&#12[35];/g, '');

/** The text of a variant's section of its scenario page: from its heading to the next variant's. */
function section(page: string, variantId: string): string {
  const start = page.indexOf(`{#${variantId}}\n`);
  expect(start, `no section for variant ${variantId}`).toBeGreaterThan(0);
  const next = page.indexOf('\n### ', start);
  return page.slice(start, next < 0 ? undefined : next);
}

describe('the scenarios catalogue generator', () => {
  it('writes an index, the verdict matrix, a sidebar and one page per scenario', () => {
    const expected = ['index.md', 'matrix.md', 'sidebar.json', ...pkg.scenarios.map((s) => `${s.id}.md`)].sort();
    expect([...pages.keys()].sort()).toEqual(expected);
    const variants = pkg.scenarios.reduce((n, s) => n + Object.keys(s.variants).length, 0);
    expect(log).toContain(`${pkg.scenarios.length} scenarios, ${variants} variants`);
  });

  it('lists every scenario in the index and the sidebar, in the package\'s order', () => {
    const index = pages.get('index.md')!;
    const at = pkg.scenarios.map((s) => index.indexOf(`](./${s.id}.md)`));
    expect(at.every((i) => i > 0)).toBe(true);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    const sidebar = JSON.parse(pages.get('sidebar.json')!) as { text: string; link: string }[];
    expect(sidebar.map((i) => i.link)).toEqual(['/scenarios/', '/scenarios/matrix', ...pkg.scenarios.map((s) => `/scenarios/${s.id}`)]);
  });

  it('gives the verdict matrix one row per variant of every scenario', () => {
    const matrix = pages.get('matrix.md')!;
    const rows = matrix.split('\n').filter((l) => l.startsWith('| [`'));
    const want = pkg.scenarios.flatMap((s) => Object.keys(s.variants).map((v) => `./${s.id}.md#${v}`));
    expect(rows).toHaveLength(want.length);
    rows.forEach((row, i) => expect(row).toContain(want[i]));
  });

  describe.each(pkg.scenarios.map((s) => [s.id, s] as const))('%s', (_id, scenario) => {
    it('has a page with its title, story and sources', () => {
      const page = pages.get(`${scenario.id}.md`)!;
      expect(page).toContain(`# ${scenario.id}\n`);
      expect(words(page)).toContain(words(scenario.story));
      for (const c of scenario.sources.commits) expect(words(page)).toContain(words(c));
      for (const t of scenario.sources.threads) expect(words(page)).toContain(words(t));
    });

    it('has every variant, in patch order', () => {
      const page = pages.get(`${scenario.id}.md`)!;
      const ids = Object.keys(scenario.variants);
      const at = ids.map((id) => page.indexOf(`{#${id}}\n`));
      expect(at.every((i) => i > 0), `variants missing from ${scenario.id}.md`).toBe(true);
      expect(at).toEqual([...at].sort((a, b) => a - b));
      ids.forEach((id, i) => expect(page).toContain(`### ${i + 1}. ${id} {#${id}}`));
    });

    it('gives each variant its expected and found kinds, its verdict, its divergence and the diagram of every failure', () => {
      const page = pages.get(`${scenario.id}.md`)!;
      const kinds = (ks: readonly string[]): string => (ks.length === 0 ? 'none' : ks.map((k) => `\`${k}\``).join(', '));
      for (const v of Object.values(scenario.variants)) {
        const verdict = pkg.runVariant(scenario, v);
        const text = section(page, v.id);
        expect(text).toContain(`| expected | ${kinds(v.expected)} |`);
        expect(text).toContain(`| found | ${kinds(verdict.found)} |`);
        expect(text).toContain(`| verdict | ${verdict.match ? 'as expected' : verdict.documented ? 'documented divergence' : '**MISMATCH**'} |`);
        if (v.expectedFrom !== undefined) expect(words(text)).toContain(words(`Where the expected violations come from: ${v.expectedFrom}`));
        if (v.divergence === undefined) expect(text).not.toContain('Documented divergence');
        else {
          expect(text).toContain('::: warning Documented divergence');
          expect(text).toContain(`the model finds ${kinds(v.divergence.found)}`);
        }
        expect(verdict.failures.map((f) => f.violation.kind)).toEqual(verdict.found);
        for (const f of verdict.failures) {
          expect(text).toContain(`#### ${f.violation.kind} {#${v.id}-${f.violation.kind}}`);
          expect(text).toContain(`\`\`\`text\n${f.diagram}\n\`\`\``);
          // The token's fingerprint hashes the spec's source text, which Vitest's transform of dist/ changes: compare the schedule.
          const [, , threads, schedule] = f.replay.split('.');
          expect(text).toMatch(new RegExp(`pagecheck --replay pc1\\.[0-9a-z]+-[0-9a-z]+\\.${threads}\\.${schedule}\``));
        }
      }
    });
  });
});
