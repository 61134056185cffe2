import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scenarios } from '../../src/index.js';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cli = join(pkg, 'dist', 'cli.js');

const FLAGS = ['--scenario', '--variant', '--budget', '--replay', '--diagrams', '--all', '--no-diagrams', '--html', '--width', '--json', '--list', '--version', '--help', '-h', '--', '-', '--bogus', '--budget=', '--width=0'];
const ids = scenarios.flatMap((s) => [s.id, ...Object.keys(s.variants)]);
const word = fc.oneof(
  fc.constantFrom(...FLAGS),
  fc.constantFrom(...ids),
  fc.constantFrom('0', '-1', '1e9', 'NaN', '0.001', '79', '80', '', ' ', 'pc1.', 'pc1.abc.2.a5b3', 'pc1.abc-def.2.a1b1+a0=1', 'pc1.x.0.', '\u00e9\u0000'),
  fc.string({ maxLength: 12 }).filter((s) => !s.includes('\u0000')),
);

/** A Node stack frame on stderr: the command crashed inside instead of naming the wrong argument. */
const STACK = /^\s+at .+[:(]\d+:\d+\)?$/m;

describe('the pagecheck command under random arguments', () => {
  it('exits 0, 1 or 2 with no stack trace; a bad argument is named on one line', { timeout: 300_000 }, () => {
    const cwd = mkdtempSync(join(tmpdir(), 'pagecheck-fuzz-'));
    fc.assert(
      fc.property(fc.array(word, { maxLength: 5 }), (args) => {
        // A tiny budget last, and one fast scenario unless the arguments name some, keep a valid run short.
        const argv = [...args, ...(args.includes('--scenario') ? [] : ['--scenario', 'free-pages-multi-ref']), '--budget', '0.001'];
        const r = spawnSync(process.execPath, [cli, ...argv], { cwd, encoding: 'utf8', env: { ...process.env, COLUMNS: '100', NO_COLOR: '1' }, timeout: 120_000 });
        const what = `pagecheck ${JSON.stringify(argv)}: status ${String(r.status)}, stderr ${r.stderr}`;
        expect(r.error, what).toBeUndefined();
        expect([0, 1, 2], what).toContain(r.status);
        expect(r.stderr, what).not.toMatch(STACK);
        expect(r.stderr, what).not.toMatch(/TypeError|ReferenceError|RangeError: Invalid|Cannot read propert|is not a function/);
        if (r.status === 2) expect(r.stderr, what).toMatch(/^pagecheck: /);
      }),
      { numRuns: 12, seed: Number(process.env.PAGECHECK_FUZZ_SEED ?? 0x5eed) },
    );
  });
});
