/** The error a failing raceTest throws; its stack points at the raceTest() call. */
export class RaceTestFailure extends Error {
  constructor(message: string, site?: string) {
    super(message);
    this.name = 'RaceTestFailure';
    if (site !== undefined) this.stack = `${this.name}: ${message}\n${site}`;
  }
}

/** The stack frames of the caller's caller: where raceTest() was called. */
export function callSite(): string | undefined {
  const stack = new Error().stack;
  if (stack === undefined) return undefined;
  // Drop "Error", callSite and the raceTest function that called it.
  return stack.split('\n').slice(3).join('\n');
}
