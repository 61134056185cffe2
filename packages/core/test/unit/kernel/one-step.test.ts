import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kernel } from '../../../src/kernel/kernel.js';
import { setOneStepCalls } from '../../../src/kernel/functions.js';
import { explore } from '../../../src/explore.js';
import { GFP_KERNEL, __GFP_COMP } from '../../../src/kernel/gfp.js';
import type { KGen } from '../../../src/kernel/context.js';
import { planArb, specOf } from '../../fuzz/generated-specs.js';
import { addSyncTwins } from '../../../build/sync-twins.mjs';

/**
 * One-step kernel functions (build/leaf-ops.mjs) are called from threads without a generator of their
 * own: the caller yields their op. These tests check which functions the build takes as one step, that
 * explorations are the same with and without it (every op, schedule count and violation), and that a
 * variant replacing a one-step function still has its replacement called.
 */

afterEach(() => {
  setOneStepCalls(Kernel.prototype, true);
});

function transform(source: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'one-step-'));
  try {
    // The transform reads the kernel modules of the file's folder; the folder must look like packages/core/src/kernel.
    const kdir = path.join(dir, 'packages', 'core', 'src', 'kernel');
    const file = path.join(kdir, 'mod.ts');
    mkdirSync(kdir, { recursive: true });
    writeFileSync(file, source);
    return addSyncTwins(source, file) as string;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('one-step kernel functions', () => {
  it('are the functions whose body takes exactly one step as a statement of its own', () => {
    const out = transform(`
const K = 3;
export const mod = {
  *raw(this: Kernel, page: number): KGen<number> { return yield this.ld(page, 0, 'raw'); },
  *plain(this: Kernel, page: number): KGen<void> { this.checkLive(page, 'plain'); yield this.st(page, 0, 1, 'plain'); },
  *after(this: Kernel, page: number, nr: number): KGen<boolean> { const v: number = yield this.ld(page, 0, 'after'); return (v & nr) !== 0; },
  *via(this: Kernel, page: number): KGen<boolean> { return yield* this.after(page, K); },
  *two(this: Kernel, page: number): KGen<number> { const a: number = yield this.ld(page, 0, 'a'); return a + (yield this.ld(page, 1, 'b')); },
  *early(this: Kernel, page: number): KGen<number> { if (page < 0) return 0; return yield this.ld(page, 0, 'early'); },
  *declBefore(this: Kernel, page: number): KGen<number> { const p = page + 1; const v: number = yield this.ld(p, 0, 'd'); return v + p; },
  *impure(this: Kernel, page: number): KGen<boolean> { return yield* this.after(page + 1, K); },
  *hoist(this: Kernel, page: number): KGen<number> { if (page > 0) { var q = page; } const v: number = yield this.ld(page, 0, 'h'); return v + q; },
  *caller(this: Kernel, page: number): KGen<number> { if (yield* this.via(page)) yield* this.plain(page); return yield* this.raw(page); },
};`);
    for (const f of ['raw', 'plain', 'after', 'via']) expect(out).toContain(`${f}$op(`);
    for (const f of ['two', 'early', 'declBefore', 'impure', 'hoist', 'caller']) expect(out).not.toContain(`${f}$op(`);
    expect(out).toContain('after$ret(');
    expect(out).not.toContain('raw$ret(');
    expect(out).toContain('via$via: "after"');
    // The call sites: the op yielded when the function is not replaced on the kernel, its generator when it is.
    expect(out).toContain('(this.raw$fast ? (yield this.raw$op(page)) : (yield this.raw$g(page)))');
    expect(out).toContain('(this.plain$fast ? ((yield this.plain$op(page)), undefined) : (yield this.plain$g(page)))');
    expect(out).toMatch(/this\.via\$fast \? \(\$\$0 = \(page\), this\.via\$ret\(\$\$0, yield this\.via\$op\(\$\$0\)\)\)/);
    // The code before the step runs before the op is yielded, the code after it gets the step's result.
    expect(out).toContain("plain$op(this: Kernel, page: number) { this.checkLive(page, 'plain'); return this.st(page, 0, 1, 'plain'); }");
    expect(out).toContain('after$ret(this: Kernel, page: number, nr: number, $v) { let v: number = $v; return (v & nr) !== 0; }');
  });

  it('are called without their generators unless turned off', () => {
    const proto = Kernel.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
    const gen = proto['compound_head$g']!;
    let made = 0;
    proto['compound_head$g'] = function (this: unknown, ...a: unknown[]) {
      made++;
      return gen.apply(this, a);
    };
    try {
      const spec = { name: 'page_count', kernel: { pages: 16 }, threads: { *a(k: Kernel) { yield* k.page_count(k.pfn(0)); }, *b(k: Kernel) { yield* k.page_count(k.pfn(1)); } } };
      const counts = [true, false].map((on) => {
        setOneStepCalls(Kernel.prototype, on);
        made = 0;
        explore(spec, { strategy: 'random', seed: 1, maxSchedules: 5 });
        return made;
      });
      expect(counts).toEqual([0, 10]);
    } finally {
      proto['compound_head$g'] = gen;
    }
  });

  it('take the same steps in explorations of generated races, with the same schedules and violations', () => {
    fc.assert(
      fc.property(planArb(), fc.integer({ min: 1, max: 1000 }), fc.constantFrom('random', 'exhaustive'), (plan, seed, strategy) => {
        const spec = specOf(plan);
        const run = (on: boolean): string => {
          setOneStepCalls(Kernel.prototype, on);
          const x = explore(spec, { strategy, seed, maxSchedules: strategy === 'random' ? 30 : 2000, stopOnFirst: false, ...(plan.failAlloc ? { failAlloc: 'explore' as const } : {}) });
          return JSON.stringify({ kinds: x.kinds, schedules: x.schedules, pruned: x.pruned, complete: x.complete, violations: x.violations, failures: x.failures.map((f) => [f.replay, f.diagram, f.report, f.schedule, f.steps]) });
        };
        expect(run(true)).toBe(run(false));
      }),
      { numRuns: 40 },
    );
  });

  it('call a variant\'s replacement of a one-step function, and of one it goes through', () => {
    const calls: string[] = [];
    const x = explore({
      name: 'one-step wrap',
      kernel: {
        pages: 16,
        wrap: {
          // PageHead goes through test_page_bit; compound_head is one step of its own.
          test_page_bit: (original, k) => function* (...args: unknown[]) {
            if (k.exec.phase === 'threads') calls.push(`test_page_bit ${String(args[2])}`);
            return yield* (original as (...a: unknown[]) => KGen<boolean>)(...args);
          },
          compound_head: (original, k) => function* (...args: unknown[]) {
            if (k.exec.phase === 'threads') calls.push('compound_head');
            return yield* (original as (...a: unknown[]) => KGen<number>)(...args);
          },
        },
      },
      *setup(k) {
        const page = yield* k.alloc_pages(GFP_KERNEL | __GFP_COMP, 1);
        if (page === null) throw new Error('setup: no page');
        return { page };
      },
      threads: {
        *a(k, s) {
          yield* k.compound_order(s.page);
        },
        *b(k, s) {
          yield* k.page_count(s.page + 1);
        },
      },
      *teardown(k, s) {
        yield* k.__free_pages(s.page, 1);
      },
    }, { strategy: 'random', seed: 1, maxSchedules: 3, stopOnFirst: false });
    expect(x.violations).toEqual([]);
    expect(x.schedules).toBe(3);
    expect(calls.filter((c) => c === 'test_page_bit PageHead')).toHaveLength(3);
    expect(calls.filter((c) => c === 'compound_head')).toHaveLength(3);
  });
});
