import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import stringWidth from 'string-width';
import { beforeAll, describe, expect, it } from 'vitest';
import { scenarios } from '../../src/index.js';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cli = join(pkg, 'dist', 'cli.js');
/** The environment of a piped run: no colour asked for either way, 100 columns. */
const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
  const e: NodeJS.ProcessEnv = { ...process.env, COLUMNS: '100', ...extra };
  if (!('FORCE_COLOR' in extra)) delete e.FORCE_COLOR;
  if (!('NO_COLOR' in extra)) delete e.NO_COLOR;
  return e;
};
const run = (args: string[], options: SpawnSyncOptions = {}) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: env(), ...options }) as ReturnType<typeof spawnSync> & { stdout: string; stderr: string };
/** Fast scenarios (well under a second each): enough rows and violations to check the layout on. */
const FAST = ['--scenario', 'free-pages-speculative', '--scenario', 'free-pages-multi-ref', '--scenario', 'test-free-pages'];
const SUMMARY = /^\d+ of \d+ verdicts as expected, \d+ documented divergences?, in \d+\.\d s(; \d+ MISMATCH)?$/;

describe('the pagecheck command, the whole matrix piped', () => {
  let out: { status: number | null; stdout: string; stderr: string };
  beforeAll(() => {
    out = run([]);
  }, 300_000);

  it('exits 0, every verdict as expected', () => {
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
  });

  it('prints under 150 lines, none wider than 100 columns, with no escape codes', () => {
    const lines = out.stdout.trimEnd().split('\n');
    expect(lines.length).toBeLessThan(150);
    expect(lines.filter((l) => stringWidth(l) > 100)).toEqual([]);
    expect(out.stdout).not.toContain('\x1b');
  });

  it('ends with the summary line, after the violations and the notes', () => {
    const lines = out.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(SUMMARY);
    const at = (text: string): number => lines.findIndex((l) => l.includes(text));
    expect(at('violations found')).toBeGreaterThan(at('anon-order1-split'));
    expect(at('weak model slub-isolate-movable / v2-without-barriers')).toBeGreaterThan(at('violations found'));
    expect(at('--diagrams')).toBe(lines.length - 2);
  });

  it('prints a row for every variant (and its lkmm row), in scenario then variant order', () => {
    const expected = scenarios.flatMap((s) => [s.id, ...Object.values(s.variants).flatMap((v) => (v.weak === undefined ? [v.id] : [v.id, `${v.id} (lkmm)`]))]);
    const labels = out.stdout.split('\n').filter((l) => /^(\S|  \S)/.test(l)).map((l) => l.trim().split(/\s{2,}/)[0]!);
    // The first cells, in order; a wrapped ' (lkmm)' continues on the next line.
    let next = 0;
    for (const label of labels) if (next < expected.length && [expected[next], expected[next]!.replace(/ \(lkmm\)$/, '')].includes(label)) next++;
    expect(expected.slice(next)).toEqual([]);
  });

  it('folds the race diagrams to one line and a replay token per violation', () => {
    expect(out.stdout).not.toContain('race diagram (');
    // The message follows the token, on the next line when the two do not fit one.
    expect(out.stdout).toMatch(/^ {4}double-free +pc1\.\S+\s+pfn:a freed again/m);
  });
});

