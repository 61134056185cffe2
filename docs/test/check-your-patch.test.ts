import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVitest, scratchProject, TOOLS, type ScratchProject } from './scratch-project.js';

// Follows docs/guide/check-your-patch.md as a new user would: turns the mailed
// diff into a C file as the page says, runs the commands the page shows in a
// project with the built packages installed, and compares what they print with
// what the page shows.

const DOCS = fileURLToPath(new URL('..', import.meta.url));
const page = readFileSync(join(DOCS, 'guide', 'check-your-patch.md'), 'utf8');
const snippet = (path: string) => readFileSync(join(DOCS, 'snippets', path), 'utf8');

/** The fenced blocks of a language, in page order. */
const blocks = (lang: string): string[] => [...page.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);

/** The arguments of each `pnpm exec pagecheck ...` command the page shows. */
const commands = (): string[][] => blocks('sh').flatMap((b) => b.split('\n')).filter((l) => l.startsWith('pnpm exec pagecheck ')).map((l) => l.slice('pnpm exec pagecheck '.length).trim().split(/\s+/));

/** C code without comments, blank lines and indentation, for comparing a function written two ways. */
const code = (c: string): string => c.replace(/\/\*[\s\S]*?\*\//g, '').split('\n').map((l) => l.trim()).filter((l) => l !== '').join('\n');

/** Timings vary from run to run. */
const untimed = (s: string): string => s.replace(/ *\d+(\.\d+)? (ms|s)\b/g, ' T').replace(/[ \t]+$/gm, ''); // a time's width varies with the time

describe('Check your patch, followed as a new user would', () => {
  let project: ScratchProject;
  beforeAll(() => { project = scratchProject(); });
  afterAll(() => project.remove());

  it('is in the guide\'s sidebar', () => {
    expect(readFileSync(join(DOCS, '.vitepress', 'config.mts'), 'utf8')).toContain("link: '/guide/check-your-patch'");
  });

  it('turns the mailed diff into the C file it includes, by keeping context and + lines', () => {
    const diff = blocks('diff')[0]!;
    const kept = diff.split('\n').filter((l) => !l.startsWith('-') && l !== '').map((l) => l.slice(1)).join('\n');
    expect(page).toContain('<<< @/snippets/patches/hannes-v2.c');
    expect(code(kept)).toBe(code(snippet('patches/hannes-v2.c')));
  });

  it('ships each patch file as the scenario checks it: equal to its C twin in packages/scenarios', () => {
    // docs/snippets is copied whole as a user's project, so it keeps its own copies; this keeps them true.
    const twins = join(DOCS, '..', 'packages', 'scenarios', 'test', 'c-twins', 'free-pages-speculative');
    const files = readdirSync(join(DOCS, 'snippets', 'patches')).filter((f) => f.endsWith('.c')).sort();
    expect(files).toEqual(['462a8e08e0e6.c', 'hannes-v2.c', 'willy-cache-memcg.c']);
    for (const f of files) {
      expect(snippet(`patches/${f}`), `docs/snippets/patches/${f} differs from packages/scenarios/test/c-twins/free-pages-speculative/${f}: copy the twin over it`).toBe(readFileSync(join(twins, f), 'utf8'));
    }
  });

  it('runs the file in the scenario: the output the page shows, exit 1', async () => {
    const [run] = commands();
    expect(run).toEqual(['--scenario', 'free-pages-speculative', '--variant', 'patches/hannes-v2.c']);
    const r = await project.run([TOOLS.pagecheck, ...run!]);
    expect(r.status).toBe(1);
    expect(untimed(r.output)).toBe(untimed(snippet('outputs/check-your-patch.txt')));
    expect(r.output).toMatch(/bad-page-\s+MISMATCH/);
  });

  it('replays the token the page shows, with the same --scenario and --variant', async () => {
    const replay = commands().find((c) => c[0] === '--replay')!;
    expect(snippet('outputs/check-your-patch.txt')).toContain(replay[1]!);
    const r = await project.run([TOOLS.pagecheck, ...replay]);
    expect(r.status).toBe(1);
    expect(r.output).toMatch(/^free-pages-speculative \/ hannes-v2\.c \/ hannes-v2\.c: accounted non-compound\n\nbad-page-state: BUG: Bad page state/);
    expect(r.output).toContain('race diagram');
    expect(r.output).toContain('PageHead(P0) == false');
    expect(r.output).toContain('put_page_testzero(P0) == false');
  });

  it('prints the error the page shows for C it cannot compile, and exits 2', async () => {
    const shown = blocks('text').find((b) => b.startsWith('pagecheck: patches/bad.c'))!;
    const line = shown.split('\n')[1]!.trim();
    mkdirSync(join(project.dir, 'patches'), { recursive: true });
    writeFileSync(join(project.dir, 'patches', 'bad.c'), `void __free_pages(struct page *page, unsigned int order)\n{\n\t${line}\n}\n`);
    const r = await project.run([TOOLS.pagecheck, '--scenario', 'free-pages-speculative', '--variant', 'patches/bad.c']);
    expect(r.status).toBe(2);
    expect(r.output).toBe(shown);
  });

  it('runs the test file it includes: raceTest and explore with cVariant()', async () => {
    const r = await runVitest(project, ['test/c-variant.test.ts']);
    expect(r.tests.map((t) => [t.title, t.status])).toEqual([
      ['462a8e08e0e6 frees a compound block once', 'passed'],
      ['shows the C lines of willy-cache-memcg.c in its race diagram', 'passed'],
    ]);
  });
});
