import { freePagesMultiRef } from './free-pages/multi-ref.js';
import { freePagesSpeculative } from './free-pages/speculative.js';
import { testFreePagesScenario } from './free-pages/test-free-pages.js';
import { slubIsolateMovable } from './slab/isolate-movable.js';
import type { Scenario } from './types.js';

export type { Scenario, ScenarioSources, Variant } from './types.js';
export { runVariant, type Verdict } from './verdict.js';
export { findScenario, findVariant } from './select.js';
export * as freePagesRevisions from './free-pages/revisions.js';
export { speculativeRace } from './free-pages/speculative.js';
export { multiRef } from './free-pages/multi-ref.js';
export { testFreePages } from './free-pages/test-free-pages.js';
export { isolateVsSlab } from './slab/isolate-movable.js';

/** Every scenario, in the order of DESIGN.md's regressions table. @remarks Since 0.1.0 */
export const scenarios: readonly Scenario[] = [freePagesSpeculative, freePagesMultiRef, testFreePagesScenario, slubIsolateMovable];
