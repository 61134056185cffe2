import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Execution, type ThreadState } from '../../../src/engine/execution.js';
import { LOAD, LOCK, RMW, STORE, UNLOCK, type Op, type OpKind, type RmwKind } from '../../../src/engine/op.js';
import { Kernel, ViolationError, type KernelConfig } from '../../../src/kernel/kernel.js';
import { fastPath, KernelCall, stepwise } from '../../../src/kernel/sync-call.js';
import { __GFP_COMP, __GFP_ZERO, GFP_KERNEL, GFP_KERNEL_ACCOUNT } from '../../../src/kernel/gfp.js';
import type { KGen } from '../../../src/kernel/context.js';
import { explore } from '../../../src/explore.js';
import { planArb, specOf } from '../../fuzz/generated-specs.js';

/**
 * The sequential fast path (src/kernel/sync-call.ts, build/sync-twins.mjs) runs the kernel
 * functions' sync twins where no other thread can run. It must take exactly the steps the
 * generators take: these tests run random sequences of kernel calls through both paths and compare
 * every op with its result (and the call frames at it), the violations, the page histories and
 * the final memory.
 */

afterEach(() => {
  fastPath.enabled = true;
});

/** One step as a string: every field of the op, what the diagram shows of its result, the frames. */
type Logged = string;

/** An execution that logs every op it performs. */
class LoggingExecution extends Execution {
  readonly ops: Logged[] = [];
  frames: (() => readonly string[]) | undefined;

  constructor(record: boolean) {
    super({ name: 'logged', init: () => { throw new Error('not run by the engine'); } }, { record });
  }

  /** Inside `perform`: its op is logged whole there (every field), not again by the `perform*` it calls. */
  private inPerform = false;

  override perform(t: ThreadState, o: Op): number {
    this.inPerform = true;
    let v: number;
    try {
      v = super.perform(t, o);
    } finally {
      this.inPerform = false;
    }
    this.logStep(o, v);
    return v;
  }

  private logStep(o: Op, v: number): void {
    if (this.inPerform) return;
    const { show, pred, ...fields } = o;
    this.ops.push(`${JSON.stringify(fields)} -> ${v}${show === undefined ? '' : ` (${show(v)})`}${pred === undefined ? '' : ' pred'} @ ${this.frames?.().join(' > ') ?? ''}`);
  }

  // The sync twins' accessor steps make no op: each is logged as the op its fields describe, made as the machine makes it (src/machine/machine.ts).
  private static op(kind: OpKind, loc: number, a: number, b: number, rmw: RmwKind, paired: boolean, loc2: number, fn: string, arg: number, show: ((v: number) => string) | undefined): Op {
    return { kind, loc, a, b, rmw, paired, loc2, fn, arg, show, fence: undefined, pred: undefined };
  }

  override performLoad(t: ThreadState, loc: number, fn: string, arg: number, show: ((v: number) => string) | undefined): number {
    const v = super.performLoad(t, loc, fn, arg, show);
    this.logStep(LoggingExecution.op(LOAD, loc, 0, 0, 0, false, -1, fn, arg, show), v);
    return v;
  }

  override performStore(t: ThreadState, loc: number, value: number, paired: boolean, loc2: number, fn: string, arg: number): number {
    const v = super.performStore(t, loc, value, paired, loc2, fn, arg);
    this.logStep(LoggingExecution.op(STORE, loc, value, 0, 0, paired, loc2, fn, arg, undefined), v);
    return v;
  }

  override performRmw(t: ThreadState, loc: number, kind: RmwKind, a: number, b: number, fn: string, arg: number, show: ((v: number) => string) | undefined): number {
    const v = super.performRmw(t, loc, kind, a, b, fn, arg, show);
    this.logStep(LoggingExecution.op(RMW, loc, a, b, kind, false, -1, fn, arg, show), v);
    return v;
  }

  override performLock(t: ThreadState, loc: number, bits: number, fn: string, arg: number): number {
    const v = super.performLock(t, loc, bits, fn, arg);
    this.logStep(LoggingExecution.op(LOCK, loc, bits, 0, 0, false, -1, fn, arg, undefined), v);
    return v;
  }

  override performUnlock(t: ThreadState, loc: number, bits: number, fn: string, arg: number): number {
    const v = super.performUnlock(t, loc, bits, fn, arg);
    this.logStep(LoggingExecution.op(UNLOCK, loc, bits, 0, 0, false, -1, fn, arg, undefined), v);
    return v;
  }
}

