import { describe, expectTypeOf, it } from 'vitest';
import {
  createKernel, explore, runOnce, timeline, timelineHtml, GFP_KERNEL,
  type Exploration, type Failure, type Invariant, type InvariantResult, type Kernel, type KernelOverrides, type RaceSpec, type Timeline, type TimelineStep, type Violation, type ViolationKind,
} from '../src/index.js';

describe('public types', () => {
  it('types a race spec by its setup state', () => {
    const spec: RaceSpec<{ page: number }> = {
      name: 'typed',
      *setup(k) {
        const page = yield* k.alloc_pages(GFP_KERNEL, 0);
        return { page: page! };
      },
      threads: {
        *A(k, s) {
          expectTypeOf(s.page).toBeNumber();
          yield* k.__free_pages(s.page, 0);
        },
      },
    };
    expectTypeOf(explore(spec)).toEqualTypeOf<Exploration>();
    expectTypeOf(runOnce(spec, { replay: 'pc1.x.1.a' }).violations).toEqualTypeOf<readonly Violation[]>();
  });

  it('types kernel functions as generators with their results', () => {
    const k = createKernel();
    expectTypeOf(k).toEqualTypeOf<Kernel>();
    expectTypeOf(k.run(k.alloc_pages(GFP_KERNEL, 0))).toEqualTypeOf<number | null>();
    expectTypeOf(k.run(k.get_page_unless_zero(1))).toBeBoolean();
    // @ts-expect-error a kernel function takes its kernel arguments
    k.alloc_pages('GFP_KERNEL', 0);
  });

  it('types overrides against the function they replace', () => {
    const ok: KernelOverrides = {
      *__free_pages(k, page, order) {
        expectTypeOf(page).toBeNumber();
        if (yield* k.put_page_testzero(page)) yield* k.free_the_page(page, order);
      },
    };
    expectTypeOf(ok).toMatchTypeOf<KernelOverrides>();
    // @ts-expect-error there is no such kernel function
    const bad: KernelOverrides = { not_a_kernel_function: function* () {} };
    void bad;
  });

  it('types an invariant\'s check: a message, a structured result or nothing', () => {
    const atStep: Invariant = {
      name: 'head not shared',
      at: 'step',
      check(k) {
        const head = k.pfn(0);
        expectTypeOf(k.put_page).toBeFunction();
        return k.peek(head, 0) > 1 ? { message: 'shared', pfn: head } : undefined;
      },
    };
    const atEnd: Invariant = { name: 'free pages', check: (k) => (k.nrFreePages < 0 ? 'negative' : undefined) };
    expectTypeOf<ReturnType<Invariant['check']>>().toEqualTypeOf<string | InvariantResult | undefined | void>();
    expectTypeOf<InvariantResult>().toEqualTypeOf<{ readonly message: string; readonly pfn?: number }>();
    // @ts-expect-error a result needs a message
    const bad: Invariant = { name: 'bad', check: () => ({ pfn: 1 }) };
    void [atStep, atEnd, bad];
  });

  it('accepts only known violation kinds', () => {
    expectTypeOf<'double-free'>().toMatchTypeOf<ViolationKind>();
    // @ts-expect-error not a violation kind
    const k: ViolationKind = 'double-fre';
    void k;
  });

  it('types a failure timeline and its HTML', () => {
    const spec: RaceSpec = { name: 'typed', threads: { *A() {} } };
    const failure = explore(spec).failure;
    // @ts-expect-error a timeline is of a Failure, which an exploration may not have
    timeline(spec, failure);
    expectTypeOf(timeline(spec, failure!)).toEqualTypeOf<Timeline>();
    expectTypeOf<Parameters<typeof timeline>[1]>().toEqualTypeOf<Failure>();
    expectTypeOf<TimelineStep['op']>().toEqualTypeOf<'load' | 'store' | 'rmw' | 'lock' | 'unlock' | 'wait' | 'fence' | 'yield' | 'choice'>();
    expectTypeOf(timelineHtml([timeline(spec, failure!)], { title: 't' })).toBeString();
  });
});
