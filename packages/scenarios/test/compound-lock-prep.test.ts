import { describe, expect, it } from 'vitest';
import { explore } from '@pagecheck/core';
import { compoundRevisions, findScenario, findVariant, prepRace, putTailRace, runVariant, scenarios } from '../src/index.js';

const scenario = findScenario(scenarios, 'compound-lock-prep');

describe('compound-lock-prep', () => {
  it('lists the variants in patch order', () => {
    expect(Object.keys(scenario.variants)).toEqual(['refcounted-before-prep', 'refcounted-last', 'put-tail-unpinned-head', 'put-tail-pinned-head']);
  });

  for (const v of Object.values(scenario.variants)) {
    it(`${v.id}: the model finds ${v.expected.length === 0 ? 'no violation' : v.expected.join(', ')}`, () => {
      const verdict = runVariant(scenario, v);
      expect(verdict.complete).toBe(true);
      expect(verdict.found).toEqual([...v.expected].sort());
      expect(verdict.match).toBe(true);
    });
  }

  it('shows the lock bit lost to __SetPageHead() after get_page_unless_zero() succeeded', () => {
    const spec = findVariant(scenario, 'refcounted-before-prep').spec;
    const r = explore(spec, { strategy: 'exhaustive' });
    expect(r.failure?.violation.kind).toBe('lost-update');
    expect(r.failure?.violation.thread).toBe('alloc');
    const d = r.failure!.diagram;
    expect(d).toMatch(/^alloc\s+\| stale/);
    expect(d).toContain('set_page_count(1)');
    expect(d).toContain('get_page_unless_zero(P) == true');
    expect(d).toContain('compound_lock(P)');
    expect(d).toContain('__SetPageHead(P)');
    expect(d.indexOf('get_page_unless_zero(P) == true')).toBeGreaterThan(d.indexOf('set_page_count(1)'));
    expect(d.indexOf('__SetPageHead(P)')).toBeGreaterThan(d.indexOf('compound_lock(P)'));
  });

  it('keeps get_page_unless_zero() failing until the refcount is set last', () => {
    const r = explore(prepRace('refcounted-last', compoundRevisions.refcountedLast), { strategy: 'exhaustive', stopOnFirst: false });
    expect(r.complete).toBe(true);
    expect(r.kinds).toEqual([]);
  });

  it('needs both fixes: a pinned head reused by the v3.12 allocator still loses the lock bit', () => {
    // Oleg Nesterov: "compound_lock_irqsave() looks racy even after get_page_unless_zero()".
    const before = explore(putTailRace('pinned, v3.12 prep_new_page', compoundRevisions.refcountedBeforePrep, true), { strategy: 'exhaustive', stopOnFirst: false });
    expect(before.kinds).toEqual(['lost-update']);
    expect(before.failure?.diagram).toContain('get_page_unless_zero(H) == true');
    const after = explore(putTailRace('pinned, refcounted last', compoundRevisions.refcountedLast, true), { strategy: 'exhaustive', stopOnFirst: false });
    expect(after.complete).toBe(true);
    expect(after.kinds).toEqual([]);
  });

  it('finds the unpinned head freed under compound_lock() in the two-thread race alone', () => {
    const spec = findVariant(scenario, 'put-tail-unpinned-head').cases[0]!;
    const r = explore(spec, { strategy: 'exhaustive', stopOnFirst: false });
    expect(r.kinds).toEqual(['bad-page-state', 'lost-update', 'use-after-free']);
    // v3.12's free-time check sees the compound_lock bit of the head freed under the lock.
    expect(r.failures.find((f) => f.violation.kind === 'bad-page-state')!.violation.message).toMatch(/check_free_page_bad: page dumped because: PAGE_FLAGS_CHECK_AT_FREE flag\(s\) set/);
    const uaf = r.failures.find((f) => f.violation.kind === 'use-after-free')!;
    expect(uaf.violation.message).toMatch(/^compound_(un)?lock on pfn:[0-9a-f]+, which is free/);
    expect(uaf.violation.thread).toBe('futex');
  });
});
