import { describe, expect, it } from 'vitest';
import { encodeToken, ReplayTokenError } from '../../src/engine/token.js';
import type { Exploration } from '../../src/exploration.js';
import { explore } from '../../src/explore.js';
import { runOnce } from '../../src/run-once.js';
import { specFingerprint } from '../../src/spec-fingerprint.js';
import { GFP_KERNEL, __GFP_COMP } from '../../src/kernel/gfp.js';
import type { RaceSpec } from '../../src/spec.js';

interface S {
  readonly p: number;
}

/**
 * A speculative reference (get_page_unless_zero) racing __free_pages of a
 * compound order-1 page, where __free_pages reads PageHead after its put:
 * if the other thread freed the whole page meanwhile, the tail is freed again.
 */
const speculative: RaceSpec<S> = {
  name: 'speculative reference vs __free_pages',
  kernel: {
    pages: 8,
    overrides: {
      *__free_pages(k, page, order) {
        if (yield* k.put_page_testzero(page)) yield* k.free_the_page(page, order);
        else if (!(yield* k.PageHead(page))) while (order-- > 0) yield* k.free_the_page(page + (1 << order), order);
      },
    },
  },
  *setup(k) {
    const p = yield* k.alloc_pages(GFP_KERNEL | __GFP_COMP, 1);
    if (p === null) throw new Error('no page');
    return { p };
  },
  threads: {
    *speculative(k, s) {
      if (yield* k.get_page_unless_zero(s.p)) yield* k.put_page(s.p);
    },
    *freer(k, s) {
      yield* k.__free_pages(s.p, 1);
    },
  },
};

/** An Exploration without its timing. */
function timeless(r: Exploration): Omit<Exploration, 'elapsedMs'> {
  const { elapsedMs: _elapsed, ...rest } = r;
  return rest;
}

describe('explore and runOnce (page level)', () => {
  const found = explore(speculative);

  it('finds the double free exhaustively', () => {
    expect(found.kinds).toEqual(['double-free']);
    expect(found.strategy).toBe('exhaustive');
    const f = found.failure!;
    expect(f.violation.kind).toBe('double-free');
    expect(f.violation.thread).toBe('freer');
    expect(f.violation.message).toMatch(/freed again/);
    expect(f.replay).toMatch(/^pc1\.[0-9a-z]+\.2\.[a-b0-9]+$/);
    expect(f.diagram.split('\n')[0]).toMatch(/^speculative\s+\| freer$/);
    expect(f.report).toContain(f.replay);
    expect(f.preemptions).toBeLessThanOrEqual(f.unshrunk.preemptions);
  });

  it('reproduces the failure from its replay token', () => {
    const f = found.failure!;
    const again = runOnce(speculative, { replay: f.replay });
    expect(again.kinds).toEqual(['double-free']);
    expect(again.strategy).toBe('replay');
    expect(again.schedules).toBe(1);
    expect(again.failure!.schedule).toEqual(f.schedule);
    expect(again.failure!.violation.message).toBe(f.violation.message);
    expect(again.failure!.diagram).toBe(f.diagram);
    expect(again.failure!.replay).toBe(f.replay);
    // explore with replay: does the same.
    expect(explore(speculative, { replay: f.replay }).failure!.violation.message).toBe(f.violation.message);
  });

  it('runs the threads one after the other without a token, and that is fine', () => {
    const r = runOnce(speculative);
    expect(r.violations).toEqual([]);
    expect(r.schedules).toBe(1);
  });

  it('refuses a token made from a different spec, saying the spec changed', () => {
    const changed: RaceSpec<S> = {
      ...speculative,
      threads: {
        ...speculative.threads,
        *freer(k, s) {
          yield* k.put_page(s.p);
        },
      },
    };
    expect(specFingerprint(changed as RaceSpec<never>)).not.toBe(specFingerprint(speculative as RaceSpec<never>));
    expect(() => runOnce(changed, { replay: found.failure!.replay })).toThrow(ReplayTokenError);
    expect(() => runOnce(changed, { replay: found.failure!.replay })).toThrow(/made from a different spec.*the spec or its kernel changed since the failure/);
    // A change in the kernel configuration alone counts too.
    const otherKernel: RaceSpec<S> = { ...speculative, kernel: { pages: 8 } };
    expect(() => runOnce(otherKernel, { replay: found.failure!.replay })).toThrow(/different spec/);
  });

  it('gives a clear error for a token that is not one', () => {
    expect(() => runOnce(speculative, { replay: 'not-a-token' })).toThrow(ReplayTokenError);
    expect(() => runOnce(speculative, { replay: 'not-a-token' })).toThrow(/'not-a-token' is not a pagecheck replay token/);
  });

  it('says when a replay diverges from the token\'s schedule', () => {
    // Thread 0 (speculative) finishes long before 200 steps: the token wants it after that.
    const token = encodeToken(specFingerprint(speculative as RaceSpec<never>), 2, new Array<number>(200).fill(0));
    expect(() => runOnce(speculative, { replay: token })).toThrow(/diverged at step \d+: the token wants thread 0/);
  });

  it('rejects a spec with no threads, saying how to give one', () => {
    const empty = { name: 'empty', threads: {} } as RaceSpec<never>;
    expect(() => explore(empty)).toThrow(/race spec empty has no threads: give at least one/);
    expect(() => runOnce(empty)).toThrow(/has no threads/);
  });

  it('rejects an unknown strategy', () => {
    expect(() => explore(speculative, { strategy: 'bfs' as never })).toThrow(/unknown strategy 'bfs'/);
  });

  for (const strategy of ['random', 'pct', 'pos'] as const) {
    it(`gives identical results for the same seed (${strategy})`, () => {
      const options = { strategy, seed: 11, maxSchedules: 100, stopOnFirst: false };
      const a = explore(speculative, options);
      const b = explore(speculative, options);
      expect(a.schedules).toBe(100);
      expect(timeless(b)).toEqual(timeless(a));
    });
  }

  it('gives identical results for exhaustive runs', () => {
    expect(timeless(explore(speculative, { stopOnFirst: false }))).toEqual(timeless(explore(speculative, { stopOnFirst: false })));
  });

  it('reports a free that starts while another free of the same pages is still in free_pages_prepare as a double free', () => {
    // speculative frees the compound page; freer reads PageHead == false once PG_head is cleared and frees the tail.
    const r = explore(speculative, { stopOnFirst: false });
    expect(r.kinds).toEqual(['double-free']);
    expect(r.failure!.violation.message).toMatch(/freed again/);
  });

  // The shadow's allocation state is carried by each page's data word (read at the start of a free, written at
  // allocation and at poisoning), so the reduction orders the steps that carry it.
  it('finds every kind plain DFS finds, with reduction', () => {
    const reduced = explore(speculative, { stopOnFirst: false, shrink: false });
    const plain = explore(speculative, { stopOnFirst: false, shrink: false, reduction: false, preemptionBound: 3, maxSchedules: 300_000, timeBudgetMs: 60_000 });
    expect(plain.complete).toBe(true);
    expect(reduced.complete).toBe(true);
    expect(reduced.kinds).toEqual(plain.kinds);
    expect(reduced.schedules).toBeLessThan(plain.schedules);
  });
});
