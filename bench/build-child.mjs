// Child process of benchmark 2: builds one kernel in a fresh process and prints what it cost, as JSON.
// Usage: node bench/build-child.mjs <pages>
const pages = Number(process.argv[2] ?? 1 << 22);
const { createKernel } = await import(new URL('../packages/core/dist/index.js', import.meta.url).href);
// Warm nothing up: the first build is what a test pays. Settle the heap first if we can.
globalThis.gc?.();
const before = process.memoryUsage();
const t0 = performance.now();
const k = createKernel({ pages });
const t1 = performance.now();
const after = process.memoryUsage();
const nrFree = k.nrFreePages;
process.stdout.write(JSON.stringify({
  pages,
  nrFree,
  buildMs: t1 - t0,
  rssDelta: after.rss - before.rss,
  heapUsedDelta: after.heapUsed - before.heapUsed,
  arrayBuffersDelta: after.arrayBuffers - before.arrayBuffers,
  externalDelta: after.external - before.external,
  heapPlusArrayBuffersDelta: after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers),
  rss: after.rss,
  maxRss: process.resourceUsage().maxRSS * 1024,
}) + '\n');
