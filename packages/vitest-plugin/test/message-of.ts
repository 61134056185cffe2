/** The message of the error `fn` throws; fails if it does not throw. */
export function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  throw new Error('expected the assertion to fail, but it passed');
}
