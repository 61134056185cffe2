import { VIOLATION_KINDS } from '@pagecheck/core';
import { describeValue } from './describe-value.js';

/**
 * Checks what raceTest needs at registration, before Vitest sees the test:
 * the options object, `expect`, `replay` and the Vitest options it passes on.
 * Explore's own options are checked when the test runs, and fail the test
 * with a message naming the option.
 */
export function checkRaceTestOptions(name: unknown, options: unknown): void {
  const who = typeof name === 'string' ? `raceTest '${name}'` : 'raceTest';
  if (typeof name !== 'string') throw new TypeError(`raceTest(name, spec, options?): the name must be a string, got ${describeValue(name)}`);
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new TypeError(`${who}: options must be an object like { strategy, expect, timeout }, got ${describeValue(options)}`);
  const o = options as Record<string, unknown>;
  if (o.expect !== undefined) {
    if (!Array.isArray(o.expect)) throw new TypeError(`${who}: expect must be an array of violation kinds, got ${describeValue(o.expect)}; use ${VIOLATION_KINDS.join(', ')}`);
    const bad = o.expect.filter((k) => !(VIOLATION_KINDS as readonly unknown[]).includes(k));
    if (bad.length > 0) throw new TypeError(`${who}: expect lists ${bad.map((k) => (typeof k === 'string' ? JSON.stringify(k) : describeValue(k))).join(', ')}, not a violation kind; use ${VIOLATION_KINDS.join(', ')}`);
  }
  if (o.replay !== undefined && typeof o.replay !== 'string') throw new TypeError(`${who}: replay must be a replay token string as printed in a failure, like pc1.1udj9nr.2.a63b2, got ${typeof o.replay}`);
  if (o.timeout !== undefined && !(typeof o.timeout === 'number' && o.timeout > 0)) throw new TypeError(`${who}: timeout must be a positive number of milliseconds, got ${describeValue(o.timeout)}`);
  if (o.repeats !== undefined && !(typeof o.repeats === 'number' && Number.isSafeInteger(o.repeats) && o.repeats >= 0)) throw new TypeError(`${who}: repeats must be a non-negative integer, got ${describeValue(o.repeats)}`);
  if (o.retry !== undefined && !((typeof o.retry === 'number' && Number.isSafeInteger(o.retry) && o.retry >= 0) || (typeof o.retry === 'object' && o.retry !== null && !Array.isArray(o.retry)))) {
    throw new TypeError(`${who}: retry must be a non-negative integer (or Vitest's retry object), got ${describeValue(o.retry)}`);
  }
  if (o.tags !== undefined && !(typeof o.tags === 'string' || (Array.isArray(o.tags) && o.tags.every((t) => typeof t === 'string')))) throw new TypeError(`${who}: tags must be a tag name or an array of them, got ${describeValue(o.tags)}`);
}
