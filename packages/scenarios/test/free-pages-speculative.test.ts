import { describe, expect, it } from 'vitest';
import { explore, runOnce, type Kernel, type ViolationKind } from '@pagecheck/core';
import { findScenario, findVariant, scenarios } from '../src/index.js';

const scenario = findScenario(scenarios, 'free-pages-speculative');

function kindsFound(variantId: string, options: Parameters<typeof explore>[1]): ViolationKind[] {
  const v = findVariant(scenario, variantId);
  return [...new Set(v.cases.flatMap((c) => explore(c, options).kinds))].sort();
}

describe('free-pages-speculative', () => {
  const buggy = Object.values(scenario.variants).filter((v) => v.expected.length > 0);

  // The race goes through the page cache: the lookup must be preempted between xas_load() and its pin while reclaim
  // frees P0 and the owner allocates it again, then once more around the owner's put. PCT, POS and random sampling do
  // not reach that within thousands of schedules (the windows are a few steps in runs of hundreds); exhaustive search
  // with reduction, the default, does in under 150 schedules per case.
  for (const v of buggy) {
    it(`${v.id}: exhaustive finds every expected violation, each case completely explored`, () => {
      expect(kindsFound(v.id, { strategy: 'exhaustive', stopOnFirst: false, shrink: false })).toEqual([...v.expected].sort());
      for (const c of v.cases) expect(explore(c, { strategy: 'exhaustive', stopOnFirst: false, shrink: false }).complete).toBe(true);
    });
  }

  it('finds nothing in a kernel whose find_get_page never races (the lookup after reclaim and the owner)', () => {
    const spec = findVariant(scenario, 'e320d3012d25').cases[1]!;
    const serial = { ...spec, threads: { *all(k: Kernel, s: never) {
      for (const t of ['reclaim', 'owner', 'lookup'] as const) yield* spec.threads[t]!(k, s);
    } } };
    expect(explore(serial, { strategy: 'exhaustive', stopOnFirst: false }).kinds).toEqual([]);
  });

  it('prints the racing steps of e320d3012d25\'s double free, through find_get_page and xas_reload', () => {
    const compound = findVariant(scenario, 'e320d3012d25').cases[1]!;
    const r = explore(compound, { strategy: 'exhaustive' });
    expect(r.failure?.violation.kind).toBe('double-free');
    const d = r.failure!.diagram;
    expect(d).toMatch(/^lookup\s+\| reclaim\s+\| owner/);
    expect(d).toContain('find_get_page(file, 0)');
    expect(d).toContain('get_page_unless_zero(P0) == true');
    expect(d).toContain('xas_reload() == NULL');
    expect(d).toContain('put_page_testzero(P0) == false');
    expect(d).toContain('put_page_testzero(P0) == true');
    // The owner's PageHead read comes after the lookup's final put.
    expect(d.lastIndexOf('PageHead(P0) == false')).toBeGreaterThan(d.indexOf('put_page_testzero(P0) == true'));
    expect(r.failure!.preemptions).toBeGreaterThanOrEqual(3);
  });

  it('shows the lookup\'s put_page freeing P0 alone through free_unref_page in the pre-e320d3012d25 leak', () => {
    const r = explore(findVariant(scenario, 'pre-e320d3012d25').cases[0]!, { strategy: 'exhaustive' });
    expect(r.failure?.violation.kind).toBe('page-leak');
    expect(r.failure!.diagram).toContain('xas_reload() == NULL');
    expect(r.failure!.diagram).toMatch(/free_unref_page\(P0\)/);
  });

  it('reports willy-cache-memcg\'s css reference underflow at the owner\'s second tail put, not at teardown', () => {
    const accounted = findVariant(scenario, 'willy-cache-memcg').cases[2]!;
    const r = explore(accounted, { strategy: 'exhaustive' });
    const v = r.failure!.violation;
    expect(v.kind).toBe('memcg-underflow');
    expect(v.message).toMatch(/^css reference underflow: css_put on test_memcg takes its css refcount from 1 to 0 while the cgroup is online/);
    expect(v.thread).toBe('owner');
    const d = r.failure!.diagram;
    expect(d).toContain('memcg_data = page->memcg_data (P0)');
    expect(d).toContain('css_put() == 1 -> 0');
    // The page_counter balances: no memcg-leak and no page_counter underflow in any schedule.
    const all = explore(accounted, { strategy: 'exhaustive', stopOnFirst: false, shrink: false });
    expect(all.complete).toBe(true);
    expect(all.kinds).toEqual(['memcg-underflow']);
    expect(all.failures.some((f) => /page_counter/.test(f.violation.message))).toBe(false);
  });

  it('replays a failure from its token', () => {
    const spec = findVariant(scenario, 'hannes-v1').cases[2]!;
    const r = explore(spec, { strategy: 'exhaustive' });
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
