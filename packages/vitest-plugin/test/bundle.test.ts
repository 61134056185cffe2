import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Package from '../src/index.js';
import { clean, leak } from './specs.js';

// The BUILT package (dist/, as published): imported here, and installed in a
// user's project (test-bundle/, copied to a temporary directory) that runs it
// in plain Node, type-checks against its .d.ts and runs Vitest with its plugin.

const PKG = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(PKG, 'dist');
const require = createRequire(import.meta.url);
const pkgDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));

let pkg: typeof Package;

beforeAll(async () => {
  if (!existsSync(join(DIST, 'index.js'))) throw new Error(`${DIST}/index.js is missing: build the package first (cd packages/vitest-plugin && tsup)`);
  pkg = (await import(new URL('../dist/index.js', import.meta.url).href)) as typeof Package;
});

describe('the built package', () => {
  it('exports the public API', () => {
    expect(Object.keys(pkg).sort()).toEqual([
      'pagecheck', 'pagecheckMatchers', 'raceTest', 'toBalanceMemcg', 'toHaveNoViolations', 'toNotDoubleFree', 'toNotLeakPages', 'toNotUseAfterFree', 'toViolate',
    ]);
    expect(pkg.raceTest.only).toBeTypeOf('function');
    expect(pkg.raceTest.skip).toBeTypeOf('function');
  });

  it('has matchers that work with expect.extend', () => {
    expect.extend(pkg.pagecheckMatchers);
    expect(clean).toHaveNoViolations();
    expect(leak).toViolate('page-leak');
    expect(() => expect(leak).toNotLeakPages()).toThrow(/found page-leak:[\s\S]*race diagram[\s\S]*replay: pc1\./);
    expect(() => expect(leak).toViolate('leaky' as 'page-leak')).toThrow(TypeError);
  });

  it('points its plugin at the built setup file', () => {
    const config = (pkg.pagecheck().config as () => { test: { setupFiles: string[] } })();
    expect(config.test.setupFiles).toEqual([join(DIST, 'setup.js')]);
    expect(readFileSync(join(DIST, 'setup.js'), 'utf8')).toContain('expect.extend(');
  });

  it('declares the matcher types in the setup entry\'s .d.ts', () => {
    const setupTypes = readFileSync(join(DIST, 'setup.d.ts'), 'utf8');
    const chunk = /from '\.\/(setup-[\w-]+\.js)'/.exec(setupTypes)?.[1];
    expect(chunk).toBeDefined();
    expect(readFileSync(join(DIST, chunk!.replace(/\.js$/, '.d.ts')), 'utf8')).toMatch(/declare module 'vitest' \{\s*interface Matchers<R, T> extends PagecheckMatchers<R>/);
  });
});

describe('a user\'s project with the built package installed', () => {
  let project: string;

  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'pagecheck-user-'));
    cpSync(fileURLToPath(new URL('../test-bundle/', import.meta.url)), project, { recursive: true });
    const link = (name: string, target: string): void => {
      mkdirSync(dirname(join(project, 'node_modules', name)), { recursive: true });
      symlinkSync(realpathSync(target), join(project, 'node_modules', name), 'dir');
    };
    link('@pagecheck/vitest-plugin', PKG);
    link('@pagecheck/core', pkgDir('@pagecheck/core'));
    link('vitest', pkgDir('vitest'));
    link('@types/node', dirname(require.resolve('@types/node/package.json', { paths: [join(PKG, '..', '..')] })));
  });

  afterAll(() => rmSync(project, { recursive: true, force: true }));

  const run = (args: string[]) => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(VITEST|PAGECHECK_|TEST$|NODE_ENV$)/.test(k)));
    const r = spawnSync(process.execPath, args, { cwd: project, env: { ...env, NO_COLOR: '1' }, encoding: 'utf8', timeout: 60_000 });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  };

  it('loads in plain Node', () => {
    const r = run(['smoke.mjs']);
    expect(r.output.trim()).toBe('smoke ok');
    expect(r.status).toBe(0);
  });

  it('type-checks against the built .d.ts, rejecting a bad kind', () => {
    const tsc = join(pkgDir('typescript'), 'bin', 'tsc');
    const all = run([tsc, '-p', 'tsconfig.json']);
    expect(all.output).toBe('');
    expect(all.status).toBe(0);
    // With the setup entry's types alone: /// <reference types="@pagecheck/vitest-plugin/setup" />,
    // import '@pagecheck/vitest-plugin/setup', and "types": ["@pagecheck/vitest-plugin/setup"] in a tsconfig.
    for (const config of ['tsconfig.setup-only.json', 'tsconfig.setup-types.json']) {
      const setupOnly = run([tsc, '-p', config]);
      expect(setupOnly.output, config).toBe('');
      expect(setupOnly.status, config).toBe(0);
    }
  });

  it('runs Vitest without the plugin, the setup entry in setupFiles registering the matchers', () => {
    const r = run([join(pkgDir('vitest'), 'vitest.mjs'), 'run', '--config', 'vitest.setup-only.config.ts', '--reporter=verbose']);
    expect(r.output).toMatch(/✓ setup-only\.test\.ts > has the matchers from the setup entry alone/);
    expect(r.status).toBe(0);
  });

  it('runs Vitest with the plugin: matchers registered by the setup file, raceTests', () => {
    const r = run([join(pkgDir('vitest'), 'vitest.mjs'), 'run', '--reporter=verbose']);
    expect(r.output).toMatch(/✓ user\.test\.ts > the matchers are registered/);
    expect(r.output).toMatch(/✓ user\.test\.ts > a clean race/);
    expect(r.output).toMatch(/✓ user\.test\.ts > a known leak/);
    expect(r.output).toMatch(/Tests {2}3 passed \(3\)/);
    expect(r.status).toBe(0);
  });
});