const GFPS = [GFP_KERNEL, GFP_KERNEL | __GFP_COMP, GFP_KERNEL_ACCOUNT, GFP_KERNEL | __GFP_ZERO, GFP_KERNEL_ACCOUNT | __GFP_COMP];

/** A kernel call on a page: `page` picks an allocated page (an index into the live ones) or, past them, any pfn. */
type Command =
  | { readonly op: 'alloc'; readonly gfp: number; readonly order: number }
  | { readonly op: 'free' | 'get_page' | 'put_page' | 'lock_page' | 'unlock_page' | 'trylock_page' | 'split_page' | 'folio_put' | 'page_count' | 'get_page_unless_zero' | 'spin_lock_zone'; readonly page: number; readonly order: number };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('alloc' as const), gfp: fc.constantFrom(...GFPS), order: fc.integer({ min: 0, max: 3 }) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constantFrom('free' as const, 'get_page' as const, 'put_page' as const, 'lock_page' as const, 'unlock_page' as const, 'trylock_page' as const, 'split_page' as const, 'folio_put' as const, 'page_count' as const, 'get_page_unless_zero' as const, 'spin_lock_zone' as const),
      page: fc.integer({ min: 0, max: 40 }),
      order: fc.integer({ min: 0, max: 3 }),
    }),
  },
);

/** Kernels the commands run on: plain, with per-cpu lists, without memcg, with a variant's wrapper and override. */
const CONFIGS: readonly (() => KernelConfig)[] = [
  () => ({ pages: 32 }),
  () => ({ pages: 32, pcp: { high: 4, batch: 2 } }),
  () => ({ pages: 16, memcg: false, history: false }),
  () => ({
    pages: 32,
    wrap: {
      free_the_page: (original) => function* (page: number, order: number) {
        yield* original(page, order);
      },
    },
    overrides: {
      *page_ref_inc(k: Kernel, page: number) {
        const v: number = yield k.ld(page, 0, 'page_ref_inc (override): read');
        yield k.st32(page, 0, v + 1, 'page_ref_inc (override): write');
      },
    },
  }),
];

interface Outcome {
  readonly log: readonly Logged[];
  readonly results: readonly string[];
  readonly violations: string;
  readonly words: readonly number[];
  readonly histories: string;
}

/** Runs the commands with `k.run` on a fresh kernel, with the fast path on or off. */
function runCommands(config: KernelConfig, record: boolean, commands: readonly Command[], fast: boolean): Outcome {
  fastPath.enabled = fast;
  const exec = new LoggingExecution(record);
  const k = new Kernel(config, exec);
  exec.attach(k.m.memory);
  if (record) exec.frames = () => k.framesOf(-1);
  const live: { page: number; order: number }[] = [];
  const results: string[] = [];
  const lock = k.zone.lock;
  for (const c of commands) {
    const target = c.op === 'alloc' ? 0 : c.page < live.length ? live[c.page]!.page : k.m.startPfn - 2 + c.page;
    const call = (): KGen<unknown> => {
      switch (c.op) {
        case 'alloc': return k.alloc_pages(c.gfp, c.order);
        case 'free': return k.__free_pages(target, c.page < live.length ? live[c.page]!.order : c.order);
        case 'get_page': return k.get_page(target);
        case 'put_page': return k.put_page(target);
        case 'lock_page': return k.lock_page(target);
        case 'unlock_page': return k.unlock_page(target);
        case 'trylock_page': return k.trylock_page(target);
        case 'split_page': return k.split_page(target, c.order);
        case 'folio_put': return k.folio_put(target);
        case 'page_count': return k.page_count(target);
        case 'get_page_unless_zero': return k.get_page_unless_zero(target);
        case 'spin_lock_zone': return k.spin_lock(lock);
      }
    };
    try {
      const r = k.run(call());
      results.push(`ok ${String(r)}`);
      if (c.op === 'alloc' && typeof r === 'number') live.push({ page: r, order: c.order });
    } catch (e) {
      results.push(e instanceof ViolationError ? `violation ${e.violation.kind}` : `threw ${String(e)}`);
    }
    // The model's frames after each call: a call that ends leaves none behind, whichever path ran it.
    if (record) results.push(`frames ${k.framesOf(-1).join(' > ')}`);
  }
  const histories: string[] = [];
  for (let i = 0; i < k.m.nrPages; i++) histories.push(JSON.stringify(k.shadow.historyOf(k.m.startPfn + i)));
  return { log: exec.ops, results, violations: JSON.stringify(k.violations), words: Array.from(k.m.words), histories: histories.join('\n') };
}

