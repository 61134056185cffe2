import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The documentation's code samples live in docs/snippets/, a user's project.
// A scratch copy of it gets the BUILT packages installed (symlinked into
// node_modules, as a package manager would) and is run as a user would run it.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SNIPPETS = join(ROOT, 'docs', 'snippets');
const require = createRequire(import.meta.url);
const rootPkg = (name: string): string => dirname(require.resolve(`${name}/package.json`, { paths: [ROOT] }));

/** Where the tools of a scratch project live. */
export const TOOLS = {
  vitest: join(rootPkg('vitest'), 'vitest.mjs'),
  tsc: join(rootPkg('typescript'), 'bin', 'tsc'),
  pagecheck: join(ROOT, 'packages', 'scenarios', 'dist', 'cli.js'),
};

/** What a command in the scratch project printed, and how it exited. */
export interface CommandResult {
  readonly status: number | null;
  readonly output: string;
}

/** A copy of docs/snippets with the built packages installed. */
export interface ScratchProject {
  readonly dir: string;
  /** Runs `node <args>` in the project, with a clean environment plus `env`. */
  run(args: readonly string[], env?: Readonly<Record<string, string>>): Promise<CommandResult>;
  remove(): void;
}

/** Copies docs/snippets to a temporary directory and links the built packages into its node_modules. */
export function scratchProject(): ScratchProject {
  const dir = mkdtempSync(join(tmpdir(), 'pagecheck-docs-'));
  cpSync(SNIPPETS, dir, { recursive: true, filter: (src) => !src.includes('node_modules') });
  const link = (name: string, target: string): void => {
    mkdirSync(dirname(join(dir, 'node_modules', name)), { recursive: true });
    symlinkSync(realpathSync(target), join(dir, 'node_modules', name), 'dir');
  };
  link('@pagecheck/core', join(ROOT, 'packages', 'core'));
  link('@pagecheck/vitest-plugin', join(ROOT, 'packages', 'vitest-plugin'));
  link('@pagecheck/scenarios', join(ROOT, 'packages', 'scenarios'));
  link('vitest', rootPkg('vitest'));
  link('@types/node', rootPkg('@types/node'));
  return {
    dir,
    run(args, env = {}) {
      const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(VITEST|PAGECHECK_|TEST$|NODE_ENV$|NODE_OPTIONS$)/.test(k)));
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, args, { cwd: dir, env: { ...base, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (d: Buffer) => (output += d.toString()));
        child.stderr.on('data', (d: Buffer) => (output += d.toString()));
        child.on('error', reject);
        child.on('close', (status) => resolve({ status, output }));
      });
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One test of a Vitest run, as its JSON reporter gives it. */
export interface VitestTest {
  readonly file: string;
  readonly title: string;
  readonly fullName: string;
  readonly status: 'passed' | 'failed' | 'skipped' | 'pending' | 'todo';
  readonly failureMessages: readonly string[];
}

/** Runs `vitest run <args>` in the project and reads its JSON report. */
export async function runVitest(project: ScratchProject, args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CommandResult & { tests: VitestTest[] }> {
  const out = join(project.dir, `report-${Math.random().toString(36).slice(2)}.json`);
  const r = await project.run([TOOLS.vitest, 'run', '--reporter=json', `--outputFile=${out}`, '--reporter=default', ...args], env);
  let report: { testResults: { name: string; assertionResults: Omit<VitestTest, 'file'>[] }[] };
  try {
    report = JSON.parse(readFileSync(out, 'utf8')) as typeof report;
  } catch (e) {
    throw new Error(`vitest wrote no report (${String(e)}):\n${r.output}`);
  } finally {
    rmSync(out, { force: true });
  }
  const tests = report.testResults.flatMap((f) => f.assertionResults.map((a) => ({ ...a, file: f.name.slice(project.dir.length + 1) })));
  return { ...r, tests };
}
