// Benchmark 8: what generator mechanics cost per step, with no engine and no kernel.
//  - "delegation": one chain of `depth` delegating generators per schedule; each step's value passes
//    through every level (the cost of `yield*` depth alone);
//  - "fresh chain": a chain of `depth` levels created anew for each step, as kernel code does when a
//    step comes from a helper call (put_page -> page_ref_dec_and_test -> ...);
//  - one-op leaf helpers three ways: a generator, a reused iterator object, the op inlined.
import { median, progress } from './lib.mjs';

const STEPS = 88; // the steps of a free-pages-speculative schedule (benchmark 4)

function* leaf(n) {
  let s = 0;
  for (let i = 0; i < n; i++) s += yield i;
  return s;
}
function* wrap(d, n) {
  if (d === 0) return yield* leaf(n);
  return yield* wrap(d - 1, n);
}
function* chain(d) {
  if (d === 0) return yield 1;
  return yield* chain(d - 1);
}
function* freshPerStep(d, n) {
  let s = 0;
  for (let i = 0; i < n; i++) s += yield* chain(d);
  return s;
}

function* leafGen(x) {
  return ((yield x) & 4) !== 0;
}
class OneOp {
  constructor() {
    this.state = 0;
    this.op = 0;
    this.res = { value: 0, done: false };
  }
  [Symbol.iterator]() {
    return this;
  }
  next(v) {
    if (this.state === 0) {
      this.state = 1;
      this.res.done = false;
      this.res.value = this.op;
      return this.res;
    }
    this.state = 0;
    this.res.done = true;
    this.res.value = (v & 4) !== 0;
    return this.res;
  }
}
const one = new OneOp();
function leafIter(x) {
  one.op = x;
  one.state = 0;
  return one;
}
function* callsGen(n) {
  let s = 0;
  for (let i = 0; i < n; i++) if (yield* leafGen(i)) s++;
  return s;
}
function* callsIter(n) {
  let s = 0;
  for (let i = 0; i < n; i++) if (yield* leafIter(i)) s++;
  return s;
}
function* callsInline(n) {
  let s = 0;
  for (let i = 0; i < n; i++) if (((yield i) & 4) !== 0) s++;
  return s;
}

/** ns per step driving `make()` to completion `runs` times. */
function perStep(make, runs) {
  let steps = 0;
  const t0 = performance.now();
  for (let r = 0; r < runs; r++) {
    const g = make();
    let x = g.next();
    while (x.done !== true) {
      x = g.next(typeof x.value === 'number' ? x.value : 1);
      steps++;
    }
  }
  return ((performance.now() - t0) * 1e6) / steps;
}

export function benchGenerators({ reps = 5, runs = 40_000 } = {}) {
  const cases = [];
  for (const depth of [0, 2, 4, 6]) {
    cases.push({ name: `delegation, depth ${depth}`, make: () => wrap(depth, STEPS) });
    cases.push({ name: `fresh chain per step, depth ${depth}`, make: () => freshPerStep(depth, STEPS) });
  }
  cases.push({ name: 'one-op leaf helper: a generator', make: () => callsGen(STEPS) });
  cases.push({ name: 'one-op leaf helper: a reused iterator', make: () => callsIter(STEPS) });
  cases.push({ name: 'one-op leaf helper: the op inlined', make: () => callsInline(STEPS) });
  progress(`generators: ${cases.length} cases x ${reps} reps of ${runs} schedules`);
  for (const c of cases) perStep(c.make, runs / 10); // warm up
  const samples = new Map(cases.map((c) => [c.name, []]));
  // Interleaved rep by rep, so the machine's load hits every case alike.
  for (let r = 0; r < reps; r++) for (const c of cases) samples.get(c.name).push(perStep(c.make, runs));
  const rows = cases.map((c) => {
    const ns = median(samples.get(c.name));
    return { case: c.name, nsPerStep: ns, schedulesPerSec: 1e9 / (ns * STEPS), samples: samples.get(c.name) };
  });
  return { stepsPerSchedule: STEPS, reps, runs, rows };
}
