import { describe, expect, it } from 'vitest';
import { findScenario, findVariant, scenarios } from '../src/index.js';
import { EXHAUSTIVE, cLabels, explore, summary, tsLabels, twinOverrides, twinSource, withOverrides } from './c-twins.js';

/**
 * Every revision of free-pages-speculative and slub-isolate-movable written as
 * the kernel C of its seed thread (test/c-twins/<scenario>/<variant>.c): each
 * C variant must give its TypeScript twin's verdict, schedule count under
 * exhaustive search, and failures (schedule and diagram, the variant's own
 * step labels aside: the C's are its source lines).
 */

const TWINS: Readonly<Record<string, readonly string[]>> = {
  'free-pages-speculative': ['pre-e320d3012d25', 'e320d3012d25', 'hannes-v1', 'hannes-v2', 'willy-cache-memcg', '462a8e08e0e6'],
  'slub-isolate-movable': ['no-slab-check', 'vlastimil-v1', 'upstream-8b8817630ae8', 'vlastimil-v2', 'v2-without-barriers'],
};

describe('C twins', () => {
  it('cover every variant of their scenarios', () => {
    for (const [id, variants] of Object.entries(TWINS)) expect([...variants].sort()).toEqual(Object.keys(findScenario(scenarios, id).variants).sort());
  });

  for (const [scenarioId, variants] of Object.entries(TWINS)) {
    const scenario = findScenario(scenarios, scenarioId);
    for (const variantId of variants) {
      const variant = findVariant(scenario, variantId);
      const c = twinOverrides(scenarioId, variantId);
      const labels = cLabels(twinSource(scenarioId, variantId));
      variant.cases.forEach((tsCase, i) => {
        it(`${scenarioId} ${variantId} (case ${i + 1}): same verdict, schedules and diagrams as the TypeScript variant`, () => {
          const ts = (tsCase.kernel?.overrides ?? {}) as Record<string, unknown>;
          // The C replaces every function the TypeScript variant replaces (and may restate one the model has).
          for (const name of Object.keys(ts)) expect(Object.keys(c)).toContain(name);
          const a = summary(explore(tsCase, EXHAUSTIVE), tsLabels(ts as never));
          const b = summary(explore(withOverrides(tsCase, c), EXHAUSTIVE), labels);
          expect(a.complete).toBe(true);
          expect(b).toEqual(a);
        });
      });
    }
  }
});
