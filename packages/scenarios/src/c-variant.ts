import type { KernelOverrides, RaceSpec } from '@pagecheck/core';
import { variant, type Scenario, type Variant } from './types.js';

/**
 * A variant of a scenario from kernel overrides of your own (for example
 * cVariant() of a patch's C): the cases of the scenario's last variant (its
 * newest revision), with `overrides` as their kernel's overrides, so every
 * function you do not give is the model's own. Its expected verdict is clean:
 * the matrix row says what the model finds, and differs when it finds a violation.
 * @example
 * const v = variantWithOverrides(findScenario(scenarios, 'free-pages-speculative'), 'patch.c', cVariant(source));
 * runVariant(scenario, v);
 * @remarks Since 0.1.0
 */
export function variantWithOverrides(scenario: Scenario, id: string, overrides: KernelOverrides): Variant {
  const base = Object.values(scenario.variants).at(-1);
  if (base === undefined) throw new Error(`scenario ${scenario.id} has no variant to take the cases of`);
  const cases = base.cases.map((c): RaceSpec<never> => ({
    ...c,
    name: c.name.includes(base.id) ? c.name.replace(base.id, id) : `${id}: ${c.name}`,
    kernel: { ...c.kernel, overrides },
  }));
  return variant({
    id,
    title: `${id} (your variant)`,
    description: `The cases of ${base.id} with ${id}'s functions in place of the model's.`,
    cases,
    expected: [],
    ...(base.explore === undefined ? {} : { explore: base.explore }),
  });
}
