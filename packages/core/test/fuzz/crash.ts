import { expect } from 'vitest';

/**
 * Messages of errors the JavaScript engine throws when code trips over a value it
 * did not expect: an input that reached the inside of pagecheck unchecked.
 */
const INTERNAL = /Cannot read propert|Cannot set propert|is not a function|is not iterable|is not a constructor|Cannot convert|Cannot destructure|Invalid array length|Maximum call stack|Reduce of empty array|Invalid string length|Invalid time value|BigInt|Cannot create property|in operator|object null is not|(?:undefined|null) is not (?:a function|iterable|an object|a constructor)/;

/** What a call at an entry point did: returned, or threw an error that says what is wrong. */
export type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: Error };

/**
 * Calls `f` and checks that it returns, or throws an Error (not some other
 * value) whose message is pagecheck's own: not an engine error from deep inside.
 */
export function outcome(f: () => unknown): Outcome {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    expect(e, 'an entry point threw something other than an Error').toBeInstanceOf(Error);
    const err = e as Error;
    expect(err.message, `internal crash: ${err.stack ?? err.message}`).not.toMatch(INTERNAL);
    expect(err.message.length, 'an error with no message').toBeGreaterThan(10);
    return { ok: false, error: err };
  }
}

/** The same, as a predicate for stack-free checks (a message from deep inside). */
export function isInternalCrash(message: string): boolean {
  return INTERNAL.test(message);
}
