/**
 * A small seeded PRNG (splitmix32): integer arithmetic only, so the same seed
 * gives the same numbers on every machine and Node version.
 * @remarks Since 0.1.0
 */
export class Rng {
  /** The state, in a typed array: a uint32 above 2^30 kept in a field would be boxed at every draw. */
  private readonly state = new Uint32Array(1);

  constructor(seed: number) {
    this.state[0] = seed >>> 0;
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    let z = (this.state[0]! + 0x9e3779b9) >>> 0;
    this.state[0] = z;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** A uniform integer in [0, n). */
  below(n: number): number {
    const x = this.next();
    // x % n, computed in two 16-bit halves so that every operand stays a small integer: the modulo of a
    // uint32 above 2^31 is a floating-point fmod, the costliest part of a random step. Same result.
    if (n <= 0x7fff) return ((((x >>> 16) % n) << 16) + (x & 0xffff)) % n;
    return x % n;
  }
}

/** Derives the seed of schedule `i` from a run seed, so schedules are independent of each other. */
export function scheduleSeed(seed: number, i: number): number {
  const r = new Rng((seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0);
  r.next();
  return r.next();
}
