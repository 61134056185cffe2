import { decodeToken, EXPLORE_DEFAULTS, pickExploreOptions, specFingerprint, type ExploreOptions, type RaceSpec, type ViolationKind } from '@pagecheck/core';
import type { EnvSwitches } from './env-switches.js';
import type { Provided } from './provided.js';

/** The options of a raceTest that concern the exploration. */
export interface RacePlanOptions extends ExploreOptions {
  readonly expect?: readonly ViolationKind[];
}

/** What a raceTest does in this run. */
export type RacePlan =
  | { readonly kind: 'replay'; readonly token: string }
  | { readonly kind: 'explore'; readonly options: ExploreOptions; readonly shard?: string }
  | { readonly kind: 'skip'; readonly reason: string };

/**
 * Decides how a raceTest runs. Precedence, lowest first: core's defaults,
 * the plugin's defaults, the test's options, the PAGECHECK_* switches.
 * PAGECHECK_BUDGET then scales maxSchedules and timeBudgetMs.
 *
 * Sharding (PAGECHECK_SHARD, or vitest --shard through the plugin) splits
 * the schedules of a test. A known-buggy test (with `expect`) must see all
 * its expected kinds, so it is not split: it runs whole on one shard chosen
 * from its spec's fingerprint, and is skipped on the others.
 */
export function planRace<S>(spec: RaceSpec<S>, options: RacePlanOptions, env: EnvSwitches, provided: Provided | undefined): RacePlan {
  if (env.replay !== undefined && decodeToken(env.replay).fingerprint === specFingerprint(spec as RaceSpec<never>)) return { kind: 'replay', token: env.replay };

  // Every option of explore that the test gives goes on (core's EXPLORE_OPTIONS names them all), so a new option reaches explore.
  const merged: { -readonly [K in keyof ExploreOptions]: ExploreOptions[K] } = { ...provided?.defaults, ...pickExploreOptions(options) };
  if (options.expect !== undefined && merged.stopOnFirst === undefined) merged.stopOnFirst = false;
  // The switches of options override them; PAGECHECK_REPLAY and PAGECHECK_SHARD are handled apart, PAGECHECK_BUDGET scales.
  const { replay: _replay, shard: _shard, budget, ...switched } = env;
  Object.assign(merged, switched);
  if (budget !== undefined) {
    const strategy = merged.strategy ?? EXPLORE_DEFAULTS.strategy;
    merged.maxSchedules = Math.max(1, Math.round((merged.maxSchedules ?? EXPLORE_DEFAULTS.maxSchedules[strategy]) * budget));
    merged.timeBudgetMs = Math.max(1, Math.round((merged.timeBudgetMs ?? EXPLORE_DEFAULTS.timeBudgetMs) * budget));
  }

  const runShard = env.shard ?? provided?.shard;
  const shard = env.shard ?? options.shard ?? provided?.shard;
  delete merged.shard;
  if (shard === undefined || shard.count === 1) return { kind: 'explore', options: merged };
  const label = `${shard.index + 1}/${shard.count}`;
  if (options.expect !== undefined && runShard !== undefined && shard === runShard) {
    const owner = ownerShard(spec, shard.count);
    if (owner !== shard.index) {
      return { kind: 'skip', reason: `known-buggy race test (expect: [${options.expect.join(', ')}]) runs whole on shard ${owner + 1}/${shard.count}, not on ${label}` };
    }
    return { kind: 'explore', options: merged };
  }
  return { kind: 'explore', options: { ...merged, shard }, shard: label };
}

/** The shard (0-based) that runs a spec whole: a hash of its fingerprint, so every shard agrees. */
export function ownerShard<S>(spec: RaceSpec<S>, count: number): number {
  return parseInt(specFingerprint(spec as RaceSpec<never>), 36) % count;
}
