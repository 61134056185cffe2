import { EXPLORE_OPTIONS, EXPLORE_OPTION_NAMES, type ExploreOptions, type OptionDefinition } from '@pagecheck/core';

type Definitions = typeof EXPLORE_OPTIONS;

/** The options of explore that a PAGECHECK_* variable sets (each option's `env` in core's EXPLORE_OPTIONS). */
type SwitchedOption = { [K in keyof Definitions]: Definitions[K] extends { readonly env: object } ? K : never }[keyof Definitions];

/**
 * The PAGECHECK_* environment switches, parsed: the options of explore that
 * have a switch (PAGECHECK_REPLAY, PAGECHECK_SEED, PAGECHECK_STRATEGY,
 * PAGECHECK_SHARD as core's 0-based { index, count }, ...), and
 * PAGECHECK_BUDGET, which multiplies maxSchedules and timeBudgetMs.
 */
export type EnvSwitches = { readonly [K in SwitchedOption]?: ExploreOptions[K] } & { readonly budget?: number };

/** Thrown for a PAGECHECK_* variable with a value that cannot be used. */
export class EnvSwitchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvSwitchError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads the PAGECHECK_* switch of every option of explore that has one, and
 * PAGECHECK_BUDGET. Unset or empty variables are absent; a bad value throws an
 * EnvSwitchError that names every bad variable and what it accepts.
 */
export function readEnvSwitches(env: Env): EnvSwitches {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  const get = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };

  for (const option of EXPLORE_OPTION_NAMES) {
    const sw = (EXPLORE_OPTIONS[option] as OptionDefinition<unknown>).env;
    const text = sw === undefined ? undefined : get(sw.name);
    if (sw === undefined || text === undefined) continue;
    try {
      out[option] = sw.parse(text);
    } catch (e) {
      problems.push(`${sw.name}=${text}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  const budget = get('PAGECHECK_BUDGET');
  if (budget !== undefined) {
    const n = Number(budget);
    if (/^\d*\.?\d+$/.test(budget) && Number.isFinite(n) && n > 0) out.budget = n;
    else problems.push(`PAGECHECK_BUDGET=${budget}: it accepts a positive number that multiplies maxSchedules and timeBudgetMs, like PAGECHECK_BUDGET=10 for a nightly run`);
  }

  if (problems.length > 0) {
    throw new EnvSwitchError(`invalid pagecheck environment switch${problems.length === 1 ? '' : 'es'}:\n  ${problems.join('\n  ')}`);
  }
  return out as EnvSwitches;
}
