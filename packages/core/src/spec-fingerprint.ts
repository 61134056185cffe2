import { fingerprintOf, type ReplayToken } from './engine/token.js';
import type { RaceSpec } from './spec.js';

/**
 * The spec's fingerprint: a hash of its name, thread names and sources, setup,
 * teardown and kernel configuration. Replay tokens carry it, so a token from a
 * changed spec is recognised.
 * @example
 * ```ts
 * specFingerprint(spec); // 'i05pvy': changes when the spec's code or kernel config changes
 * ```
 * @remarks Since 0.1.0
 */
export function specFingerprint<S>(spec: RaceSpec<S>): string {
  const text = [
    spec.name,
    ...Object.entries(spec.threads).map(([n, f]) => `${n}:${String(f)}`),
    String(spec.setup ?? ''),
    String(spec.teardown ?? ''),
    JSON.stringify(spec.kernel ?? {}, (_k, v: unknown) => (typeof v === 'function' ? String(v) : typeof v === 'bigint' ? `${v}n` : v)),
  ].join('\u0000');
  return fingerprintOf(text);
}

/**
 * The spec's identity: a hash of its name and thread names alone, which an
 * edit of its code or kernel leaves as it is. A replay token carries it, so
 * that a token whose fingerprint no longer matches is recognised as made from
 * this spec before it changed (see staleTokenMessage).
 * @example
 * ```ts
 * specIdentity(spec); // 'eqw9fv': changes only with the spec's name or thread names
 * ```
 * @remarks Since 0.1.0
 */
export function specIdentity<S>(spec: RaceSpec<S>): string {
  return fingerprintOf([spec.name, ...Object.keys(spec.threads)].join('\u0000'));
}

/**
 * Why a replay token does not fit a spec, and what to do: the spec changed
 * since the token was made (or the token is from another spec), with the
 * fingerprints, the runtime caveat (Vitest transforms test files, so a spec
 * in a test file has another fingerprint there than in plain Node), and the
 * remedy (remove the token; explore again to record a new one).
 * @example
 * ```ts
 * const decoded = decodeToken(token);
 * if (decoded.fingerprint !== specFingerprint(spec)) throw new Error(staleTokenMessage(spec, token, decoded));
 * ```
 * @remarks Since 0.1.0
 */
export function staleTokenMessage<S>(spec: RaceSpec<S>, token: string, decoded: ReplayToken): string {
  const fp = specFingerprint(spec);
  const same = decoded.identity === specIdentity(spec);
  const what = same
    ? `spec '${spec.name}' changed since the token was made (its code, setup, teardown or kernel configuration: fingerprint ${decoded.fingerprint} in the token, ${fp} now)`
    : `it was made from a different spec than '${spec.name}' as it is now (fingerprint ${decoded.fingerprint}, spec has ${fp}), or from this spec before it changed`;
  return (
    `replay token ${token} does not match: ${what}. The token's schedule may mean nothing in the code as it is: ` +
    `remove the token, and explore again to record a new one. ` +
    `(Fingerprints hash the code as it runs: Vitest transforms test files, so a spec in a test file has another fingerprint under Vitest than in plain Node; replay a token where it was printed.)`
  );
}