describe('the pagecheck command', () => {
  it('prints every race diagram with --diagrams, as before', () => {
    const r = run([...FAST.slice(0, 2), '--diagrams']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('=== free-pages-speculative / e320d3012d25: double-free ===');
    expect(r.stdout).toContain('race diagram (');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(SUMMARY);
  });

  it('fits the tables to --width', () => {
    const r = run([...FAST, '--width', '80']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').filter((l) => stringWidth(l) > 80)).toEqual([]);
  });

  it('gives --json a schemaVersion and the same rows as the table, and the verdict fields as before', () => {
    const r = run([...FAST, '--json']);
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.schemaVersion).toBe(1);
    expect(Object.keys(json)).toEqual(['schemaVersion', 'verdicts', 'elapsedMs']);
    expect(Object.keys(json.verdicts[0])).toEqual(['scenario', 'variant', 'expected', 'found', 'match', 'documented', 'schedules', 'complete', 'elapsedMs', 'failures']);
    expect(Object.keys(json.verdicts[0].failures[0])).toEqual(['kind', 'message', 'replay', 'steps', 'preemptions']);
    const table = run(FAST).stdout;
    const lines = table.split('\n');
    const rows = lines.slice(0, lines.indexOf('', 2)).filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim().split(/\s{2,}/)[0]);
    expect(rows).toEqual(json.verdicts.map((v: { variant: string }) => v.variant));
  });

  it('prints its version, and lists the scenarios as JSON', () => {
    expect(run(['--version']).stdout.trim()).toBe(JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).version);
    const list = JSON.parse(run(['--list', '--json']).stdout);
    expect(list.schemaVersion).toBe(1);
    expect(list.scenarios.map((s: { id: string }) => s.id)).toEqual(scenarios.map((s) => s.id));
    const slub = list.scenarios.find((s: { id: string }) => s.id === 'slub-isolate-movable');
    expect(slub.variants.find((v: { id: string }) => v.id === 'v2-without-barriers').weak).toEqual({ expected: ['wild-deref'] });
    expect(run(['--list']).stdout).toContain('free-pages-multi-ref: pre-e320d3012d25, e320d3012d25, 462a8e08e0e6');
  });

  it('documents every option in --help', () => {
    const help = run(['--help']).stdout;
    for (const flag of ['--scenario', '--variant', '--replay', '--budget', '--diagrams', '--all', '--html', '--width', '--json', '--list', '--version', '--help', 'NO_COLOR', 'FORCE_COLOR']) expect(help).toContain(flag);
    expect(run(['--width', '5']).stderr).toContain('--width 5: give the number of columns to fit');
  });

  it('colours only when asked: FORCE_COLOR on, NO_COLOR or a pipe off', () => {
    const args = ['--scenario', 'free-pages-multi-ref'];
    const forced = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: env({ FORCE_COLOR: '1' }) });
    expect(forced.stdout).toContain('\x1b[32mok\x1b[39m');
    const off = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: env({ NO_COLOR: '1' }) });
    expect(off.stdout).not.toContain('\x1b');
    expect(run(args).stdout).not.toContain('\x1b');
  });

  it('ends quietly when its reader closes early (pagecheck | head -1)', async () => {
    const child = spawn(process.execPath, [cli], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it.skipIf(!existsSync('/dev/full'))('reports a full disk in one line, and the exit status still tells the verdict', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const ok = run(['--scenario', 'free-pages-multi-ref'], { stdio: ['ignore', full, 'pipe'] });
      expect(ok.stderr).toBe('pagecheck: cannot write to stdout (ENOSPC: no space left on the device; free some or write elsewhere); the verdicts are still decided and the exit status tells them\n');
      expect(ok.status).toBe(0);
      const json = run(['--scenario', 'free-pages-multi-ref', '--json'], { stdio: ['ignore', full, 'pipe'] });
      expect(json.stderr.trim().split('\n')).toHaveLength(1);
      expect(json.status).toBe(0);
      // Under a 1 ms budget the lkmm row does not find its wild-deref: a MISMATCH, exit 1, written or not.
      const bad = run(['--scenario', 'slub-isolate-movable', '--variant', 'v2-without-barriers', '--budget', '0.001'], { stdio: ['ignore', full, 'pipe'] });
      expect(bad.stderr).toContain('ENOSPC');
      expect(bad.status).toBe(1);
    } finally {
      closeSync(full);
    }
  });

  it('reports an --html directory it cannot write in one line, writes the timelines to one it can', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pagecheck-cli-'));
    writeFileSync(join(dir, 'a-file'), '');
    const bad = run(['--scenario', 'free-pages-multi-ref', '--html', join(dir, 'a-file', 'report')]);
    expect(bad.status).toBe(0);
    expect(bad.stderr).toBe(`pagecheck: cannot write the HTML failure timelines to ${join(dir, 'a-file', 'report')} (ENOTDIR: not a directory, mkdir '${join(dir, 'a-file', 'report')}'); the verdicts are still decided and the exit status tells them\n`);
    expect(bad.stdout.trimEnd().split('\n').at(-1)).toMatch(SUMMARY);
    const good = run(['--scenario', 'free-pages-multi-ref', '--html', join(dir, 'new', 'report')]);
    expect(good.stdout).toContain(`HTML failure timelines: 2 file(s) in ${join(dir, 'new', 'report')}`);
    expect(readFileSync(join(dir, 'new', 'report', 'free-pages-multi-ref--e320d3012d25.html'), 'utf8')).toContain('use-after-free');
  });

  // Permission bits do not stop root; the case above (a file in the way) covers root.
  it.skipIf(process.getuid?.() === 0)('reports a read-only --html directory in one line, with the verdict as exit status', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pagecheck-cli-ro-'));
    chmodSync(dir, 0o555);
    const r = run(['--scenario', 'free-pages-multi-ref', '--html', dir]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^pagecheck: cannot write the HTML failure timelines to .* \((EACCES|EPERM): permission denied; write somewhere writable\); the verdicts are still decided and the exit status tells them\n$/);
    expect(r.stdout).toContain('HTML failure timelines: not written to');
  });
});
