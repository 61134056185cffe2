import type { Scenario, Variant } from './types.js';

/**
 * Finds a scenario by id; the error lists the valid ids.
 * @remarks Since 0.1.0
 */
export function findScenario(all: readonly Scenario[], id: string): Scenario {
  const s = all.find((x) => x.id === id);
  if (s === undefined) throw new Error(`unknown scenario '${id}'; scenarios: ${all.map((x) => x.id).join(', ')}`);
  return s;
}

/**
 * Finds a variant of a scenario by id; the error lists the valid ids.
 * @remarks Since 0.1.0
 */
export function findVariant(scenario: Scenario, id: string): Variant {
  const v = scenario.variants[id];
  if (v === undefined) throw new Error(`unknown variant '${id}' of scenario ${scenario.id}; variants: ${Object.keys(scenario.variants).join(', ')}`);
  return v;
}
