import { describe, expect, it } from 'vitest';
import { explore } from '../../../src/explore.js';
import { runOnce } from '../../../src/run-once.js';
import { createKernel } from '../../../src/kernel/kernel.js';
import { GFP_KERNEL } from '../../../src/kernel/gfp.js';
import { REFCOUNT } from '../../../src/machine/layout.js';
import { checkInvariant, invariantCheckers, validateInvariants, type Invariant } from '../../../src/checkers/invariant.js';
import type { RaceSpec } from '../../../src/spec.js';

/** Setup allocates the zone's first page; thread A takes a second reference and never drops it (a leak at teardown). */
function leakyGet(invariants: readonly Invariant[]): RaceSpec<{ readonly p: number }> {
  return {
    name: 'get_page without put_page',
    kernel: { pages: 8, invariants },
    *setup(k) {
      const p = (yield* k.alloc_pages(GFP_KERNEL, 0))!;
      k.name(p, 'P0');
      return { p };
    },
    threads: {
      *A(k, s) {
        yield* k.get_page(s.p);
        yield* k.page_ref_count(s.p);
        yield* k.page_ref_count(s.p);
      },
    },
  };
}

/** An every-step invariant: the zone's first page holds at most one reference; names the page. */
function oneReference(seen: number[]): Invariant {
  return {
    name: 'one reference',
    at: 'step',
    check(k) {
      seen.push(k.exec.step);
      const p = k.pfn(0);
      const refs = k.peek(p, REFCOUNT);
      if (refs > 1) return { message: `${k.describe(p)} has ${refs} references`, pfn: p };
    },
  };
}

describe('an every-step invariant', () => {
  it('stops the run at the step it fails at, with the page and its history', () => {
    const seen: number[] = [];
    const run = runOnce(leakyGet([oneReference(seen)]));
    // The run stopped at the failing step: the teardown's page-leak is never reached.
    expect(run.kinds).toEqual(['invariant']);
    expect(run.violations).toHaveLength(1);
    const v = run.violations[0]!;
    expect(v).toMatchObject({ kind: 'invariant', invariant: 'one reference', message: 'one reference: P0 has 2 references', thread: 'A', pfn: createKernel({ pages: 8 }).pfn(0) });
    // The history is the page's up to the failing step (get_page notes its event once its step returns).
    expect(v.history!.map((e) => e.what)).toEqual(['page allocated via order 0, gfp_mask GFP_KERNEL']);
    // Checked after every step, and the run has no step after the failing one.
    expect(run.failures[0]!.steps).toBe(v.step);
    expect(Math.max(...seen)).toBe(v.step);
    expect(new Set(seen)).toEqual(new Set(Array.from({ length: v.step }, (_, i) => i + 1)));
  });

  it('is found by explore and replays to the same violation', () => {
    const spec = leakyGet([oneReference([])]);
    const run = explore(spec, { strategy: 'exhaustive' });
    expect(run.kinds).toEqual(['invariant']);
    const again = runOnce(spec, { replay: run.failure!.replay });
    expect(again.violations[0]).toMatchObject({ kind: 'invariant', pfn: run.violations[0]!.pfn, step: run.violations[0]!.step });
  });

  it('that holds lets the run go on to its teardown checks', () => {
    const holds: Invariant = { name: 'nothing wrong', at: 'step', check: () => undefined };
    expect(runOnce(leakyGet([holds])).kinds).toEqual(['page-leak']);
  });
});

describe('an invariant that throws', () => {
  it('is a violation naming the invariant, with the thrown error kept', () => {
    const boom = new RangeError('no such page');
    const throws: Invariant = {
      name: 'throws',
      at: 'step',
      check() {
        throw boom;
      },
    };
    const run = runOnce(leakyGet([throws]));
    expect(run.violations).toHaveLength(1);
    expect(run.violations[0]).toMatchObject({ kind: 'invariant', invariant: 'throws', message: 'throws: the check threw RangeError: no such page', step: 1 });
    expect(run.violations[0]!.error).toBe(boom);
  });

  it('at teardown is reported beside the built-in checks', () => {
    const throws: Invariant = {
      name: 'throws at teardown',
      check() {
        throw new Error('oops');
      },
    };
    const run = runOnce(leakyGet([throws]));
    expect(run.violations.map((v) => v.kind)).toEqual(['page-leak', 'invariant']);
    expect(run.violations[1]!.message).toBe('throws at teardown: the check threw Error: oops');
  });
});

