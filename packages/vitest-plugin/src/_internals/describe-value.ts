/** Says briefly what a value is, for messages about a wrong received value. */
export function describeValue(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (typeof x === 'string') return `the string ${JSON.stringify(x.length > 60 ? `${x.slice(0, 57)}...` : x)}`;
  if (typeof x === 'number' || typeof x === 'boolean' || typeof x === 'bigint') return `the ${typeof x} ${String(x)}`;
  if (typeof x === 'function') return `a function${x.name === '' ? '' : ` (${x.name})`}`;
  if (typeof x === 'symbol') return `the symbol ${String(x)}`;
  if (Array.isArray(x)) return `an array of ${x.length} element${x.length === 1 ? '' : 's'}`;
  if (typeof (x as { then?: unknown }).then === 'function') return 'a Promise (explore() is synchronous; did you await something else?)';
  const keys = Object.keys(x as object);
  const ctor = (x as object).constructor?.name;
  const what = ctor !== undefined && ctor !== 'Object' ? `a ${ctor}` : 'an object';
  if (keys.length === 0) return `${what} with no keys`;
  const shown = keys.slice(0, 8).join(', ') + (keys.length > 8 ? ', ...' : '');
  return `${what} with keys { ${shown} }`;
}
