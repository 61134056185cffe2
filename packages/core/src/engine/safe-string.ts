/**
 * A value as an error message shows it, like `String(v)`, but never throwing:
 * `String` throws on an object without a prototype or with a throwing
 * `toString`, and an error message about a bad input must not become a crash
 * of its own.
 */
export function safeString(v: unknown): string {
  try {
    return String(v);
  } catch {
    try {
      return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x)) ?? Object.prototype.toString.call(v);
    } catch {
      return Object.prototype.toString.call(v);
    }
  }
}
