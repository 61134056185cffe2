import { basename } from 'node:path';
import { scenarios } from './index.js';
import { findScenario } from './select.js';
import { variantWithOverrides } from './c-variant.js';
import type { Scenario, Variant } from './types.js';

/**
 * The row of `pagecheck --scenario ID --variant FILE.c`: the file's C compiled
 * by cVariant() (the C front end loads its parser only here), as a variant of
 * the scenario. Throws the CFrontError (file:line:column) of C it cannot compile.
 */
export async function cRow(scenarioId: string, file: string, source: string): Promise<{ scenario: Scenario; variant: Variant }> {
  const scenario = findScenario(scenarios, scenarioId);
  const { cVariant } = await import('@pagecheck/core/cfront');
  const overrides = cVariant(source, { file });
  return { scenario, variant: variantWithOverrides(scenario, basename(file), overrides) };
}
