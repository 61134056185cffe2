import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explore } from '../../../src/explore.js';
import type { RaceSpec } from '../../../src/spec.js';
import { GFP_KERNEL } from '../../../src/kernel/gfp.js';
import { userFrames } from '../../../src/report/stack-frames.js';
import { formatThrownAt } from '../../../src/report/thrown-at.js';

const HERE = fileURLToPath(import.meta.url);
const SOURCE = readFileSync(HERE, 'utf8').split('\n');

function checkOrder(n: number): void {
  if (n > 0) throw new RangeError(`order ${n} too large for this test`);
}

const throwsInThread: RaceSpec = {
  name: 'a thread throws',
  kernel: { pages: 8 },
  threads: {
    *A(k) {
      yield* k.alloc_pages(GFP_KERNEL, 0);
      checkOrder(3);
    },
    *B() {},
  },
};

const throwsInSetup: RaceSpec = {
  name: 'setup throws',
  kernel: { pages: 8 },
  setup() {
    throw new Error('setup cannot find its page');
  },
  threads: { *A() {} },
};

/** The `file:line:col` of each frame the report names in this file. */
const framesHere = (report: string): { line: number; column: number }[] =>
  [...report.matchAll(/thrown-at\.test\.ts:(\d+):(\d+)/g)].map((m) => ({ line: Number(m[1]), column: Number(m[2]) }));

describe('a thread-error report', () => {
  it('names the user\'s own frames, innermost first, and shows the throwing line with a caret', () => {
    const report = explore(throwsInThread).failure!.report;
    expect(report).toMatch(/^thread-error: thread A threw RangeError: order 3 too large/);
    expect(report).toContain('thrown at:\n  checkOrder (packages/core/test/unit/report/thrown-at.test.ts:');
    const [inner, outer] = framesHere(report);
    expect(SOURCE[inner!.line - 1]).toContain('throw new RangeError');
    expect(SOURCE[outer!.line - 1]).toContain('checkOrder(3);');
    // The code frame: the line marked '>', its number, and a caret under the column of the throw.
    const marked = report.split('\n').findIndex((l) => l.startsWith(`> ${inner!.line}| `));
    expect(report.split('\n')[marked]).toContain("if (n > 0) throw new RangeError(`order ${n} too large for this test`);");
    const caret = report.split('\n')[marked + 1]!;
    expect(caret.indexOf('^') - caret.indexOf('|') - 2).toBe(inner!.column - 1);
    // The engine's and the model's frames stay out of it.
    expect(report).not.toMatch(/thrown at:[\s\S]*(execution\.ts|run-schedule\.ts|node_modules)[\s\S]*race diagram/);
    expect(report.indexOf('thrown at:')).toBeLessThan(report.indexOf('race diagram'));
  });

  it('names the setup function that threw', () => {
    const report = explore(throwsInSetup).failure!.report;
    const [where] = framesHere(report);
    expect(SOURCE[where!.line - 1]).toContain("throw new Error('setup cannot find its page');");
    expect(report).toContain(`> ${where!.line}| `);
  });

  it('has no thrown-at section for an error the engine raised itself', () => {
    const yieldsNonOp: RaceSpec = { name: 'yields a number', threads: { *A() { yield 1 as never; } } };
    const f = explore(yieldsNonOp).failure!;
    expect(f.violation.message).toContain('not a pagecheck op');
    expect(f.report).not.toContain('thrown at:');
  });
});

describe('userFrames', () => {
  const root = resolve(HERE, '../../../..');
  const stack = [
    'Error: boom',
    `    at BUG_ON (${root}/src/kernel/bug.ts:3:9)`,
    `    at free_pages (${root}/dist/index.js:10:2)`,
    '    at helper (/home/u/proj/test/a.test.ts:4:20)',
    '    at A (file:///home/u/proj/test/a.test.ts:10:41)',
    '    at A.next (<anonymous>)',
    `    at Execution.advance (${root}/src/engine/execution.ts:320:17)`,
    '    at /home/u/proj/node_modules/vitest/dist/x.js:1:1',
  ].join('\n');
  const error = Object.assign(new Error('boom'), { stack });

  it('skips the model\'s frames on top and stops where pagecheck resumes the thread', () => {
    expect(userFrames(error)).toEqual([
      { fn: 'helper', file: '/home/u/proj/test/a.test.ts', line: 4, column: 20 },
      { fn: 'A', file: '/home/u/proj/test/a.test.ts', line: 10, column: 41 },
    ]);
  });

  it('is empty for a value that is not an Error, and a missing file gives frames without a code frame', () => {
    expect(userFrames('boom')).toEqual([]);
    expect(formatThrownAt(error)).toBe('thrown at:\n  helper (/home/u/proj/test/a.test.ts:4:20)\n  A (/home/u/proj/test/a.test.ts:10:41)');
  });
});
