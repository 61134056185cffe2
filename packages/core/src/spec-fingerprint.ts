import { fingerprintOf } from './engine/token.js';
import type { RaceSpec } from './spec.js';

/**
 * The spec's fingerprint: a hash of its name, thread names and sources, setup,
 * teardown and kernel configuration. Replay tokens carry it, so a token from a
 * changed spec is recognised.
 * @remarks Since 0.1.0
 */
export function specFingerprint<S>(spec: RaceSpec<S>): string {
  const text = [
    spec.name,
    ...Object.entries(spec.threads).map(([n, f]) => `${n}:${String(f)}`),
    String(spec.setup ?? ''),
    String(spec.teardown ?? ''),
    JSON.stringify(spec.kernel ?? {}, (_k, v: unknown) => (typeof v === 'function' ? String(v) : v)),
  ].join('\u0000');
  return fingerprintOf(text);
}
