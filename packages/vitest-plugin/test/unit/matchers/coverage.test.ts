import { explore, runOnce, type Exploration } from '@pagecheck/core';
import { describe, expect, it } from 'vitest';
import '../../../src/setup.js';
import { messageOf } from '../../message-of.js';
import { clean, doubleFree, racyDoubleFree, slowClean } from '../../specs.js';

/** Each absence matcher, called with an optional argument. */
const matchers = {
  toNotLeakPages: (e: unknown, o?: object) => expect(e).toNotLeakPages(o),
  toNotDoubleFree: (e: unknown, o?: object) => expect(e).toNotDoubleFree(o),
  toNotUseAfterFree: (e: unknown, o?: object) => expect(e).toNotUseAfterFree(o),
  toBalanceMemcg: (e: unknown, o?: object) => expect(e).toBalanceMemcg(o),
  toHaveNoViolations: (e: unknown, o?: object) => expect(e).toHaveNoViolations(o),
} as const;

/** An exhaustive search of a clean spec that its 1 ms time budget stops after the first schedule. */
const stopped = (options: { allowIncomplete?: boolean } = {}): Exploration => explore(slowClean, { timeBudgetMs: 1, ...options });

describe('the absence matchers on an exploration that did not do what was asked', () => {
  for (const [name, check] of Object.entries(matchers)) {
    it(`${name} fails on a time-budget-stopped exhaustive search, naming its coverage and the opt-in`, () => {
      const e = stopped();
      expect(e.stopped).toBe('time-budget');
      expect(e.kinds).toEqual([]);
      const msg = messageOf(() => check(e));
      expect(msg).toContain(`expected spec 'alloc and free, slowly' to `);
      expect(msg).toContain(`but the exploration fell short of what was asked: exhaustive search stopped by the time budget after ${e.schedules} schedule${e.schedules === 1 ? '' : 's'} (1 ms), incomplete.`);
      expect(msg).toContain('Ask for more (raise timeBudgetMs (1 now))');
      expect(msg).toContain(`accept this coverage explicitly with expect(exploration).${name}({ allowIncomplete: true }) or explore(spec, { allowIncomplete: true })`);
    });

    it(`${name} passes the same exploration with { allowIncomplete: true }, given to the matcher or to explore`, () => {
      check(stopped(), { allowIncomplete: true });
      check(stopped({ allowIncomplete: true }));
    });
  }

  it("lets the matcher's own allowIncomplete win over the exploration's", () => {
    const accepted = stopped({ allowIncomplete: true });
    expect(accepted.allowIncomplete).toBe(true);
    expect(messageOf(() => expect(accepted).toNotDoubleFree({ allowIncomplete: false }))).toContain('fell short of what was asked');
    expect(accepted).toNotDoubleFree();
    expect(stopped({ allowIncomplete: false })).toNotDoubleFree({ allowIncomplete: true });
  });

  it('passes a sampling exploration that ran all its maxSchedules, and fails one its time budget cut short', () => {
    const all = explore(clean, { strategy: 'pct', maxSchedules: 50 });
    expect(all.stopped).toBe('max-schedules');
    expect(all).toHaveNoViolations();
    const cut = explore(slowClean, { strategy: 'random', maxSchedules: 50, timeBudgetMs: 1 });
    expect(messageOf(() => expect(cut).toHaveNoViolations())).toMatch(/fell short of what was asked: random sampling stopped by the time budget after \d+ of 50 schedules \(1 ms\), incomplete\./);
  });

  it('fails an exhaustive search cut by maxSchedules, and one that stopped at a failure of another kind', () => {
    expect(messageOf(() => expect(explore(clean, { maxSchedules: 1 })).toNotLeakPages())).toContain('exhaustive search stopped at maxSchedules after 1 schedule, incomplete.\nA clean verdict needs the exploration asked for. Ask for more (raise maxSchedules (1 now))');
    const first = explore(doubleFree);
    expect(first.stopped).toBe('first-failure');
    expect(messageOf(() => expect(first).toNotLeakPages())).toContain("it found no page-leak (it found double-free, use-after-free), but the exploration fell short of what was asked: exhaustive search stopped at the first failure after 1 schedule, incomplete.\nA clean verdict needs the exploration asked for. Ask for more (explore with stopOnFirst: false to look past the first failure)");
  });

  it('passes a single run: runOnce does what was asked', () => {
    expect(runOnce(clean)).toHaveNoViolations();
    expect(runOnce(slowClean)).toNotDoubleFree();
  });

  it('still fails on a violation found, whatever allowIncomplete says', () => {
    expect(messageOf(() => expect(explore(doubleFree)).toNotDoubleFree({ allowIncomplete: true }))).toMatch(/found double-free:\n\ndouble-free:/);
  });

  it('leaves .not and toViolate judged on the kinds alone: finding the violation is enough', () => {
    const found = explore(racyDoubleFree);
    expect(found.complete).toBe(false);
    expect(found).not.toNotDoubleFree();
    expect(found).toViolate('double-free');
    // .not on a clean, incomplete exploration still fails: it found no double free.
    expect(messageOf(() => expect(stopped()).not.toNotDoubleFree())).toMatch(/^expected spec 'alloc and free, slowly' to double free, but \d+ schedules? \(exhaustive, incomplete\) found no double-free$/);
  });

  it('refuses an argument that is not { allowIncomplete?: boolean }', () => {
    expect(() => expect(clean).toNotDoubleFree({ allowIncomplete: 'yes' } as never)).toThrow(TypeError);
    expect(() => expect(clean).toNotDoubleFree({ allowIncomplete: 'yes' } as never)).toThrow("toNotDoubleFree(options): options must be { allowIncomplete?: boolean }, got {\"allowIncomplete\":\"yes\"}");
    expect(() => expect(clean).toNotDoubleFree(7 as never)).toThrow(TypeError);
  });
});
