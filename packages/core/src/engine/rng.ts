/**
 * A small seeded PRNG (splitmix32): integer arithmetic only, so the same seed
 * gives the same numbers on every machine and Node version.
 * @remarks Since 0.1.0
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** A uniform integer in [0, n). */
  below(n: number): number {
    return this.next() % n;
  }
}

/** Derives the seed of schedule `i` from a run seed, so schedules are independent of each other. */
export function scheduleSeed(seed: number, i: number): number {
  const r = new Rng((seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0);
  r.next();
  return r.next();
}
