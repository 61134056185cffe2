import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mergeConfig, type Plugin } from 'vitest/config';
import type { TestSequencer, TestSequencerConstructor, TestSpecification, VitestPluginContext } from 'vitest/node';
import { pagecheck } from '../../src/pagecheck.js';

const SETUP = fileURLToPath(new URL('../../src/setup.ts', import.meta.url));

/** Calls a plugin hook given as a function or as { handler }. */
function call<K extends 'config' | 'configureVitest'>(plugin: Plugin, hook: K, ...args: unknown[]): unknown {
  const h = plugin[hook] as unknown;
  const fn = (typeof h === 'function' ? h : (h as { handler: (...a: unknown[]) => unknown }).handler) as (...a: unknown[]) => unknown;
  return fn.apply({}, args);
}

class SliceSequencer implements TestSequencer {
  shard = (files: TestSpecification[]): TestSpecification[] => files.slice(0, 1);
  sort = (files: TestSpecification[]): TestSpecification[] => files;
}

const ROOT = '/home/user/project';
const REPORTS = join(ROOT, '.pagecheck/reports');

function fakeContext(shard?: { index: number; count: number }) {
  const provided: Record<string, unknown> = {};
  const sequence = { sequencer: SliceSequencer as unknown as TestSequencerConstructor };
  const project = { config: { testTimeout: 5_000 }, provide: (key: string, value: unknown) => { provided[key] = value; } };
  const vitest = { config: { root: ROOT, shard, sequence } };
  return { ctx: { vitest, project } as unknown as VitestPluginContext, provided, sequence };
}

describe('pagecheck', () => {
  it('is a Vite plugin named pagecheck with config and configureVitest hooks', () => {
    const p = pagecheck();
    expect(p.name).toBe('pagecheck');
    expect(p.config).toBeTypeOf('function');
    expect(p.configureVitest).toBeTypeOf('function');
  });

  it('adds its setup file to test.setupFiles, by absolute path', () => {
    const out = call(pagecheck(), 'config', {}, { command: 'serve', mode: 'test' });
    expect(out).toEqual({ test: { setupFiles: [SETUP] } });
    expect(existsSync(SETUP)).toBe(true);
  });

  it('keeps the user\'s setup files when Vite merges the configs', () => {
    const user = { test: { setupFiles: ['./my-setup.ts'], testTimeout: 1_000 } };
    const merged = mergeConfig(user, call(pagecheck(), 'config', user, { command: 'serve', mode: 'test' }) as object);
    expect(merged).toEqual({ test: { setupFiles: ['./my-setup.ts', SETUP], testTimeout: 1_000 } });
  });

  it('adds no setup file with setupFile: false', () => {
    expect(call(pagecheck({ setupFile: false }), 'config', {}, { command: 'serve', mode: 'test' })).toEqual({});
  });

  it('provides its defaults and the project testTimeout to raceTest', () => {
    const { ctx, provided, sequence } = fakeContext();
    call(pagecheck({ strategy: 'pct', seed: 7, maxSchedules: 1_000, timeBudgetMs: 3_000 }), 'configureVitest', ctx);
    expect(provided).toEqual({ pagecheck: { defaults: { strategy: 'pct', seed: 7, maxSchedules: 1_000, timeBudgetMs: 3_000 }, testTimeout: 5_000, reportDir: REPORTS } });
    expect(sequence.sequencer).toBe(SliceSequencer);
  });

  it('under vitest --shard=i/n, provides the 0-based shard and gives the project\'s files to every shard', async () => {
    const { ctx, provided, sequence } = fakeContext({ index: 2, count: 3 });
    call(pagecheck(), 'configureVitest', ctx);
    expect(provided).toEqual({ pagecheck: { defaults: {}, testTimeout: 5_000, reportDir: REPORTS, shard: { index: 1, count: 3 } } });
    expect(sequence.sequencer).not.toBe(SliceSequencer);
    const files = [{ project: ctx.project }, { project: ctx.project }];
    const seq = new sequence.sequencer(ctx.vitest);
    expect(await seq.shard(files as never)).toEqual(files);
  });

  it('with shard: \'files\', leaves --shard to Vitest\'s split of the files', () => {
    const { ctx, provided, sequence } = fakeContext({ index: 1, count: 2 });
    call(pagecheck({ shard: 'files' }), 'configureVitest', ctx);
    expect(provided).toEqual({ pagecheck: { defaults: {}, testTimeout: 5_000, reportDir: REPORTS } });
    expect(sequence.sequencer).toBe(SliceSequencer);
  });

  it('has failing raceTests write their HTML timelines to <root>/.pagecheck/reports, or to reportDir', () => {
    const dirOf = (options: Parameters<typeof pagecheck>[0]): unknown => {
      const { ctx, provided } = fakeContext();
      call(pagecheck(options), 'configureVitest', ctx);
      return (provided.pagecheck as { reportDir?: string }).reportDir;
    };
    expect(dirOf({})).toBe(REPORTS);
    expect(dirOf({ reportDir: 'out/timelines' })).toBe(join(ROOT, 'out/timelines'));
    expect(dirOf({ reportDir: '/tmp/timelines' })).toBe('/tmp/timelines');
    expect(dirOf({ reportDir: false })).toBeUndefined();
  });

  it('rejects bad options, naming them', () => {
    expect(() => pagecheck({ strategy: 'bfs' as 'pct' })).toThrow("pagecheck({ strategy }): unknown strategy 'bfs': use random, pct, pos, exhaustive");
    expect(() => pagecheck({ seed: -1 })).toThrow('pagecheck({ seed }): must be a non-negative integer, got -1');
    expect(() => pagecheck({ maxSchedules: 0 })).toThrow('pagecheck({ maxSchedules }): must be a positive integer, got 0');
    expect(() => pagecheck({ timeBudgetMs: Number.NaN })).toThrow('pagecheck({ timeBudgetMs }): must be a positive number of milliseconds, got NaN');
    expect(() => pagecheck({ shard: 'tests' as 'files' })).toThrow("pagecheck({ shard }): 'tests' is not a mode; use 'schedules' or 'files'");
    expect(() => pagecheck({ reportDir: '' })).toThrow('pagecheck({ reportDir }): must be a directory path or false, got ""');
    expect(() => pagecheck({ reportDir: true as never })).toThrow('pagecheck({ reportDir }): must be a directory path or false, got true');
    expect(() => pagecheck(null as never)).toThrow(TypeError);
  });
});
