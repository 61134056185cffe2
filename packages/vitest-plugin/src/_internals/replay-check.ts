import type { Reporter, TestModule } from 'vitest/node';
import { decodeToken } from '@pagecheck/core';
import { readEnvSwitches } from './env-switches.js';

/**
 * Says why a PAGECHECK_REPLAY token replayed no race test of a run, or
 * undefined when one replayed it (or failed on it as stale: that test says
 * so itself), when no token is set, or when the token is bad (every race
 * test fails with that already).
 */
export function unmatchedReplay(env: Readonly<Record<string, string | undefined>>, modules: readonly TestModule[]): string | undefined {
  let replay: { token: string; fingerprint: string } | undefined;
  try {
    const token = readEnvSwitches(env).replay;
    replay = token === undefined ? undefined : { token, fingerprint: decodeToken(token).fingerprint };
  } catch {
    return undefined;
  }
  if (replay === undefined) return undefined;
  for (const m of modules) {
    for (const t of m.children.allTests()) {
      if (t.meta().pagecheck?.strategy === 'replay') return undefined;
      const errors = t.result().errors ?? [];
      if (errors.some((e) => e.message.startsWith(`PAGECHECK_REPLAY=${replay!.token}:`))) return undefined;
    }
  }
  return (
    `PAGECHECK_REPLAY=${replay.token} replayed no race test in this run: no raceTest that ran has the spec the token was made from (fingerprint ${replay.fingerprint}). ` +
    `That spec was renamed or changed since the token was made (an older token, without the spec's identity, cannot tell which test is its own), or its test did not run (a file or -t filter). ` +
    `Remove PAGECHECK_REPLAY to explore, or run the test the token came from and record a new token. ` +
    `(Fingerprints hash the code as it runs: a token printed in plain Node, by the pagecheck command or a script, has another fingerprint under Vitest.)\n`
  );
}

/**
 * A reporter that fails the run (exit code 1) with unmatchedReplay's message
 * when PAGECHECK_REPLAY replayed nothing: a stale token is never silently
 * ignored. Added by the plugin for each Vitest run.
 */
export function replayCheckReporter(env: Readonly<Record<string, string | undefined>>): Reporter {
  return {
    onTestRunEnd(modules, _errors, reason) {
      if (reason === 'interrupted') return;
      const message = unmatchedReplay(env, modules);
      if (message === undefined) return;
      process.stderr.write(`\npagecheck: ${message}`);
      process.exitCode = 1;
    },
  };
}
