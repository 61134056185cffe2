import type { ExploreDefaults, ExploreOptions, PerRunOptionName } from '@pagecheck/core';
import { describe, expectTypeOf, it } from 'vitest';
import { defineConfig, type Plugin } from 'vitest/config';
import { pagecheck, type PagecheckPluginOptions } from '../src/index.js';

describe('pagecheck() types', () => {
  it('is a Vite plugin for vitest.config.ts', () => {
    expectTypeOf(pagecheck()).toEqualTypeOf<Plugin>();
    defineConfig({ plugins: [pagecheck({ strategy: 'random', seed: 1, maxSchedules: 1_000, timeBudgetMs: 5_000, shard: 'files' })] });
  });

  it('takes every option of explore as a default, but the per-run replay and shard', () => {
    expectTypeOf<PerRunOptionName>().toEqualTypeOf<'replay' | 'shard'>();
    // Fails to compile if the plugin's options lack a key of explore's defaults, and fails if a type differs.
    expectTypeOf<Pick<PagecheckPluginOptions, Exclude<keyof ExploreOptions, PerRunOptionName>>>().toEqualTypeOf<ExploreDefaults>();
    expectTypeOf<Exclude<keyof ExploreDefaults, keyof PagecheckPluginOptions>>().toEqualTypeOf<never>();
    pagecheck({ memoryModel: 'lkmm', until: ['wild-deref'], depth: 2, maxSteps: 1_000 });
    // @ts-expect-error a replay token is per run (PAGECHECK_REPLAY), not a project default
    pagecheck({ replay: 'pc1.x.2.a' });
  });

  it('takes typed options', () => {
    expectTypeOf<PagecheckPluginOptions['strategy']>().toEqualTypeOf<'random' | 'pct' | 'pos' | 'exhaustive' | undefined>();
    // @ts-expect-error 'replay' is not a default strategy
    pagecheck({ strategy: 'replay' });
    // @ts-expect-error shard is 'schedules' or 'files'
    pagecheck({ shard: 2 });
    // @ts-expect-error no such option
    pagecheck({ budget: 10 });
    expectTypeOf<PagecheckPluginOptions['reportDir']>().toEqualTypeOf<string | false | undefined>();
    pagecheck({ reportDir: 'reports/pagecheck' });
    pagecheck({ reportDir: false });
    // @ts-expect-error reportDir is a path or false
    pagecheck({ reportDir: true });
  });
});
