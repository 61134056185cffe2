import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RaceTestMeta } from '../../src/index.js';

export const FIXTURE = fileURLToPath(new URL('./fixture/', import.meta.url));
const VITEST = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');

/** One test of a fixture run, as Vitest's JSON reporter gives it. */
export interface FixtureTest {
  readonly file: string;
  readonly title: string;
  readonly status: 'passed' | 'failed' | 'skipped' | 'pending' | 'todo';
  readonly failureMessages: readonly string[];
  readonly meta: { readonly pagecheck?: RaceTestMeta };
}

/** What a child Vitest run of the fixture project reported. */
export interface FixtureRun {
  readonly tests: ReadonlyMap<string, FixtureTest>;
  readonly files: readonly string[];
  readonly output: string;
  /** Where the plugin was told to write the HTML failure timelines (gone after the run). */
  readonly reportDir: string;
  /** The HTML failure timelines the run wrote, by file name. */
  readonly reports: ReadonlyMap<string, string>;
  /** The exit code of the child Vitest. */
  readonly status: number | null;
}

/**
 * Runs `vitest run` in test/e2e/fixture as a child process, as a user would,
 * with `env` added to a clean environment (no VITEST_* or PAGECHECK_* of ours).
 * The HTML failure timelines go to a temporary directory (FIXTURE_REPORT_DIR),
 * read back into `reports`, so that runs side by side do not share one.
 */
export function runFixture(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<FixtureRun> {
  const dir = mkdtempSync(join(tmpdir(), 'pagecheck-e2e-'));
  const out = join(dir, 'report.json');
  const reportDir = join(dir, 'timelines');
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(VITEST|PAGECHECK_|FIXTURE_|TEST$|NODE_ENV$|NODE_OPTIONS$)/.test(k)));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VITEST, 'run', '--reporter=json', `--outputFile=${out}`, '--reporter=verbose', ...args], {
      cwd: FIXTURE,
      env: { ...base, NO_COLOR: '1', FIXTURE_REPORT_DIR: reportDir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (status: number | null) => {
      let report: { testResults: { name: string; assertionResults: Omit<FixtureTest, 'file'>[] }[] };
      const reports = new Map<string, string>();
      try {
        report = JSON.parse(readFileSync(out, 'utf8')) as typeof report;
        if (existsSync(reportDir)) for (const f of readdirSync(reportDir)) reports.set(f, readFileSync(join(reportDir, f), 'utf8'));
      } catch (e) {
        reject(new Error(`the fixture run wrote no report (${String(e)}):\n${output}`));
        return;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const tests = new Map<string, FixtureTest>();
      for (const f of report.testResults) {
        for (const a of f.assertionResults) tests.set(a.title, { ...a, file: f.name });
      }
      resolve({ tests, files: report.testResults.map((f) => f.name.slice(FIXTURE.length)).sort(), output, reportDir, reports, status });
    });
  });
}
