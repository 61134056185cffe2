import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cli = join(pkg, 'dist', 'cli.js');
const env = { ...process.env, COLUMNS: '100', NO_COLOR: '1' };
const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env });
/** A row whose verdict is a MISMATCH under a 1 ms budget (its lkmm row does not find its wild-deref): exit 1. */
const MISMATCH = ['--scenario', 'slub-isolate-movable', '--variant', 'v2-without-barriers', '--budget', '0.001'];

describe('the pagecheck command when its outputs fail', () => {
  it('exits cleanly in a real shell pipe: node cli.js | head -1', () => {
    // pipefail: the pipe's status is the command's, not head's.
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${cli}" --scenario free-pages-multi-ref | head -1`], { encoding: 'utf8', env });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l !== '')).toHaveLength(1);
  });

  it('keeps the exit status of a MISMATCH when the --html directory cannot be made', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pagecheck-faults-'));
    writeFileSync(join(dir, 'a-file'), '');
    const r = run([...MISMATCH, '--html', join(dir, 'a-file', 'report')]);
    expect(r.stderr).toMatch(/^pagecheck: cannot write the HTML failure timelines to .* \(ENOTDIR: .*\); the verdicts are still decided and the exit status tells them\n$/);
    expect(r.status).toBe(1);
  });

  // Permission bits do not stop root; the case above (a file in the way) covers root.
  it.skipIf(process.getuid?.() === 0)('keeps the exit status of a MISMATCH with a read-only --html directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pagecheck-faults-ro-'));
    chmodSync(dir, 0o555);
    const r = run([...MISMATCH, '--html', dir]);
    expect(r.stderr).toMatch(/\((EACCES|EPERM): permission denied; write somewhere writable\); the verdicts are still decided and the exit status tells them\n$/);
    expect(r.status).toBe(1);
  });
});
