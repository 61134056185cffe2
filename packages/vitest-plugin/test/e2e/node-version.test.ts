import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE } from './run-fixture.js';

// A user's project (test/e2e/fixture) run by Vitest on a Node.js that reports
// an older version: process.versions.node is replaced before Vitest loads.

const VITEST = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');

function runAs(version: string): { status: number | null; output: string } {
  const fake = `data:text/javascript,Object.defineProperty(process.versions, 'node', { value: ${JSON.stringify(version)} })`;
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(VITEST|PAGECHECK_|FIXTURE_|TEST$|NODE_ENV$|NODE_OPTIONS$)/.test(k)));
  const r = spawnSync(process.execPath, ['--import', fake, VITEST, 'run', 'races.race.ts'], { cwd: FIXTURE, env: { ...env, NO_COLOR: '1' }, encoding: 'utf8' });
  return { status: r.status, output: r.stdout + r.stderr };
}

describe('the plugin on a Node.js older than Vitest 5 supports', () => {
  it('stops the run with a message naming the version found and the fix', () => {
    const r = runAs('20.18.1');
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('@pagecheck/vitest-plugin: Vitest 5 needs Node.js 22.12 or later (^22.12, ^24 or >= 26), and this is Node.js 20.18.1. Upgrade Node.js, for instance with `nvm install 24`');
  }, 60_000);
});