describe('a structured invariant result', () => {
  it('gives the violation its pfn and the page history at teardown', () => {
    const atEnd: Invariant = {
      name: 'first page single',
      check: (k) => (k.peek(k.pfn(0), REFCOUNT) > 1 ? { message: 'still shared', pfn: k.pfn(0) } : undefined),
    };
    const v = runOnce(leakyGet([atEnd])).violations.find((x) => x.kind === 'invariant')!;
    expect(v).toMatchObject({ invariant: 'first page single', message: 'first page single: still shared', thread: 'teardown' });
    expect(v.pfn).toBe(createKernel({ pages: 8 }).pfn(0));
    expect(v.history!.length).toBe(2);
  });

  it('without a pfn is a violation without a page', () => {
    const atEnd: Invariant = { name: 'always', check: () => ({ message: 'no page' }) };
    const v = runOnce(leakyGet([atEnd])).violations.find((x) => x.kind === 'invariant')!;
    expect(v.pfn).toBeUndefined();
    expect(v.history).toBeUndefined();
  });

  it('of another shape is reported as what the check returned', () => {
    const odd = { name: 'odd', check: () => 42 } as unknown as Invariant;
    const v = runOnce(leakyGet([odd])).violations.find((x) => x.kind === 'invariant')!;
    expect(v.message).toBe('odd: check returned 42; return a message, { message, pfn }, or undefined when the invariant holds');
  });
});

describe('kernel.invariants', () => {
  it('rejects an invariant without a check, naming it', () => {
    expect(() => createKernel({ invariants: [{ name: 'no check' } as unknown as Invariant] })).toThrow(
      "kernel.invariants[0] (no check): check must be a function (k) => message | { message, pfn } | undefined",
    );
  });

  it('rejects an unknown at', () => {
    expect(() => createKernel({ invariants: [{ name: 'x', at: 'always', check: () => undefined } as unknown as Invariant] })).toThrow(/at must be 'teardown' or 'step', got always/);
  });
});

describe('teardown invariants', () => {
  it('runs custom invariants and reports the ones that fail', () => {
    const k = createKernel({
      pages: 16,
      invariants: [
        { name: 'always-fine', check: () => undefined },
        { name: 'no-allocations', check: (k) => (k.nrFreePages === 16 ? undefined : `${16 - k.nrFreePages} page(s) allocated`) },
        { name: 'per-step-only', at: 'step', check: () => 'not run at teardown' },
      ],
    });
    k.run(k.alloc_pages(GFP_KERNEL, 1));
    k.finalChecks();
    const inv = k.violations.filter((v) => v.kind === 'invariant');
    expect(inv).toHaveLength(1);
    expect(inv[0]!.invariant).toBe('no-allocations');
    expect(inv[0]!.message).toBe('no-allocations: 2 page(s) allocated');
  });
});

describe('validateInvariants', () => {
  it('takes no invariants, and an array of well-formed ones as they are', () => {
    expect(validateInvariants(undefined)).toEqual([]);
    const ok: Invariant[] = [{ name: 'a', check: () => undefined }, { name: 'b', at: 'step', check: () => undefined }, { name: 'c', at: 'teardown', check: () => undefined }];
    expect(validateInvariants(ok)).toBe(ok);
  });

  it('names what is wrong with the first bad invariant', () => {
    const bad = (invariants: unknown): (() => unknown) => () => validateInvariants(invariants);
    expect(bad({ name: 'x' })).toThrow(new TypeError('kernel.invariants must be an array of { name, check(k), at? }, got object'));
    expect(bad([null])).toThrow(new TypeError('kernel.invariants[0] must be an object { name, check(k), at? }, got null'));
    expect(bad([{ name: 'ok', check: () => undefined }, 7])).toThrow(new TypeError('kernel.invariants[1] must be an object { name, check(k), at? }, got 7'));
    expect(bad([{ name: '', check: () => undefined }])).toThrow(new TypeError('kernel.invariants[0] needs a non-empty name'));
    expect(bad([{ name: 3, check: () => undefined }])).toThrow(new TypeError('kernel.invariants[0] needs a non-empty name'));
    expect(bad([{ name: 'x', at: 'always', check: () => undefined }])).toThrow(new TypeError("kernel.invariants[0] (x): at must be 'teardown' or 'step', got always"));
  });
});

