import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findSetupFile } from '../../../src/_internals/setup-file.js';

describe('findSetupFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pagecheck-setup-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds setup.js beside a built module, before setup.ts', () => {
    const dist = join(dir, 'dist');
    mkdirSync(dist);
    writeFileSync(join(dist, 'setup.js'), '');
    writeFileSync(join(dist, 'setup.ts'), '');
    expect(findSetupFile(pathToFileURL(join(dist, 'index.js')).href)).toBe(join(dist, 'setup.js'));
  });

  it('finds setup.ts beside a source module', () => {
    const src = join(dir, 'src');
    mkdirSync(src);
    writeFileSync(join(src, 'setup.ts'), '');
    expect(findSetupFile(pathToFileURL(join(src, 'pagecheck.ts')).href)).toBe(join(src, 'setup.ts'));
  });

  it('says what to do when the package has no setup file', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expect(() => findSetupFile(pathToFileURL(join(empty, 'index.js')).href)).toThrow(/cannot find its setup file beside .*empty.*add '@pagecheck\/vitest-plugin\/setup' to test.setupFiles and pass pagecheck\(\{ setupFile: false \}\)/);
  });
});