describe('the sequential fast path (sync twins)', () => {
  it('takes the same steps with the same results as the generators, on random sequences of kernel calls', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: CONFIGS.length - 1 }), fc.boolean(), fc.array(commandArb, { minLength: 1, maxLength: 30 }), (ci, record, commands) => {
        const slow = runCommands(CONFIGS[ci]!(), record, commands, false);
        const fast = runCommands(CONFIGS[ci]!(), record, commands, true);
        expect(fast.results).toEqual(slow.results);
        expect(fast.log).toEqual(slow.log);
        expect(fast.violations).toBe(slow.violations);
        expect(fast.histories).toBe(slow.histories);
        expect(fast.words).toEqual(slow.words);
      }),
      { numRuns: 300 },
    );
  });

  it('runs sync twins in k.run, and the generators in threads and by hand', () => {
    const k = new Kernel({ pages: 16 });
    const call = k.alloc_pages(GFP_KERNEL, 0);
    expect(call).toBeInstanceOf(KernelCall);
    // Lazy: nothing runs before the call is iterated.
    const before = k.nrFreePages;
    expect(k.nrFreePages).toBe(before);
    // Driven by hand outside k.run: one op per next(), as a thread sees it.
    const byHand = k.__free_pages(k.run(call)!, 0);
    let r = byHand.next(0);
    let steps = 0;
    while (r.done !== true) {
      steps++;
      r = byHand.next(k.exec.perform({ id: -1, name: 'hand', daemon: false, gen: undefined as never, pending: undefined, done: false, steps: 0, lastLoadLoc: -1, lastLoadStep: -1, lastLoadValue: 0 }, r.value));
    }
    expect(steps).toBeGreaterThan(5);
    expect(k.nrFreePages).toBe(before);
    // In k.run, a kernel call run at once yields nothing to a generator that iterates it; stepwise() yields its steps.
    const seen: Op[][] = [[], []];
    for (const [i, wrap] of [[0, (g: KGen<number | null>) => g], [1, stepwise]] as const) {
      k.run((function* () {
        const g = wrap(k.alloc_pages(GFP_KERNEL, 0));
        let x = g.next(0);
        while (x.done !== true) {
          seen[i]!.push(x.value);
          x = g.next(yield x.value);
        }
        if (x.value !== null) yield* k.__free_pages(x.value, 0);
      })());
    }
    expect(seen[0]).toEqual([]);
    expect(seen[1]!.length).toBeGreaterThan(5);
    expect(k.nrFreePages).toBe(before);
    expect(k.violations).toEqual([]);
  });

  it('reports a step performed at once outside a sequential run', () => {
    const k = new Kernel({ pages: 16 });
    expect(() => k.exec.stepSequential(k.m.yieldOp('x'))).toThrow(/outside a sequential run/);
  });

  it('finds the same violations, schedules and failing traces in explorations of generated races (setup and teardown run at once)', () => {
    fc.assert(
      fc.property(planArb(), fc.integer({ min: 1, max: 1000 }), (plan, seed) => {
        const spec = { ...specOf(plan), *teardown(k: Kernel, s: { readonly pages: readonly number[] }) {
          // Teardown drops the setup's references: kernel code that runs at once in the fast path.
          for (const p of s.pages) if ((yield* k.page_count(p)) > 0) yield* k.put_page(p);
        } };
        const run = (fast: boolean) => {
          fastPath.enabled = fast;
          const x = explore(spec, { strategy: 'random', seed, maxSchedules: 30, stopOnFirst: false, ...(plan.failAlloc ? { failAlloc: 'explore' as const } : {}) });
          return JSON.stringify({ kinds: x.kinds, schedules: x.schedules, pruned: x.pruned, violations: x.violations, failures: x.failures.map((f) => [f.replay, f.diagram, f.report, f.schedule, f.steps]) });
        };
        expect(run(true)).toBe(run(false));
      }),
      { numRuns: 40 },
    );
  });
});
