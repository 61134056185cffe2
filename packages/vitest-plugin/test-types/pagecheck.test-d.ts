import { describe, expectTypeOf, it } from 'vitest';
import { defineConfig, type Plugin } from 'vitest/config';
import { pagecheck, type PagecheckPluginOptions } from '../src/index.js';

describe('pagecheck() types', () => {
  it('is a Vite plugin for vitest.config.ts', () => {
    expectTypeOf(pagecheck()).toEqualTypeOf<Plugin>();
    defineConfig({ plugins: [pagecheck({ strategy: 'random', seed: 1, maxSchedules: 1_000, timeBudgetMs: 5_000, shard: 'files' })] });
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
