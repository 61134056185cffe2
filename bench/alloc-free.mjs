// Benchmark 1: sequential alloc/free on a 4M-page (16 GiB) kernel, page_owner history on and off.
import { CORE, median, progress } from './lib.mjs';

const { createKernel, GFP_KERNEL } = await import(CORE);

const PAGES = 1 << 22;
const ORDERS = [0, 1, 2, 3];

/** One batch: alloc + free of orders 0..3, repeated until `ms` elapsed. Returns ops/s (an alloc or a free is one op). */
function batch(k, ms) {
  let ops = 0;
  const start = performance.now();
  let now = start;
  do {
    for (let i = 0; i < 64; i++) {
      for (const order of ORDERS) {
        const p = k.run(k.alloc_pages(GFP_KERNEL, order));
        k.run(k.__free_pages(p, order));
      }
    }
    ops += 64 * ORDERS.length * 2;
    now = performance.now();
  } while (now - start < ms);
  return (ops / (now - start)) * 1000;
}

/** Model steps (yields: loads, stores, atomics, locks) one alloc and one free take, per order. */
function stepsPerOp(k) {
  const t = { id: -1, name: 'count', daemon: false, gen: undefined, pending: undefined, done: false, steps: 0, lastLoadLoc: -1, lastLoadStep: -1, lastLoadValue: 0 };
  const drive = (gen) => {
    let v = 0;
    let n = 0;
    for (;;) {
      const r = gen.next(v);
      if (r.done) return [r.value, n];
      v = k.exec.perform(t, r.value);
      n++;
    }
  };
  const out = {};
  for (const order of ORDERS) {
    const [p, a] = drive(k.alloc_pages(GFP_KERNEL, order));
    const [, f] = drive(k.__free_pages(p, order));
    out[order] = { alloc: a, free: f };
  }
  return out;
}

export function benchAllocFree({ reps = 5, batchMs = 300 } = {}) {
  progress(`alloc/free: building two ${PAGES}-page kernels`);
  const configs = [
    { name: 'history on (default)', k: createKernel({ pages: PAGES }) },
    { name: 'history: false', k: createKernel({ pages: PAGES, history: false }) },
  ];
  for (const c of configs) {
    c.free0 = c.k.nrFreePages;
    batch(c.k, 200); // warm up the JIT
    c.samples = [];
  }
  // Interleave the two configurations rep by rep, so machine noise hits both alike.
  for (let r = 0; r < reps; r++) {
    for (const c of configs) c.samples.push(batch(c.k, batchMs));
  }
  const steps = stepsPerOp(configs[0].k);
  const totalSteps = Object.values(steps).reduce((a, s) => a + s.alloc + s.free, 0);
  const meanSteps = totalSteps / (ORDERS.length * 2);
  const results = configs.map((c) => {
    // Free pages are on the buddy lists (NR_FREE_PAGES) or on a per-cpu list (pcp->count): large zones keep up to pcp->high there.
    const onPcp = c.k.percpu.cpus.reduce((n, pcp) => n + c.k.m.words[pcp.count], 0);
    const leaked = c.free0 - c.k.nrFreePages - onPcp;
    if (leaked !== 0 || c.k.violations.length > 0) throw new Error(`alloc/free bench: ${c.name} leaked ${leaked} pages or reported ${c.k.violations.length} violations`);
    const opsPerSec = median(c.samples);
    return { config: c.name, opsPerSec, samples: c.samples, nsPerOp: 1e9 / opsPerSec, modelStepsPerSec: opsPerSec * meanSteps };
  });
  return {
    pages: PAGES,
    orders: ORDERS,
    maxOrder: configs[0].k.MAX_ORDER,
    reps,
    batchMs,
    modelStepsPerOp: { byOrder: steps, mean: meanSteps },
    results,
    historyOffSpeedup: results[1].opsPerSec / results[0].opsPerSec,
    target: 5e6,
  };
}
