import { decodeToken } from '@pagecheck/core';

/** The exploration strategies a run-wide switch may choose. */
export const SWITCH_STRATEGIES = ['random', 'pct', 'pos', 'exhaustive'] as const;
export type SwitchStrategy = (typeof SWITCH_STRATEGIES)[number];

/** The PAGECHECK_* environment switches, parsed. */
export interface EnvSwitches {
  /** PAGECHECK_REPLAY: a token, with the fingerprint of the spec it was made from, and its identity (name and thread names; tokens since 0.2.0). */
  readonly replay?: { readonly token: string; readonly fingerprint: string; readonly identity?: string };
  /** PAGECHECK_SEED. */
  readonly seed?: number;
  /** PAGECHECK_STRATEGY. */
  readonly strategy?: SwitchStrategy;
  /** PAGECHECK_BUDGET: multiplies maxSchedules and timeBudgetMs. */
  readonly budget?: number;
  /** PAGECHECK_SHARD=i/n, as core's 0-based { index: i - 1, count: n }. */
  readonly shard?: { readonly index: number; readonly count: number };
}

/** Thrown for a PAGECHECK_* variable with a value that cannot be used. */
export class EnvSwitchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvSwitchError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads PAGECHECK_REPLAY, PAGECHECK_SEED, PAGECHECK_STRATEGY,
 * PAGECHECK_BUDGET and PAGECHECK_SHARD. Unset or empty variables are
 * absent; a bad value throws an EnvSwitchError that names every bad
 * variable and what it accepts.
 */
export function readEnvSwitches(env: Env): EnvSwitches {
  const problems: string[] = [];
  const out: { -readonly [K in keyof EnvSwitches]: EnvSwitches[K] } = {};
  const get = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };

  const replay = get('PAGECHECK_REPLAY');
  if (replay !== undefined) {
    try {
      const t = decodeToken(replay);
      out.replay = { token: replay, fingerprint: t.fingerprint, ...(t.identity === undefined ? {} : { identity: t.identity }) };
    } catch (e) {
      problems.push(`PAGECHECK_REPLAY=${replay}: ${e instanceof Error ? e.message : String(e)}. It accepts a replay token as printed in a failure, like pc1.1udj9nr.2.a63b2`);
    }
  }

  const seed = get('PAGECHECK_SEED');
  if (seed !== undefined) {
    const n = Number(seed);
    if (/^\d+$/.test(seed) && Number.isSafeInteger(n)) out.seed = n;
    else problems.push(`PAGECHECK_SEED=${seed}: it accepts a non-negative integer, like PAGECHECK_SEED=42`);
  }

  const strategy = get('PAGECHECK_STRATEGY');
  if (strategy !== undefined) {
    if ((SWITCH_STRATEGIES as readonly string[]).includes(strategy)) out.strategy = strategy as SwitchStrategy;
    else problems.push(`PAGECHECK_STRATEGY=${strategy}: it accepts ${SWITCH_STRATEGIES.join(', ')} (to replay one failure, set PAGECHECK_REPLAY=<token>)`);
  }

  const budget = get('PAGECHECK_BUDGET');
  if (budget !== undefined) {
    const n = Number(budget);
    if (/^\d*\.?\d+$/.test(budget) && Number.isFinite(n) && n > 0) out.budget = n;
    else problems.push(`PAGECHECK_BUDGET=${budget}: it accepts a positive number that multiplies maxSchedules and timeBudgetMs, like PAGECHECK_BUDGET=10 for a nightly run`);
  }

  const shard = get('PAGECHECK_SHARD');
  if (shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(shard);
    const i = m === null ? NaN : Number(m[1]);
    const n = m === null ? NaN : Number(m[2]);
    if (m !== null && n >= 1 && i >= 1 && i <= n) out.shard = { index: i - 1, count: n };
    else {
      const why = m === null ? 'it accepts <index>/<count>' : n < 1 ? 'the count must be at least 1' : `the index must be from 1 to ${n}`;
      problems.push(`PAGECHECK_SHARD=${shard}: ${why}, 1-based like vitest --shard (PAGECHECK_SHARD=1/3, 2/3, 3/3)`);
    }
  }

  if (problems.length > 0) {
    throw new EnvSwitchError(`invalid pagecheck environment switch${problems.length === 1 ? '' : 'es'}:\n  ${problems.join('\n  ')}`);
  }
  return out;
}
