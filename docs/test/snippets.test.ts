import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVitest, scratchProject, TOOLS, type ScratchProject, type VitestTest } from './scratch-project.js';

// The guide's code samples are files in docs/snippets/, a user's project, that the
// pages include with VitePress's `<<< @/snippets/...` (so a page shows exactly
// what runs here), and the outputs the pages show are files in
// docs/snippets/outputs/. This test runs that project, with the built packages
// installed, the way the guide tells a user to, and checks the commands the
// pages give.

const DOCS = fileURLToPath(new URL('..', import.meta.url));
const SNIPPETS = join(DOCS, 'snippets');
const GENERATED = new Set(['api', 'scenarios', 'node_modules', 'snippets', '.vitepress']);

/** The hand-written pages of the site. */
function pages(dir = DOCS): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return GENERATED.has(e.name) && dir === DOCS ? [] : pages(join(dir, e.name));
    return e.name.endsWith('.md') ? [join(dir, e.name)] : [];
  });
}

const read = (file: string): string => readFileSync(file, 'utf8');
const output = (name: string): string => read(join(SNIPPETS, 'outputs', name)).trimEnd();
const page = (name: string): string => read(join(DOCS, name));
/** Output with trailing spaces cut, as the pages show it. */
const normal = (text: string): string => text.split('\n').map((l) => l.trimEnd()).join('\n');

