import { decodeToken, encodeToken, explore, EXPLORE_OPTION_NAMES, specFingerprint, type RaceSpec } from '@pagecheck/core';
import { describe, expect, it } from 'vitest';
import { ownerShard, planRace } from '../../../src/_internals/race-plan.js';
import { EXPLORE_OPTION_SAMPLES } from '../../explore-option-samples.js';
import { clean, leak, racyDoubleFree } from '../../specs.js';

const plugin = { defaults: { strategy: 'pct' as const, seed: 3, maxSchedules: 500, timeBudgetMs: 2_000 } };

describe('planRace', () => {
  it('explores with the test options alone when there is no plugin and no switch', () => {
    expect(planRace(clean, { strategy: 'random', seed: 9, depth: 2 }, {}, undefined)).toEqual({ kind: 'explore', options: { strategy: 'random', seed: 9, depth: 2 } });
  });

  it('forwards every option of explore that the test gives, as given', () => {
    const plan = planRace(leak, { ...EXPLORE_OPTION_SAMPLES, expect: ['page-leak'], timeout: 5 } as never, {}, undefined);
    expect(plan).toEqual({ kind: 'explore', options: EXPLORE_OPTION_SAMPLES, shard: '1/2' });
    expect(Object.keys(plan.kind === 'explore' ? plan.options : {}).sort()).toEqual([...EXPLORE_OPTION_NAMES].sort());
  });

  it('forwards memoryModel and until, which it once dropped', () => {
    expect(planRace(clean, { memoryModel: 'lkmm', until: ['wild-deref'] }, {}, undefined)).toEqual({ kind: 'explore', options: { memoryModel: 'lkmm', until: ['wild-deref'] } });
  });

  it('takes every option of explore but replay and shard from the plugin\'s defaults', () => {
    const { replay: _replay, shard: _shard, ...defaults } = EXPLORE_OPTION_SAMPLES;
    expect(planRace(clean, {}, {}, { defaults })).toEqual({ kind: 'explore', options: defaults });
  });

  it('leaves out options that are not the explorer\'s', () => {
    const options = { expect: ['page-leak'] as const, timeout: 5, maxSteps: 100 };
    expect(planRace(leak, options, {}, undefined)).toEqual({ kind: 'explore', options: { maxSteps: 100, stopOnFirst: false } });
  });

  it('collects every kind for a known-buggy test unless told otherwise', () => {
    expect(planRace(leak, { expect: [] }, {}, undefined)).toEqual({ kind: 'explore', options: { stopOnFirst: false } });
    expect(planRace(leak, { expect: ['page-leak'], stopOnFirst: true }, {}, undefined)).toEqual({ kind: 'explore', options: { stopOnFirst: true } });
  });

  it('ranks core defaults < plugin defaults < test options < switches', () => {
    expect(planRace(clean, {}, {}, plugin)).toEqual({ kind: 'explore', options: plugin.defaults });
    expect(planRace(clean, { seed: 5, maxSchedules: 50 }, {}, plugin)).toEqual({ kind: 'explore', options: { strategy: 'pct', seed: 5, maxSchedules: 50, timeBudgetMs: 2_000 } });
    expect(planRace(clean, { seed: 5, strategy: 'exhaustive' }, { seed: 8, strategy: 'random' }, plugin)).toEqual({
      kind: 'explore',
      options: { strategy: 'random', seed: 8, maxSchedules: 500, timeBudgetMs: 2_000 },
    });
  });

  it('multiplies maxSchedules and timeBudgetMs by PAGECHECK_BUDGET, from core\'s defaults when unset', () => {
    expect(planRace(clean, {}, { budget: 10 }, undefined)).toEqual({ kind: 'explore', options: { maxSchedules: 2_000_000, timeBudgetMs: 100_000 } });
    expect(planRace(clean, { strategy: 'random' }, { budget: 10 }, undefined)).toEqual({ kind: 'explore', options: { strategy: 'random', maxSchedules: 100_000, timeBudgetMs: 100_000 } });
    expect(planRace(clean, { maxSchedules: 3 }, { budget: 0.5 }, plugin)).toEqual({ kind: 'explore', options: { strategy: 'pct', seed: 3, maxSchedules: 2, timeBudgetMs: 1_000 } });
    // PAGECHECK_STRATEGY decides which default is scaled.
    expect(planRace(clean, {}, { budget: 2, strategy: 'pct' }, undefined)).toEqual({ kind: 'explore', options: { strategy: 'pct', maxSchedules: 20_000, timeBudgetMs: 20_000 } });
  });

  it('replays PAGECHECK_REPLAY only for the spec whose fingerprint it carries', () => {
    const token = explore(leak).failure!.replay;
    const env = { replay: token };
    expect(decodeToken(token).fingerprint).toBe(specFingerprint(leak as RaceSpec<never>));
    expect(planRace(leak, {}, env, plugin)).toEqual({ kind: 'replay', token });
    expect(planRace(clean, {}, env, undefined)).toEqual({ kind: 'explore', options: {} });
  });

  it('replays PAGECHECK_REPLAY for a spec with the identity it carries, so that a stale token is reported', () => {
    const token = explore(leak).failure!.replay;
    const { fingerprint, threads, schedule } = decodeToken(token);
    const edited: RaceSpec = { ...leak, kernel: { pages: 16 } };
    expect(specFingerprint(edited)).not.toBe(fingerprint);
    expect(planRace(edited, {}, { replay: token }, undefined)).toEqual({ kind: 'replay', token });
    // An older token carries no identity: it cannot tell the edited spec is its own.
    const old = encodeToken(fingerprint, threads, schedule);
    expect(planRace(edited, {}, { replay: old }, undefined)).toEqual({ kind: 'explore', options: {} });
  });

  it('splits the schedules by PAGECHECK_SHARD, then the test\'s shard, then the plugin\'s vitest --shard', () => {
    const env = { shard: { index: 1, count: 3 } };
    expect(planRace(clean, {}, env, undefined)).toEqual({ kind: 'explore', options: { shard: { index: 1, count: 3 } }, shard: '2/3' });
    expect(planRace(clean, { shard: { index: 0, count: 2 } }, env, undefined)).toEqual({ kind: 'explore', options: { shard: { index: 1, count: 3 } }, shard: '2/3' });
    expect(planRace(clean, { shard: { index: 0, count: 2 } }, {}, { defaults: {}, shard: { index: 1, count: 4 } })).toEqual({ kind: 'explore', options: { shard: { index: 0, count: 2 } }, shard: '1/2' });
    expect(planRace(clean, {}, {}, { defaults: {}, shard: { index: 3, count: 4 } })).toEqual({ kind: 'explore', options: { shard: { index: 3, count: 4 } }, shard: '4/4' });
    expect(planRace(clean, {}, { shard: { index: 0, count: 1 } }, undefined)).toEqual({ kind: 'explore', options: {} });
  });

  it('runs a known-buggy test whole on one shard, the same for every shard, and skips it on the others', () => {
    const count = 3;
    const owner = ownerShard(racyDoubleFree, count);
    expect(owner).toBe(parseInt(specFingerprint(racyDoubleFree as RaceSpec<never>), 36) % count);
    const plans = [0, 1, 2].map((index) => planRace(racyDoubleFree, { expect: ['double-free'] }, {}, { defaults: {}, shard: { index, count } }));
    expect(plans.filter((p) => p.kind === 'explore')).toEqual([{ kind: 'explore', options: { stopOnFirst: false } }]);
    expect(plans[owner]!.kind).toBe('explore');
    for (const p of plans.filter((x) => x.kind === 'skip')) {
      expect(p).toEqual({ kind: 'skip', reason: `known-buggy race test (expect: [double-free]) runs whole on shard ${owner + 1}/3, not on ${plans.indexOf(p) + 1}/3` });
    }
    // The same with PAGECHECK_SHARD.
    expect(planRace(racyDoubleFree, { expect: ['double-free'] }, { shard: { index: owner, count } }, undefined).kind).toBe('explore');
    expect(planRace(racyDoubleFree, { expect: ['double-free'] }, { shard: { index: (owner + 1) % count, count } }, undefined).kind).toBe('skip');
  });
});
