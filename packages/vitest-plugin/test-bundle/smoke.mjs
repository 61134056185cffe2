// Plain Node, no Vitest runner: the built package loads and its pieces work.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { GFP_KERNEL } from '@pagecheck/core';
import * as pkg from '@pagecheck/vitest-plugin';

for (const name of ['pagecheck', 'raceTest', 'toNotLeakPages', 'toNotDoubleFree', 'toNotUseAfterFree', 'toBalanceMemcg', 'toHaveNoViolations', 'toViolate']) {
  assert.equal(typeof pkg[name], 'function', `export ${name}`);
}
assert.equal(typeof pkg.raceTest.only, 'function');
assert.equal(typeof pkg.raceTest.skip, 'function');
assert.deepEqual(Object.keys(pkg.pagecheckMatchers).sort(), ['toBalanceMemcg', 'toHaveNoViolations', 'toNotDoubleFree', 'toNotLeakPages', 'toNotUseAfterFree', 'toViolate']);

const plugin = pkg.pagecheck({ strategy: 'pct' });
assert.equal(plugin.name, 'pagecheck');
const setup = plugin.config().test.setupFiles[0];
assert.match(setup, /[/\\]dist[/\\]setup\.js$/);
assert.ok(existsSync(setup), `${setup} exists`);

const leak = { name: 'leak', kernel: { pages: 8 }, threads: { *A(k) { yield* k.alloc_pages(GFP_KERNEL, 0); } } };
assert.equal(pkg.toViolate.call({ isNot: false }, leak, 'page-leak').pass, true);
const result = pkg.toNotLeakPages.call({ isNot: false }, leak);
assert.equal(result.pass, false);
assert.match(result.message(), /found page-leak:[\s\S]*race diagram[\s\S]*replay: pc1\./);
assert.throws(() => pkg.toViolate.call({ isNot: false }, leak, 'leaky'), TypeError);
console.log('smoke ok');