describe('the pages\' code includes', () => {
  const includes = pages().flatMap((file) =>
    [...read(file).matchAll(/^<<< @\/snippets\/([^\s#{]+)(?:#([\w-]+))?/gm)].map((m) => ({ page: relative(DOCS, file), path: m[1]!, region: m[2] })),
  );

  it('are there: every guide page includes its samples from docs/snippets', () => {
    const using = new Set(includes.map((i) => i.page));
    for (const p of ['index.md', 'guide/getting-started.md', 'guide/race-specs.md', 'guide/variants-and-invariants.md', 'guide/diagrams-and-replay.md', 'guide/ci.md', 'guide/strategies.md', 'guide/checkers.md', 'guide/model.md']) {
      expect(using, p).toContain(p);
    }
  });

  it.each(includes.map((i) => [`${i.page}: ${i.path}${i.region === undefined ? '' : `#${i.region}`}`, i] as const))('%s exists', (_name, i) => {
    const file = join(SNIPPETS, i.path);
    expect(existsSync(file), `${i.page} includes ${i.path}, which does not exist`).toBe(true);
    if (i.region !== undefined) {
      const text = read(file);
      expect(text, `${i.path} has no region ${i.region}`).toMatch(new RegExp(`// #region ${i.region}\\n[\\s\\S]*// #endregion ${i.region}\\n`));
    }
  });
});

describe('the samples, as a user\'s project', () => {
  let project: ScratchProject;
  let all: Awaited<ReturnType<typeof runVitest>>;
  const byName = (tests: readonly VitestTest[], file: string, title: string): VitestTest => {
    const t = tests.find((x) => x.file === file && x.title === title);
    if (t === undefined) throw new Error(`no test '${title}' in ${file}; tests: ${tests.map((x) => `${x.file} > ${x.title}`).join(', ')}`);
    return t;
  };

  beforeAll(async () => {
    project = scratchProject();
    all = await runVitest(project, []);
  }, 120_000);

  afterAll(() => project?.remove());

  it('type-checks against the built packages', async () => {
    const r = await project.run([TOOLS.tsc, '-p', 'tsconfig.json']);
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  });

  it('runs: every sample passes but the first race of Getting started', () => {
    const failed = all.tests.filter((t) => t.status !== 'passed').map((t) => `${t.file} > ${t.fullName}: ${t.status}\n${t.failureMessages.join('\n')}`);
    expect(failed, failed.join('\n\n')).toHaveLength(1);
    expect(failed[0]).toMatch(/^test\/first-race\.test\.ts > two holders drop their references: failed/);
    expect(all.tests.length).toBeGreaterThan(40);
  });

  it('prints the failure Getting started shows', () => {
    expect(normal(all.output)).toContain(output('first-race.txt'));
  });

  it('replays it with the PAGECHECK_REPLAY command of the pages', async () => {
    const token = /^replay: (pc1\.\S+)$/m.exec(output('first-race.txt'))![1]!;
    expect(page('guide/getting-started.md')).toContain(`PAGECHECK_REPLAY=${token} pnpm vitest run`);
    expect(page('guide/diagrams-and-replay.md')).toContain(`PAGECHECK_REPLAY=${token} pnpm vitest run`);
    const r = await runVitest(project, ['test/first-race.test.ts'], { PAGECHECK_REPLAY: token });
    expect(byName(r.tests, 'test/first-race.test.ts', 'two holders drop their references').status).toBe('failed');
    const diagram = /race diagram[\s\S]*?\n\n/.exec(output('first-race.txt'))![0];
    expect(normal(r.output)).toContain(diagram);
  });

  it('splits the test files with vitest --shard, as the CI workflow runs it', async () => {
    const workflow = read(join(SNIPPETS, 'ci', 'races.yml'));
    expect(workflow).toContain('run: pnpm vitest run --shard=${{ matrix.shard }}/4 --reporter=default --reporter=github-actions');
    expect(workflow).toContain('shard: [1, 2, 3, 4]');
    const known = { file: 'test/first-race-fixed.test.ts', title: 'the racy drop_ref leaks the page' };
    const files: string[][] = [];
    for (let k = 1; k <= 4; k++) {
      const r = await runVitest(project, [`--shard=${k}/4`, '--reporter=github-actions']);
      files.push([...new Set(r.tests.map((t) => t.file))]);
      // Each race of a shard's files is explored whole on that shard: none is skipped.
      expect(r.tests.filter((t) => t.status !== 'passed' && t.file !== 'test/first-race.test.ts').map((t) => t.fullName)).toEqual([]);
    }
    // By default Vitest splits the files: each runs on exactly one shard.
    expect(files.flat().sort()).toEqual([...new Set(all.tests.map((t) => t.file))].sort());
    expect(files.flat().filter((f) => f === known.file)).toHaveLength(1);
  }, 120_000);

  it('runs with the CI config and the nightly budget', async () => {
    const files = ['test/first-race-fixed.test.ts', 'test/variants.test.ts'];
    const nightly = await runVitest(project, ['--config', 'vitest.ci.config.ts', ...files], { PAGECHECK_BUDGET: '10' });
    expect(nightly.tests.filter((t) => t.status !== 'passed').map((t) => t.fullName)).toEqual([]);
    expect(nightly.tests.length).toBeGreaterThan(5);
    // pct runs its maxSchedules (a small budget here: 500 schedules, 200 ms). A clean race
    // passes when they all ran; one that ran out of time first fails, saying so, and never
    // with a violation. Only the first race: the free-pages-speculative races of
    // variants.test.ts go through the page cache, and pct does not reach them in a budget
    // this small (exhaustive search, the default, does).
    const pct = await runVitest(project, ['--config', 'vitest.ci.config.ts', files[0]!], { PAGECHECK_STRATEGY: 'pct', PAGECHECK_SEED: '12345', PAGECHECK_BUDGET: '0.01' });
    for (const t of pct.tests.filter((x) => x.status !== 'passed')) {
      expect(t.failureMessages.join('\n')).toMatch(/found no violation, but the exploration fell short of what was asked: pct sampling stopped by the time budget after \d+ of 500 schedules \(200 ms\)/);
    }
    expect(pct.tests.filter((t) => t.status === 'passed').length).toBeGreaterThan(0);
  }, 60_000);

  it('says what a bad switch accepts, as Deep explorations in CI quotes it', async () => {
    const r = await runVitest(project, ['test/first-race-fixed.test.ts'], { PAGECHECK_SHARD: '3/2' });
    const t = byName(r.tests, 'test/first-race-fixed.test.ts', 'two holders drop their references');
    expect(t.status).toBe('failed');
    const quoted = /For example: `(PAGECHECK_SHARD=3\/2: [^`]+)`/.exec(page('guide/ci.md').replace(/\n/g, ' '))![1]!;
    expect(t.failureMessages.join('\n')).toContain(quoted);
  });

  it('replays a scenario failure with pagecheck --replay, as the pages show', async () => {
    const shown = /pnpm exec pagecheck --replay (pc1\.\S+)/.exec(page('guide/diagrams-and-replay.md'))![1]!;
    const r = await project.run([TOOLS.pagecheck, '--replay', shown]);
    expect(r.output).toMatch(/^free-pages-speculative \/ pre-e320d3012d25 \/ pre-e320d3012d25: non-compound\n\npage-leak: /);
    expect(r.output).toContain(`replay: ${shown}`);
    // It reproduces a bug: a failing exit.
    expect(r.status).toBe(1);
  });
});
