import { freePagesMultiRef } from './free-pages/multi-ref.js';
import { freePagesSpeculative } from './free-pages/speculative.js';
import { testFreePagesScenario } from './free-pages/test-free-pages.js';
import { slubIsolateMovable } from './slab/isolate-movable.js';
import { compoundLockPrep } from './compound/lock-prep.js';
import { anonOrder1Split } from './anon/order1-split.js';
import type { Scenario } from './types.js';

export type { Scenario, ScenarioSources, Variant } from './types.js';
export { runVariant, type Verdict, type VariantHooks } from './verdict.js';
export { findScenario, findVariant } from './select.js';
export { variantWithOverrides } from './c-variant.js';
export * as freePagesRevisions from './free-pages/revisions.js';
export { speculativeRace } from './free-pages/speculative.js';
export { multiRef } from './free-pages/multi-ref.js';
export { testFreePages } from './free-pages/test-free-pages.js';
export { isolateVsSlab } from './slab/isolate-movable.js';
export * as compoundRevisions from './compound/revisions.js';
export { prepRace, putTailRace } from './compound/lock-prep.js';
export { order1SplitRace, ORDER1_LAYOUT, ORDER2_LAYOUT } from './anon/order1-split.js';
export type { CalcOrder, FaultLayout } from './anon/order1-split.js';
export { calc_anonymous_folio_order, calc_anonymous_folio_order_rfc, check_all_ptes_none } from './anon/calc-order.js';
export type { FolioOrder, VmFault } from './anon/calc-order.js';

/** Every scenario, in the order of DESIGN.md's regressions table. @remarks Since 0.1.0 */
export const scenarios: readonly Scenario[] = [freePagesSpeculative, freePagesMultiRef, testFreePagesScenario, slubIsolateMovable, compoundLockPrep, anonOrder1Split];
