// Benchmark 1: sequential alloc/free on a 4M-page (16 GiB) kernel, page_owner history on and off,
// orders 0..3 mixed and order 0 alone (issue 14's figure: order-0 alloc/free through the public API).
import os from 'node:os';
import { CORE, median, progress } from './lib.mjs';

const { createKernel, GFP_KERNEL } = await import(CORE);

const PAGES = 1 << 22;
const ORDERS = [0, 1, 2, 3];

/**
 * One batch: alloc + free of each of `orders`, repeated until `ms` elapsed. Returns ops/s (an alloc or a free
 * is one op) in wall time and per second of the process's CPU time (user + system, every thread: the
 * garbage collector's helpers count), which other processes on the machine move less.
 */
function batch(k, orders, ms) {
  let ops = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  let now = start;
  do {
    for (let i = 0; i < 64; i++) {
      for (const order of orders) {
        const p = k.run(k.alloc_pages(GFP_KERNEL, order));
        k.run(k.__free_pages(p, order));
      }
    }
    ops += 64 * orders.length * 2;
    now = performance.now();
  } while (now - start < ms);
  const cpu = process.cpuUsage(cpu0);
  return { wall: (ops / (now - start)) * 1000, cpu: ops / ((cpu.user + cpu.system) / 1e6) };
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
  const on = createKernel({ pages: PAGES });
  const off = createKernel({ pages: PAGES, history: false });
  const kernels = [on, off];
  const configs = [
    { name: 'history on (default)', k: on, orders: ORDERS },
    { name: 'history: false', k: off, orders: ORDERS },
    { name: 'order 0, history on (default)', k: on, orders: [0] },
    { name: 'order 0, history: false', k: off, orders: [0] },
  ];
  const free0 = kernels.map((k) => k.nrFreePages);
  // The machine's 1-minute load average before and after: on a shared machine, wall-time figures fall as it rises.
  const loadBefore = os.loadavg()[0];
  for (const c of configs) {
    batch(c.k, c.orders, 200); // warm up the JIT
    c.samples = [];
    c.cpuSamples = [];
  }
  // Interleave the configurations rep by rep, so machine noise hits them alike.
  for (let r = 0; r < reps; r++) {
    for (const c of configs) {
      const b = batch(c.k, c.orders, batchMs);
      c.samples.push(b.wall);
      c.cpuSamples.push(b.cpu);
    }
  }
  const loadAfter = os.loadavg()[0];
  kernels.forEach((k, i) => {
    // Free pages are on the buddy lists (NR_FREE_PAGES) or on a per-cpu list (pcp->count): large zones keep up to pcp->high there.
    const onPcp = k.percpu.cpus.reduce((n, pcp) => n + k.m.words[pcp.count], 0);
    const leaked = free0[i] - k.nrFreePages - onPcp;
    if (leaked !== 0 || k.violations.length > 0) throw new Error(`alloc/free bench: ${configs[i].name} leaked ${leaked} pages or reported ${k.violations.length} violations`);
  });
  const steps = stepsPerOp(on);
  const meanOf = (orders) => orders.reduce((a, o) => a + steps[o].alloc + steps[o].free, 0) / (orders.length * 2);
  const results = configs.map((c) => {
    const opsPerSec = median(c.samples);
    const meanSteps = meanOf(c.orders);
    return {
      config: c.name, orders: c.orders, opsPerSec, samples: c.samples, opsPerCpuSec: median(c.cpuSamples), cpuSamples: c.cpuSamples,
      nsPerOp: 1e9 / opsPerSec, modelStepsPerOp: meanSteps, modelStepsPerSec: opsPerSec * meanSteps,
    };
  });
  return {
    pages: PAGES,
    orders: ORDERS,
    maxOrder: on.MAX_ORDER,
    reps,
    batchMs,
    loadAverage: [loadBefore, loadAfter],
    modelStepsPerOp: { byOrder: steps, mean: meanOf(ORDERS) },
    results,
    historyOffSpeedup: results[1].opsPerSec / results[0].opsPerSec,
    floor: 1e6,
    target: 5e6,
  };
}
