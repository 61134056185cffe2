/**
 * The setup entry, `@pagecheck/vitest-plugin/setup`: registers the pagecheck
 * matchers with `expect.extend`, and (as a type reference or import) adds
 * their types to Vitest's `expect`. The pagecheck() plugin adds it to
 * `test.setupFiles`; without the plugin, list it there yourself.
 * @remarks Since 0.1.0
 */
import { expect } from 'vitest';
import { checkNodeVersion } from './_internals/node-version.js';
import { pagecheckMatchers } from './pagecheck-matchers.js';

export type { PagecheckMatchers } from './augment-vitest.js';

// Without the plugin, the first place to name an unsupported Node.js (warnings are the plugin's, once).
checkNodeVersion(process.versions.node, () => {});
expect.extend(pagecheckMatchers);
