import type { ExploreDefaults } from '@pagecheck/core';
import { inject } from 'vitest';

/** The key under which the plugin provides its settings to the test workers. */
export const PROVIDE_KEY = 'pagecheck';

/** Exploration defaults set in vitest.config.ts with `pagecheck({ ... })`: every option of explore but the per-run ones. */
export type PluginDefaults = ExploreDefaults;

/** What the plugin provides to raceTest (through Vitest's provide/inject). */
export interface Provided {
  readonly defaults: PluginDefaults;
  /** This run's part of a `vitest --shard=i/n` run, 0-based as core's `shard`. */
  readonly shard?: { readonly index: number; readonly count: number };
  /** The project's testTimeout: a raceTest's default timeout is never below it. */
  readonly testTimeout?: number;
  /** The absolute directory for the HTML failure timelines of failing raceTests; absent: none written. */
  readonly reportDir?: string;
}

/** The plugin's settings in a test worker, or undefined without the plugin (or outside Vitest). */
export function readProvided(): Provided | undefined {
  let v: unknown;
  try {
    v = (inject as (key: string) => unknown)(PROVIDE_KEY);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null || typeof (v as Provided).defaults !== 'object') return undefined;
  return v as Provided;
}
