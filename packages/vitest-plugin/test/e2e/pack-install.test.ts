import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The three packages as they would be published: `pnpm pack` turns each into a
// tarball (workspace:^ rewritten to a version range), npm installs the
// tarballs and Vitest 5 from the registry into a fresh project outside the
// workspace, and that project runs a raceTest under Node >= 22.12, type-checks
// against the installed .d.ts files and runs the `pagecheck` command.
// `pnpm test` builds dist/ before Vitest starts; this test packs what is there.

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url)).replace(/[\\/]$/, '');
const PACKAGES = ['core', 'vitest-plugin', 'scenarios'] as const;
type Dir = (typeof PACKAGES)[number];

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const manifest = (file: string): Manifest => JSON.parse(readFileSync(file, 'utf8')) as Manifest;
const workspace = Object.fromEntries(PACKAGES.map((d) => [d, manifest(join(ROOT, 'packages', d, 'package.json'))])) as Record<Dir, Manifest>;
const vitestRange = manifest(join(ROOT, 'package.json')).devDependencies?.vitest ?? '^5';

interface Result { status: number | null; output: string }

/** Runs a command to completion (async, so this worker stays responsive), killing it after `timeout` ms. */
function run(cmd: string, args: readonly string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeout: number }): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => { output += `\n[killed after ${opts.timeout} ms]`; child.kill('SIGKILL'); }, opts.timeout);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (status) => { clearTimeout(timer); resolve({ status, output }); });
  });
}

const ok = (what: string, r: Result): string => {
  if (r.status !== 0) throw new Error(`${what} exited ${r.status}:\n${r.output}`);
  return r.output;
};

/** The Node 24 binary behind the repository's node_modules/.bin/node (the `node` devDependency), else this one. */
function repoNode(): string {
  const shim = join(ROOT, 'node_modules', '.bin', 'node');
  if (existsSync(shim)) {
    const r = spawnSync(shim, ['-p', 'process.execPath'], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim() !== '') return realpathSync(r.stdout.trim());
  }
  return process.execPath;
}

/** `pnpm` when a pnpm script put it on PATH (`pnpm test`), else pnpm 10 through npx as the README does. */
function pnpmCommand(): [string, string[]] {
  return spawnSync('pnpm', ['--version'], { encoding: 'utf8' }).status === 0 ? ['pnpm', []] : ['npx', ['-y', 'pnpm@10']];
}

// The user's project. Specs shared by a passing and a failing test file.
const PROJECT_FILES: Record<string, string> = {
  'vitest.config.ts': `import { defineConfig } from 'vitest/config';
import { pagecheck } from '@pagecheck/vitest-plugin';

export default defineConfig({
  plugins: [pagecheck({ strategy: 'exhaustive' })],
  test: { include: ['test/**/*.test.ts'] },
});
`,
  'test/specs.ts': `import { GFP_KERNEL, type Kernel, type KGen, type RaceSpec } from '@pagecheck/core';

type S = { readonly p: number };

function* allocOne(k: Kernel): KGen<S> {
  const p = yield* k.alloc_pages(GFP_KERNEL, 0);
  if (p === null) throw new Error('alloc_pages failed');
  return { p };
}

// The known bug: both threads can see page_count() == 1 before either frees.
function* freeIfLast(k: Kernel, p: number): KGen<void> {
  if ((yield* k.page_count(p)) !== 1) return;
  yield* k.set_page_count(p, 0);
  yield* k.free_the_page(p, 0);
}

export const checkThenFree: RaceSpec<S> = {
  name: 'check-then-free',
  kernel: { pages: 8 },
  setup: (k) => allocOne(k),
  threads: { *A(k, s) { yield* freeIfLast(k, s.p); }, *B(k, s) { yield* freeIfLast(k, s.p); } },
};

export const allocFree: RaceSpec<S> = {
  name: 'alloc and free',
  kernel: { pages: 8 },
  setup: (k) => allocOne(k),
  threads: { *A(k, s) { yield* k.__free_pages(s.p, 0); } },
};
`,
  'test/race.test.ts': `import { explore } from '@pagecheck/core';
import { exploreProgram, Memory, op, LOAD, STORE, type Program } from '@pagecheck/core/engine';
import { raceTest } from '@pagecheck/vitest-plugin';
import { expect, test } from 'vitest';
import { allocFree, checkThenFree } from './specs.js';

raceTest('check-then-free double-frees', checkThenFree, { expect: ['double-free'] });
raceTest('alloc and free is clean', allocFree);

test('the plugin registered the matchers', () => {
  expect(explore(allocFree)).toHaveNoViolations();
  expect(checkThenFree).toViolate('double-free');
  expect(() => expect(checkThenFree).toNotDoubleFree()).toThrow(/double-free[\\s\\S]*replay: pc1\\./);
});

test('the engine subpath explores a bare program', () => {
  const inc = (name: string) => ({ name, *start() { const v: number = yield op(LOAD, { loc: 0 }); yield op(STORE, { loc: 0, a: v + 1 }); } });
  const program: Program = {
    name: 'lost update',
    init(exec) {
      const memory = new Memory(1);
      exec.attach(memory);
      return { memory, threads: [inc('A'), inc('B')] };
    },
  };
  const r = exploreProgram(program, { strategy: 'exhaustive' });
  expect(r.complete).toBe(true);
});

declare const process: { versions: { node: string } }; // no @types/node in this project

test('runs on Node >= 22.12', () => {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  expect(major > 22 || (major === 22 && minor >= 12)).toBe(true);
});
`,
  'test/unexpected.test.ts': `import { raceTest } from '@pagecheck/vitest-plugin';
import { checkThenFree } from './specs.js';

raceTest('check-then-free, not expected to fail', checkThenFree);
`,
  // Compile-only: tsc must reject these against the installed .d.ts files.
  'test/types.ts': `import { raceTest } from '@pagecheck/vitest-plugin';
import { expect } from 'vitest';
import { checkThenFree } from './specs.js';

// @ts-expect-error not a violation kind
raceTest('typo', checkThenFree, { expect: ['double-fre'] });
// @ts-expect-error not a violation kind
expect(checkThenFree).toViolate('leaky');
`,
  'tsconfig.json': JSON.stringify({
    compilerOptions: {
      target: 'ES2023', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2023'],
      strict: true, noEmit: true, skipLibCheck: true, types: [],
    },
    include: ['vitest.config.ts', 'test'],
  }, null, 2),
};

