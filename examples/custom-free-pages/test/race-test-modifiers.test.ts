import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, type RunnerTestCase } from 'vitest';
import { GFP_KERNEL, GFP_KERNEL_ACCOUNT, __GFP_COMP, explore } from '@pagecheck/core';
import { freePagesRevisions, speculativeRace } from '@pagecheck/scenarios';
import { raceTest } from '@pagecheck/vitest-plugin';
import { myFreePages, shortcutFreePages } from '../src/my-free-pages.js';

// raceTest has the modifiers of Vitest's `test`. The tests registered below
// run first; the `it` blocks after them check how Vitest ran each one.

const shortcut = speculativeRace('shortcut', shortcutFreePages, GFP_KERNEL, 2);
/** The token the failure of the shortcut prints, as a user would copy it from the report. */
const token = explore(shortcut).failures[0]!.replay;

describe('raceTest modifiers on our __free_pages', () => {
  raceTest.fails('the shortcut fails its race (.fails passes)', shortcut);
  raceTest.skip('skipped with .skip', shortcut);
  raceTest.todo('compound pages of order 3');
  raceTest.skipIf(true)('skipped with .skipIf(true)', shortcut);
  raceTest.runIf(false)('skipped with .runIf(false)', shortcut);
  raceTest.concurrent('runs with .concurrent', speculativeRace('mine: concurrent', myFreePages, GFP_KERNEL, 1));
  raceTest.each([
    ['non-compound', GFP_KERNEL],
    ['compound', GFP_KERNEL | __GFP_COMP],
    ['accounted', GFP_KERNEL_ACCOUNT],
  ])('ours frees a %s block of order 2', (label, gfp) => speculativeRace(`mine: each ${label}`, myFreePages, gfp, 2));
  raceTest.each`
    revision              | kinds
    ${'fix462a8e08e0e6'}  | ${['memcg-leak']}
  `('upstream $revision shows exactly its known kinds', ({ revision }) =>
    speculativeRace(`upstream each ${String(revision)}`, freePagesRevisions[revision as keyof typeof freePagesRevisions], GFP_KERNEL_ACCOUNT, 2), { expect: ['memcg-leak'] });
  raceTest.fails('replays the shortcut\'s failure from its token', shortcut, { replay: token });
  raceTest('replays the same token as a known failure', shortcut, { replay: token, expect: ['page-leak'] });

  const sibling = (task: { suite?: { tasks: readonly { name: string }[] } }, name: string): RunnerTestCase => {
    const t = task.suite?.tasks.find((x) => x.name === name);
    if (t === undefined) throw new Error(`no test named '${name}'`);
    return t as RunnerTestCase;
  };

  it('passed the shortcut\'s .fails race because it found the leak', ({ task }) => {
    const t = sibling(task, 'the shortcut fails its race (.fails passes)');
    expect([t.fails, t.result?.state]).toEqual([true, 'pass']);
    expect(t.meta.pagecheck?.kinds).toContain('page-leak');
  });

  it('registered .skip, .skipIf(true) and .runIf(false) as skipped and .todo as todo, without exploring', ({ task }) => {
    for (const name of ['skipped with .skip', 'skipped with .skipIf(true)', 'skipped with .runIf(false)']) {
      expect([name, sibling(task, name).mode, sibling(task, name).meta.pagecheck]).toEqual([name, 'skip', undefined]);
    }
    expect(sibling(task, 'compound pages of order 3').mode).toBe('todo');
  });

  it('ran a .concurrent race concurrently', ({ task }) => {
    const t = sibling(task, 'runs with .concurrent');
    expect([t.concurrent, t.result?.state, t.meta.pagecheck?.complete]).toEqual([true, 'pass', true]);
  });

  it('ran one race per row of .each, each with its own spec', ({ task }) => {
    const specs = ['non-compound', 'compound', 'accounted'].map((label) => {
      const t = sibling(task, `ours frees a ${label} block of order 2`);
      expect(t.result?.state).toBe('pass');
      return t.meta.pagecheck?.spec;
    });
    expect(specs).toEqual(['mine: each non-compound', 'mine: each compound', 'mine: each accounted']);
    const upstream = sibling(task, 'upstream fix462a8e08e0e6 shows exactly its known kinds');
    expect([upstream.result?.state, upstream.meta.pagecheck?.kinds]).toEqual(['pass', ['memcg-leak']]);
  });

  it('replayed the one schedule of the test\'s replay token and reproduced the leak', ({ task }) => {
    for (const name of ['replays the shortcut\'s failure from its token', 'replays the same token as a known failure']) {
      const t = sibling(task, name);
      expect(t.result?.state).toBe('pass');
      expect(t.meta.pagecheck).toMatchObject({ strategy: 'replay', schedules: 1, kinds: ['page-leak'] });
    }
  });
});

describe('raceTest.only, .skip and .todo as a reporter sees them', () => {
  it('runs only the .only race of a file and reports the others as skipped and todo', () => {
    const fixture = fileURLToPath(new URL('./fixture/', import.meta.url));
    const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
    const dir = mkdtempSync(join(tmpdir(), 'pagecheck-example-'));
    try {
      const out = join(dir, 'report.json');
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(VITEST|PAGECHECK_|TEST$|NODE_ENV$|NODE_OPTIONS$)/.test(k)));
      // --allowOnly: under CI=true Vitest refuses .only unless told it is meant.
      const run = spawnSync(process.execPath, [vitest, 'run', '--allowOnly', '--reporter=json', `--outputFile=${out}`], { cwd: fixture, env: { ...env, NO_COLOR: '1' }, encoding: 'utf8' });
      expect(run.status, run.stdout + run.stderr).toBe(0);
      const report = JSON.parse(readFileSync(out, 'utf8')) as { testResults: { assertionResults: { title: string; status: string }[] }[] };
      const statuses = Object.fromEntries(report.testResults.flatMap((f) => f.assertionResults.map((t) => [t.title, t.status])));
      expect(statuses).toEqual({
        'runs alone with .only': 'passed',
        'does not run beside a .only test': 'skipped',
        'is reported as skipped': 'skipped',
        'is reported as todo': 'todo',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
