import type { Pick } from './memory-model/choice.js';
import type { Decision } from './decision.js';

/**
 * Replay tokens: one short string that reproduces a run exactly.
 *
 *   pc1.<fingerprint>-<identity>.<threads>.<runs>
 *   pc1.<fingerprint>-<identity>.<threads>.<runs>.<picks>     (a run under memoryModel lkmm)
 *
 * `fingerprint` is a hash of the spec (its name, thread names, source text and
 * kernel configuration), so a token from a changed spec is recognised.
 * `identity` (absent from older tokens) is a hash of the spec's
 * name and thread names alone, so that the spec a token was made from is still
 * recognised after an edit, and a stale token is reported instead of ignored. `runs`
 * is the schedule, run-length encoded: `<thread><count>` pairs, thread ids
 * as one letter (a = thread 0), counts in decimal and omitted when 1.
 * `picks`, present only for a run under the weak memory model (possibly empty),
 * lists the stores that run chose, comma-separated: `b1=a0:1` says thread b's
 * step 1 read (or was placed after) the store of thread a's step 0, value 1;
 * `@3` names location 3's initial value.
 * A run with CHOICE steps (since 0.1.0: allocation failures explored with
 * `failAlloc: 'explore'`) ends its schedule with `+` and the outcomes other
 * than 0, comma-separated: `a5b3+b2=1` says thread b's step 2 chose 1 (an
 * injected failure); `a5b3+` is a run whose choices all took 0.
 * @remarks Since 0.1.0
 */
export interface ReplayToken {
  readonly fingerprint: string;
  /** The hash of the spec's name and thread names (absent from older tokens). @remarks Since 0.1.0 */
  readonly identity?: string;
  readonly threads: number;
  readonly schedule: readonly number[];
  /** The weak memory model's choices: present for a run under `lkmm`. */
  readonly picks?: readonly Pick[];
  /** The outcomes of the run's CHOICE steps other than 0: present when the run had CHOICE steps. @remarks Since 0.1.0 */
  readonly decisions?: readonly Decision[];
}

const PREFIX = 'pc1';

/**
 * Encodes a schedule as a token; `identity` names the spec across edits.
 * @example
 * ```ts
 * // The token of a schedule: thread 0 for two steps, then thread 1.
 * encodeToken(specFingerprint(spec), 2, [0, 0, 1], undefined, specIdentity(spec));
 * ```
 * @remarks Since 0.1.0
 */
export function encodeToken(fingerprint: string, threads: number, schedule: readonly number[], picks?: readonly Pick[], identity?: string, decisions?: readonly Decision[]): string {
  let out = '';
  let i = 0;
  while (i < schedule.length) {
    const t = schedule[i]!;
    let n = 1;
    while (i + n < schedule.length && schedule[i + n] === t) n++;
    out += String.fromCharCode(97 + t) + (n > 1 ? String(n) : '');
    i += n;
  }
  if (decisions !== undefined) out += `+${decisions.map((d) => `${letter(d.tid)}${d.index}=${d.value}`).join(',')}`;
  const weak = picks === undefined ? '' : `.${picks.map((p) => `${letter(p.tid)}${p.index}=${letter(p.alt.tid)}${p.alt.index}:${p.alt.value}`).join(',')}`;
  return `${PREFIX}.${fingerprint}${identity === undefined ? '' : `-${identity}`}.${threads.toString(36)}.${out}${weak}`;
}

function letter(tid: number): string {
  return tid < 0 ? '@' : String.fromCharCode(97 + tid);
}

/** Thrown for a token that cannot be read. */
export class ReplayTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplayTokenError';
  }
}

/**
 * Decodes a token; throws a ReplayTokenError that names what is wrong.
 * @example
 * ```ts
 * const token = decodeToken('pc1.i05pvy-eqw9fv.2.a102b2');
 * token.threads; // 2
 * token.schedule.length; // 104 steps: 102 of thread 0, then 2 of thread 1
 * ```
 * @remarks Since 0.1.0
 */
export function decodeToken(token: string): ReplayToken {
  if (typeof token !== 'string') throw new ReplayTokenError(`a replay token is a string like pc1.xxxxxxx.2.a5b3, got ${typeof token}`);
  const parts = token.trim().split('.');
  if ((parts.length !== 4 && parts.length !== 5) || parts[0] !== PREFIX) {
    throw new ReplayTokenError(`'${token}' is not a pagecheck replay token: expected four dot-separated parts starting with '${PREFIX}.', five for a run under memoryModel lkmm (copy the whole token from the failure message)`);
  }
  const [, spec, threadsText, runsAndChoices, weak] = parts as [string, string, string, string, string | undefined];
  const plus = runsAndChoices.indexOf('+');
  const runs = plus < 0 ? runsAndChoices : runsAndChoices.slice(0, plus);
  const named = /^([0-9a-z]+)(?:-([0-9a-z]+))?$/.exec(spec);
  if (named === null) throw new ReplayTokenError(`replay token '${token}': the fingerprint '${spec}' must be base-36 letters and digits (with its spec identity after a '-')`);
  const fingerprint = named[1]!;
  const id = named[2] === undefined ? {} : { identity: named[2] };
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
  const choices = plus < 0 ? {} : { decisions: decodeDecisions(token, runsAndChoices.slice(plus + 1), threads) };
  if (weak === undefined) return { fingerprint, ...id, threads, schedule, ...choices };
  const picks: Pick[] = [];
  for (const entry of weak === '' ? [] : weak.split(',')) {
    const m = /^([a-z])(\d+)=([a-z@])(\d+):(-?\d+)$/.exec(entry);
    if (m === null) throw new ReplayTokenError(`replay token '${token}': the memory-model choice '${entry}' is not like b1=a0:1`);
    const tidOf = (c: string): number => (c === '@' ? -1 : c.charCodeAt(0) - 97);
    picks.push({ tid: tidOf(m[1]!), index: Number(m[2]), alt: { tid: tidOf(m[3]!), index: Number(m[4]), value: Number(m[5]) } });
  }
  return { fingerprint, ...id, threads, schedule, picks, ...choices };
}

/** The `+` part of a token: `b2=1,a7=1`. */
function decodeDecisions(token: string, text: string, threads: number): Decision[] {
  const out: Decision[] = [];
  for (const entry of text === '' ? [] : text.split(',')) {
    const m = /^([a-z])(\d+)=(\d+)$/.exec(entry);
    if (m === null) throw new ReplayTokenError(`replay token '${token}': the choice '${entry}' is not like b2=1 (thread letter, step index, outcome)`);
    const tid = m[1]!.charCodeAt(0) - 97;
    if (tid >= threads) throw new ReplayTokenError(`replay token '${token}': the choice '${entry}' names thread ${tid} but the token says the spec has ${threads} threads`);
    out.push({ tid, index: Number(m[2]), value: Number(m[3]) });
  }
  return out;
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