let work: string;
let project: string;
let tarballs: Record<Dir, string>;
let env: NodeJS.ProcessEnv;
let node: string;
const timings: string[] = [];

async function timed<T>(what: string, f: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await f();
  } finally {
    timings.push(`${what} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
}

beforeAll(async () => {
  for (const d of PACKAGES) {
    for (const f of ['index.js', 'index.d.ts']) {
      if (!existsSync(join(ROOT, 'packages', d, 'dist', f))) throw new Error(`packages/${d}/dist/${f} is missing: run \`pnpm run build\` first`);
    }
  }
  work = mkdtempSync(join(tmpdir(), 'pagecheck-pack-'));
  node = repoNode();
  // A PATH whose `node` is Node >= 22.12 (npm, the bins' shebangs), without this repository's node_modules/.bin.
  const bin = join(work, 'bin');
  mkdirSync(bin);
  symlinkSync(node, join(bin, 'node'));
  const path = [bin, ...(process.env.PATH ?? '').split(delimiter).filter((p) => p !== '' && !p.startsWith(ROOT + sep))].join(delimiter);
  // No Vitest, pagecheck, npm or pnpm settings of ours reach the user's project (npm_config_local_prefix would point npm here).
  env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(VITEST|PAGECHECK_|npm_|pnpm_|TEST$|NODE_ENV$|NODE_OPTIONS$|NODE_PATH$|FORCE_COLOR$)/i.test(k))),
    PATH: path,
    NO_COLOR: '1',
  };

  const packDir = join(work, 'tarballs');
  mkdirSync(packDir);
  const [pnpm, pnpmArgs] = pnpmCommand();
  tarballs = {} as Record<Dir, string>;
  for (const d of PACKAGES) {
    await timed(`pnpm pack ${d}`, async () => {
      const before = new Set(readdirSync(packDir));
      ok(`pnpm pack in packages/${d}`, await run(pnpm, [...pnpmArgs, 'pack', '--pack-destination', packDir], { cwd: join(ROOT, 'packages', d), env: { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}` }, timeout: 60_000 }));
      const made = readdirSync(packDir).filter((f) => !before.has(f) && f.endsWith('.tgz'));
      expect(made).toHaveLength(1);
      tarballs[d] = join(packDir, made[0]!);
    });
  }

  project = join(work, 'project');
  mkdirSync(join(project, 'test'), { recursive: true });
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({
    name: 'pagecheck-user',
    private: true,
    type: 'module',
    devDependencies: {
      vitest: vitestRange,
      ...Object.fromEntries(PACKAGES.map((d) => [workspace[d].name, `file:${tarballs[d]}`])),
    },
  }, null, 2)}\n`);
  for (const [file, text] of Object.entries(PROJECT_FILES)) writeFileSync(join(project, file), text);
  await timed('npm install', async () => {
    ok('npm install', await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: project, env, timeout: 150_000 }));
  });
}, 240_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
  if (timings.length > 0) console.log(`pack-install: ${timings.join(', ')}`);
});

const installed = (d: Dir, ...file: string[]): string => join(project, 'node_modules', workspace[d].name, ...file);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

