import type { Exploration, RaceSpec, Run, ViolationKind } from '@pagecheck/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { PagecheckMatchers } from '../src/index.js';
import { pagecheckMatchers } from '../src/index.js';
import '../src/setup.js';

declare const exploration: Exploration;
declare const run: Run;
declare const spec: RaceSpec<{ p: number }>;

describe('the matcher types', () => {
  it('adds the matchers to expect(exploration), returning void', () => {
    expectTypeOf(expect(exploration).toNotLeakPages()).toEqualTypeOf<void>();
    expectTypeOf(expect(exploration).toNotDoubleFree()).toEqualTypeOf<void>();
    expectTypeOf(expect(exploration).toNotUseAfterFree()).toEqualTypeOf<void>();
    expectTypeOf(expect(run).toBalanceMemcg()).toEqualTypeOf<void>();
    expectTypeOf(expect(spec).toHaveNoViolations()).toEqualTypeOf<void>();
    expectTypeOf(expect(exploration).toViolate('page-leak')).toEqualTypeOf<void>();
  });

  it('has them under .not', () => {
    expectTypeOf(expect(exploration).not.toViolate('double-free')).toEqualTypeOf<void>();
    expectTypeOf(expect(exploration).not.toHaveNoViolations()).toEqualTypeOf<void>();
  });

  it('returns a promise after .resolves', () => {
    expectTypeOf(expect(Promise.resolve(exploration)).resolves.toNotLeakPages()).toEqualTypeOf<Promise<void>>();
  });

  it('takes a ViolationKind in toViolate and rejects anything else', () => {
    expectTypeOf(expect(exploration).toViolate).parameter(0).toEqualTypeOf<ViolationKind>();
    // @ts-expect-error 'not-a-kind' is not a ViolationKind
    expect(exploration).toViolate('not-a-kind');
    // @ts-expect-error toViolate needs a kind
    expect(exploration).toViolate();
    // @ts-expect-error toNotLeakPages takes no kind, only { allowIncomplete }
    expect(exploration).toNotLeakPages('page-leak');
  });

  it('takes { allowIncomplete } in the absence matchers, and nothing else', () => {
    expectTypeOf(expect(exploration).toNotDoubleFree({ allowIncomplete: true })).toEqualTypeOf<void>();
    expectTypeOf(expect(spec).toHaveNoViolations({ allowIncomplete: false })).toEqualTypeOf<void>();
    expectTypeOf(expect(exploration).toBalanceMemcg({})).toEqualTypeOf<void>();
    // @ts-expect-error allowIncomplete is a boolean
    expect(exploration).toNotUseAfterFree({ allowIncomplete: 'yes' });
  });

  it('gives asymmetric matchers on expect', () => {
    expectTypeOf(expect.toViolate).parameter(0).toEqualTypeOf<ViolationKind>();
  });

  it('types the exported matchers object for expect.extend', () => {
    expect.extend(pagecheckMatchers);
    expectTypeOf(pagecheckMatchers).toHaveProperty('toViolate');
    expectTypeOf<PagecheckMatchers<void>['toViolate']>().toEqualTypeOf<(kind: ViolationKind) => void>();
  });
});
