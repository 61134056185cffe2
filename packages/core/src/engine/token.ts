/**
 * Replay tokens: one short string that reproduces a run exactly.
 *
 *   pc1.<fingerprint>.<threads>.<runs>
 *
 * `fingerprint` is a hash of the spec (its name, thread names, source text and
 * kernel configuration), so a token from a changed spec is recognised. `runs`
 * is the schedule, run-length encoded: `<thread><count>` pairs, thread ids
 * as one letter (a = thread 0), counts in decimal and omitted when 1.
 * @remarks Since 0.1.0
 */
export interface ReplayToken {
  readonly fingerprint: string;
  readonly threads: number;
  readonly schedule: readonly number[];
}

const PREFIX = 'pc1';

/** Encodes a schedule as a token. */
export function encodeToken(fingerprint: string, threads: number, schedule: readonly number[]): string {
  let out = '';
  let i = 0;
  while (i < schedule.length) {
    const t = schedule[i]!;
    let n = 1;
    while (i + n < schedule.length && schedule[i + n] === t) n++;
    out += String.fromCharCode(97 + t) + (n > 1 ? String(n) : '');
    i += n;
  }
  return `${PREFIX}.${fingerprint}.${threads.toString(36)}.${out}`;
}

/** Thrown for a token that cannot be read. */
export class ReplayTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplayTokenError';
  }
}

/** Decodes a token; throws a ReplayTokenError that names what is wrong. */
export function decodeToken(token: string): ReplayToken {
  if (typeof token !== 'string') throw new ReplayTokenError(`a replay token is a string like pc1.xxxxxxx.2.a5b3, got ${typeof token}`);
  const parts = token.trim().split('.');
  if (parts.length !== 4 || parts[0] !== PREFIX) {
    throw new ReplayTokenError(`'${token}' is not a pagecheck replay token: expected four dot-separated parts starting with '${PREFIX}.' (copy the whole token from the failure message)`);
  }
  const [, fingerprint, threadsText, runs] = parts as [string, string, string, string];
  if (!/^[0-9a-z]+$/.test(fingerprint)) throw new ReplayTokenError(`replay token '${token}': the fingerprint '${fingerprint}' must be base-36 letters and digits`);
  const threads = parseInt(threadsText, 36);
  if (!/^[0-9a-z]+$/.test(threadsText) || !Number.isFinite(threads) || threads < 1 || threads > 30) {
    throw new ReplayTokenError(`replay token '${token}': the thread count '${threadsText}' is not a number from 1 to 30`);
  }
  const schedule: number[] = [];
  const re = /([a-z])([0-9]*)/y;
  let pos = 0;
  while (pos < runs.length) {
    re.lastIndex = pos;
    const m = re.exec(runs);
    if (m === null) throw new ReplayTokenError(`replay token '${token}': unexpected '${runs[pos]}' at position ${pos} of the schedule '${runs}'`);
    const t = m[1]!.charCodeAt(0) - 97;
    if (t >= threads) throw new ReplayTokenError(`replay token '${token}' names thread ${t} but says the spec has ${threads} threads`);
    const n = m[2] === '' ? 1 : parseInt(m[2]!, 10);
    for (let i = 0; i < n; i++) schedule.push(t);
    pos = re.lastIndex;
  }
  return { fingerprint, threads, schedule };
}

/** A 32-bit FNV-1a hash of text, in base 36. */
export function fingerprintOf(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}