describe('the packed packages installed with npm in a fresh project', () => {
  it('ship dist/, README.md, LICENSE and package.json, nothing else', () => {
    const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
    for (const d of PACKAGES) {
      const files = filesUnder(installed(d));
      expect(files.filter((f) => !f.startsWith('dist/')), d).toEqual(['LICENSE', 'README.md', 'package.json']);
      expect(files, d).toContain('dist/index.d.ts');
      expect(readFileSync(installed(d, 'LICENSE'), 'utf8'), d).toBe(license);
    }
  });

  it('depend on @pagecheck/core by version, not workspace:, and share one installed core', () => {
    const core = workspace.core;
    for (const d of ['vitest-plugin', 'scenarios'] as const) {
      const m = manifest(installed(d, 'package.json'));
      expect(m.version).toBe(workspace[d].version);
      expect(m.dependencies).toEqual({ [core.name]: `^${core.version}` });
      expect(readFileSync(installed(d, 'package.json'), 'utf8')).not.toContain('workspace:');
      expect(existsSync(installed(d, 'node_modules'))).toBe(false);
    }
    expect(manifest(installed('vitest-plugin', 'package.json')).peerDependencies).toEqual({ vitest: '^5.0.0' });
    expect(manifest(join(project, 'node_modules', 'vitest', 'package.json')).version).toMatch(/^5\./);
  });

  it('type-check a user\'s project against the installed .d.ts files', async () => {
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = await run(node, [tsc, '-p', 'tsconfig.json'], { cwd: project, env, timeout: 60_000 });
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  });

  it('run raceTest and the matchers in Vitest 5 with the pagecheck() plugin, on Node >= 22.12', async () => {
    const vitest = join(project, 'node_modules', 'vitest', 'vitest.mjs');
    const r = await timed('vitest (passing)', () => run(node, [vitest, 'run', '--reporter=verbose', 'test/race.test.ts'], { cwd: project, env, timeout: 60_000 }));
    expect(r.output).toMatch(/✓ test\/race\.test\.ts > check-then-free double-frees/);
    expect(r.output).toMatch(/✓ test\/race\.test\.ts > alloc and free is clean/);
    expect(r.output).toMatch(/✓ test\/race\.test\.ts > the plugin registered the matchers/);
    expect(r.output).toMatch(/✓ test\/race\.test\.ts > runs on Node >= 22\.12/);
    expect(r.output).toMatch(/✓ test\/race\.test\.ts > the engine subpath explores a bare program/);
    expect(r.output).toMatch(/Tests {2}5 passed \(5\)/);
    expect(r.status).toBe(0);
  });

  it('fail a raceTest that finds a violation it does not expect, with the race diagram and a replay token', async () => {
    const vitest = join(project, 'node_modules', 'vitest', 'vitest.mjs');
    const r = await timed('vitest (failing)', () => run(node, [vitest, 'run', 'test/unexpected.test.ts'], { cwd: project, env, timeout: 60_000 }));
    expect(r.output).toMatch(/double-free/);
    expect(r.output).toMatch(/free_the_page\(\d+, 0\)/);
    expect(r.output).toMatch(/replay: pc1\./);
    expect(r.output).toMatch(/Tests {2}1 failed \(1\)/);
    expect(r.status).toBe(1);
  });

  it('load with require() too (require(esm), Node >= 22.12)', async () => {
    const r = await run(node, ['-e', `
      const core = require('@pagecheck/core');
      const engine = require('@pagecheck/core/engine');
      const { scenarios } = require('@pagecheck/scenarios');
      const plugin = require('@pagecheck/vitest-plugin');
      console.log(typeof core.explore, typeof engine.exploreProgram, scenarios.length > 0, typeof plugin.raceTest);
    `], { cwd: project, env, timeout: 30_000 });
    expect(ok('require()', r).trim()).toBe('function function true function');
  });

  it('install the pagecheck command, which lists and runs the scenarios', async () => {
    const pagecheck = join(project, 'node_modules', '.bin', 'pagecheck');
    const list = await run(pagecheck, ['--list'], { cwd: project, env, timeout: 30_000 });
    expect(ok('pagecheck --list', list)).toMatch(/^free-pages-speculative: .*e320d3012d25/m);
    const one = await run(pagecheck, ['--scenario', 'free-pages-multi-ref', '--json'], { cwd: project, env, timeout: 60_000 });
    const verdicts = (JSON.parse(ok('pagecheck --scenario free-pages-multi-ref --json', one)) as { verdicts: { variant: string; found: string[]; match: boolean }[] }).verdicts;
    expect(verdicts.map((v) => v.variant)).toContain('e320d3012d25');
    expect(verdicts.every((v) => v.match)).toBe(true);
    expect(verdicts.find((v) => v.variant === 'e320d3012d25')?.found).toContain('double-free');
  });
});
