// Child of bench/growth.mjs (a fresh heap per measurement): node bench/growth-child.mjs <core dist/index.js> <mode> <pairs>
//   mode heap:   one race thread allocating and freeing <pairs> order-0 pages, explore() with default options;
//                prints the peak heapUsed sampled every 1000 pairs and the process's peak RSS.
//   mode growth: the same spec with <pairs> and 2 x <pairs> pairs (after a warm-up), wall time of each.
// It also runs against another build's dist, to compare builds side by side.
import { pathToFileURL } from 'node:url';

const [corePath, mode, pairsArg] = process.argv.slice(2);
const { explore, GFP_KERNEL } = await import(pathToFileURL(corePath).href);
const pairs = Number(pairsArg);
let peak = 0;
const sample = () => {
  const h = process.memoryUsage().heapUsed;
  if (h > peak) peak = h;
};

function spec(n) {
  return {
    name: `one thread, ${n} order-0 alloc/free pairs`,
    kernel: { pages: 64 },
    *setup() {
      return {};
    },
    threads: {
      *pairs(k) {
        for (let i = 0; i < n; i++) {
          const p = yield* k.alloc_pages(GFP_KERNEL, 0);
          if (p === null) throw new Error('alloc_pages failed');
          yield* k.__free_pages(p, 0);
          if (i % 1000 === 0) sample();
        }
      },
    },
  };
}

function timed(n) {
  const t = performance.now();
  const r = explore(spec(n), { maxSteps: 1e9 });
  const ms = performance.now() - t;
  if (!r.complete || r.violations.length > 0) throw new Error(`growth: ${n} pairs ended ${r.coverage.text} with ${r.violations.length} violations`);
  return { ms, schedules: r.schedules };
}

if (mode === 'heap') {
  const t = timed(pairs);
  sample();
  console.log(JSON.stringify({ pairs, ms: t.ms, peakHeap: peak, maxRss: process.resourceUsage().maxRSS * 1024 }));
} else if (mode === 'growth') {
  timed(pairs); // warm-up: the JIT compiles the kernel's generators
  const a = timed(pairs);
  const b = timed(2 * pairs);
  console.log(JSON.stringify({ pairs, ms: a.ms, ms2: b.ms, ratio: b.ms / a.ms }));
} else {
  throw new Error(`growth-child: mode must be heap or growth, got ${mode}`);
}
