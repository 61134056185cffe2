import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The absolute path of the setup entry beside the module at `base`:
 * `setup.js` in the built package (dist/), `setup.ts` when running from
 * source. An absolute path works with every package manager and layout.
 */
export function findSetupFile(base: string): string {
  for (const name of ['./setup.js', './setup.ts']) {
    const path = fileURLToPath(new URL(name, base));
    if (existsSync(path)) return path;
  }
  throw new Error(`@pagecheck/vitest-plugin: cannot find its setup file beside ${fileURLToPath(base)}; the package is incomplete (reinstall it), or add '@pagecheck/vitest-plugin/setup' to test.setupFiles and pass pagecheck({ setupFile: false })`);
}
