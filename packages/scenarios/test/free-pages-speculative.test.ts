import { describe, expect, it } from 'vitest';
import { explore, runOnce, type ViolationKind } from '@pagecheck/core';
import { findScenario, findVariant, scenarios } from '../src/index.js';

const scenario = findScenario(scenarios, 'free-pages-speculative');

function kindsFound(variantId: string, options: Parameters<typeof explore>[1]): ViolationKind[] {
  const v = findVariant(scenario, variantId);
  return [...new Set(v.cases.flatMap((c) => explore(c, options).kinds))].sort();
}

describe('free-pages-speculative', () => {
  const buggy = Object.values(scenario.variants).filter((v) => v.expected.length > 0);

  for (const v of buggy) {
    it(`${v.id}: pct finds every expected violation`, () => {
      // Each case is explored until PCT has found every kind exhaustive search finds in it.
      const found = v.cases.flatMap((c) => {
        const want = explore(c, { strategy: 'exhaustive', stopOnFirst: false, shrink: false }).kinds;
        if (want.length === 0) return [];
        return explore(c, { strategy: 'pct', depth: 3, maxSchedules: 50_000, until: want, seed: 7, shrink: false }).kinds;
      });
      expect([...new Set(found)].sort()).toEqual([...v.expected].sort());
    });
    it(`${v.id}: pos finds every expected violation, in far fewer schedules than pct`, () => {
      const found = v.cases.flatMap((c) => {
        const want = explore(c, { strategy: 'exhaustive', stopOnFirst: false, shrink: false }).kinds;
        if (want.length === 0) return [];
        const r = explore(c, { strategy: 'pos', maxSchedules: 5_000, until: want, seed: 7, shrink: false });
        // The compound double free takes pct thousands of schedules and random never finds it.
        expect(r.schedules).toBeLessThan(2_000);
        return r.kinds;
      });
      expect([...new Set(found)].sort()).toEqual([...v.expected].sort());
    });
    it(`${v.id}: exhaustive finds every expected violation`, () => {
      expect(kindsFound(v.id, { strategy: 'exhaustive', stopOnFirst: false, shrink: false })).toEqual([...v.expected].sort());
    });
  }

  it('prints the racing steps of e320d3012d25\'s double free', () => {
    const compound = findVariant(scenario, 'e320d3012d25').cases[1]!;
    const r = explore(compound, { strategy: 'exhaustive' });
    expect(r.failure?.violation.kind).toBe('double-free');
    const d = r.failure!.diagram;
    expect(d).toMatch(/^lookup\s+\| owner/);
    expect(d).toContain('get_page_unless_zero(P0) == true');
    expect(d).toContain('put_page_testzero(P0) == false');
    expect(d).toContain('put_page_testzero(P0) == true');
    expect(d).toContain('PageHead(P0) == false');
    // The owner's PageHead read comes after the lookup's final put.
    expect(d.indexOf('PageHead(P0) == false')).toBeGreaterThan(d.indexOf('put_page_testzero(P0) == true'));
    expect(r.failure!.preemptions).toBe(2);
  });

  it('reports willy-cache-memcg\'s css reference underflow at the owner\'s second tail put, not at teardown', () => {
    const accounted = findVariant(scenario, 'willy-cache-memcg').cases[2]!;
    const r = explore(accounted, { strategy: 'exhaustive' });
    const v = r.failure!.violation;
    expect(v.kind).toBe('memcg-underflow');
    expect(v.message).toMatch(/^css reference underflow: css_put on test_memcg takes its css refcount from 1 to 0 while the cgroup is online/);
    expect(v.thread).toBe('owner');
    const d = r.failure!.diagram;
    expect(d).toContain('memcg_data = page->memcg_data(P0)');
    expect(d).toContain('css_put() == 1 -> 0');
    // The page_counter balances: no memcg-leak and no page_counter underflow in any schedule.
    const all = explore(accounted, { strategy: 'exhaustive', stopOnFirst: false, shrink: false });
    expect(all.complete).toBe(true);
    expect(all.kinds).toEqual(['memcg-underflow']);
    expect(all.failures.some((f) => /page_counter/.test(f.violation.message))).toBe(false);
  });

  it('replays a failure from its token', () => {
    const spec = findVariant(scenario, 'hannes-v1').cases[2]!;
    const r = explore(spec, { strategy: 'pct', seed: 3, maxSchedules: 5000 });
    expect(r.failure).toBeDefined();
    const again = runOnce(spec, { replay: r.failure!.replay });
    expect(again.failure?.violation.kind).toBe(r.failure!.violation.kind);
    expect(again.failure?.violation.message).toBe(r.failure!.violation.message);
    expect(again.failure?.schedule).toEqual(r.failure!.schedule);
  });

  it('gives identical results for the same seed', () => {
    const spec = findVariant(scenario, 'e320d3012d25').cases[1]!;
    const a = explore(spec, { strategy: 'random', seed: 42, maxSchedules: 500, stopOnFirst: false });
    const b = explore(spec, { strategy: 'random', seed: 42, maxSchedules: 500, stopOnFirst: false });
    expect(b.schedules).toBe(a.schedules);
    expect(b.kinds).toEqual(a.kinds);
    expect(b.failures.map((f) => f.replay)).toEqual(a.failures.map((f) => f.replay));
  });
});
