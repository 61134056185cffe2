import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** `pagecheck --scenario ID --variant FILE.c`, run from the built package. */

const here = dirname(fileURLToPath(import.meta.url));
const cli = resolve(here, '../../dist/cli.js');
const twin = (scenario: string, variant: string) => resolve(here, `../c-twins/${scenario}/${variant}.c`);
const pagecheck = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

function tmpC(name: string, source: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'pagecheck-c-')), name);
  writeFileSync(file, source);
  return file;
}

interface JsonVerdict { variant: string; found: string[]; match: boolean; complete: boolean; failures: { kind: string; replay: string }[] }

describe('pagecheck --variant FILE.c', () => {
  it('runs e320d3012d25 as C in the scenario\'s cases: double free and memcg leak, exit 1', () => {
    const r = pagecheck('--scenario', 'free-pages-speculative', '--variant', twin('free-pages-speculative', 'e320d3012d25'), '--json');
    expect(r.status).toBe(1);
    const v = (JSON.parse(r.stdout) as { verdicts: JsonVerdict[] }).verdicts;
    expect(v).toHaveLength(1);
    expect(v[0]!.variant).toBe('e320d3012d25.c');
    expect(v[0]!.found).toEqual(['double-free', 'memcg-leak']);
    expect(v[0]!.complete).toBe(true);
  });

  it('prints the matrix row of a clean C variant and exits 0', () => {
    const r = pagecheck('--scenario', 'slub-isolate-movable', '--variant', twin('slub-isolate-movable', 'vlastimil-v2'));
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/vlastimil-v2\.c\s+none\s+none\s+ok/);
    expect(r.status).toBe(0);
  });

  it('replays a C variant\'s token with the same --scenario and --variant, and refuses it for another C', () => {
    const file = twin('free-pages-speculative', 'e320d3012d25');
    const v = (JSON.parse(pagecheck('--scenario', 'free-pages-speculative', '--variant', file, '--json').stdout) as { verdicts: JsonVerdict[] }).verdicts[0]!;
    const token = v.failures.find((f) => f.kind === 'double-free')!.replay;
    const r = pagecheck('--replay', token, '--scenario', 'free-pages-speculative', '--variant', file);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^free-pages-speculative \/ e320d3012d25\.c \//);
    expect(r.stdout).toContain('double-free');
    expect(r.stdout).toContain('PageHead(P0) == false');
    const other = pagecheck('--replay', token, '--scenario', 'free-pages-speculative', '--variant', twin('free-pages-speculative', '462a8e08e0e6'));
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(/matches no scenario case/);
  });

  it('exits 2 with file:line:column for C it cannot compile', () => {
    const file = tmpC('patch.c', 'void __free_pages(struct page *page, unsigned int order)\n{\n\tif (put_page_testzero(page))\n\t\t__free_the_page(page, order);\n}\n');
    const r = pagecheck('--scenario', 'free-pages-speculative', '--variant', file);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file}:4:3: unknown function '__free_the_page'`);
    expect(r.stdout).toBe('');
  });

  it('exits 2 naming what is wrong with the command line', () => {
    const file = twin('free-pages-speculative', 'e320d3012d25');
    const noScenario = pagecheck('--variant', file);
    expect(noScenario.status).toBe(2);
    expect(noScenario.stderr).toMatch(/--variant needs --scenario/);
    const two = pagecheck('--scenario', 'free-pages-speculative', '--scenario', 'slub-isolate-movable', '--variant', file);
    expect(two.status).toBe(2);
    expect(two.stderr).toMatch(/needs exactly one --scenario/);
    const missing = pagecheck('--scenario', 'free-pages-speculative', '--variant', '/nonexistent/patch.c');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--variant \/nonexistent\/patch\.c: cannot read the C file/);
    const unknown = pagecheck('--scenario', 'nope', '--variant', file);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown scenario 'nope'/);
  });
});