describe('checkInvariant', () => {
  // Kernels are made inside each test: code run while tests are collected is outside every test (Stryker's perTest coverage).
  let k: ReturnType<typeof createKernel>;
  const run = (check: Invariant['check']) => {
    k = createKernel({ pages: 8 });
    return checkInvariant(k, { name: 'inv', check });
  };

  it('holds for undefined, null and an empty message', () => {
    expect(run(() => undefined)).toBeUndefined();
    expect(run(() => null as unknown as undefined)).toBeUndefined();
    expect(run(() => '')).toBeUndefined();
  });

  it('reports a non-Error throw as its text', () => {
    expect(run(() => { throw 'plain'; })).toMatchObject({ kind: 'invariant', invariant: 'inv', message: 'inv: the check threw plain', error: 'plain', thread: k.threadName(), step: k.exec.step });
  });

  it('reports an object without a message string as what the check returned', () => {
    expect(run(() => ({ message: 5 }) as unknown as string)).toMatchObject({ kind: 'invariant', message: 'inv: check returned [object Object]; return a message, { message, pfn }, or undefined when the invariant holds' });
    expect(run(() => true as unknown as string)).toMatchObject({ message: 'inv: check returned true; return a message, { message, pfn }, or undefined when the invariant holds', error: true });
  });

  it('gives { message } no page and { message, pfn } the page', () => {
    expect(run(() => ({ message: 'm' }))).toEqual({ kind: 'invariant', message: 'inv: m', invariant: 'inv', thread: k.threadName(), step: k.exec.step });
    const v = run(() => ({ message: 'm', pfn: k.pfn(1) }))!;
    expect(v).toMatchObject({ message: 'inv: m', pfn: k.pfn(1) });
    expect(v.history).toEqual([]);
  });
});

describe('invariantCheckers', () => {
  it('makes a step checker only for step invariants and a teardown checker only for teardown ones', () => {
    const step: Invariant = { name: 's', at: 'step', check: () => undefined };
    const end: Invariant = { name: 'e', check: () => undefined };
    expect(invariantCheckers([]).map((c) => c.name)).toEqual([]);
    expect(invariantCheckers([step]).map((c) => c.name)).toEqual(['invariants (every step)']);
    expect(invariantCheckers([end]).map((c) => c.name)).toEqual(['invariants (teardown)']);
    expect(invariantCheckers([end, step]).map((c) => [c.name, c.afterStep !== undefined, c.atEnd !== undefined])).toEqual([
      ['invariants (every step)', true, false],
      ['invariants (teardown)', false, true],
    ]);
  });

  it('reports every failing teardown invariant, in order, and only the first failing step invariant', () => {
    const k = createKernel({
      pages: 8,
      invariants: [
        { name: 'end1', check: () => 'one' },
        { name: 'end2', check: () => undefined },
        { name: 'end3', check: () => 'three' },
      ],
    });
    k.finalChecks();
    expect(k.violations.map((v) => v.message)).toEqual(['end1: one', 'end3: three']);
    const [checker] = invariantCheckers([
      { name: 'fine', at: 'step', check: () => undefined },
      { name: 's1', at: 'step', check: () => 'first' },
      { name: 's2', at: 'step', check: () => 'second' },
    ]);
    const k2 = createKernel({ pages: 8 });
    checker!.afterStep!(k2);
    expect(k2.violations.map((v) => [v.kind, v.message])).toEqual([['invariant', 's1: first']]);
  });
});
