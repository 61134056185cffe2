// Benchmark 11: memory and growth of a long thread. Each figure comes from a fresh child process
// (bench/growth-child.mjs), so one measurement's heap does not weigh on the next.
//   heap:   one race thread with 1e5 order-0 alloc/free pairs, explore() with default options, under a
//           heap limit (--max-old-space-size); the peak heapUsed sampled during the run.
//   growth: exhaustive time of the same one-thread spec at n and 2n pairs: linear growth gives a ratio near 2.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { CORE, ROOT, median, progress } from './lib.mjs';

const CHILD = path.join(ROOT, 'bench/growth-child.mjs');
const HEAP_LIMIT_MIB = 2048;

const TIMEOUT_MS = 120_000;

function child(core, mode, pairs) {
  try {
    const out = execFileSync(process.execPath, [`--max-old-space-size=${HEAP_LIMIT_MIB}`, CHILD, core, mode, String(pairs)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 24, timeout: TIMEOUT_MS });
    return { ok: true, ...JSON.parse(out.trim().split('\n').pop()) };
  } catch (e) {
    const err = String(e.stderr ?? e.message);
    if (e.signal === 'SIGTERM') return { ok: false, error: `not done in ${TIMEOUT_MS / 1000} s` };
    return { ok: false, error: /heap out of memory|Allocation failed/.test(err) ? `out of heap (${HEAP_LIMIT_MIB} MiB limit)` : err.split('\n').slice(-3).join(' ') };
  }
}

/**
 * `builds`: the builds to measure, by label and path of their packages/core/dist/index.js (default: this
 * one); with more than one, each measurement runs on every build in turn, so machine noise hits all alike.
 */
export function benchGrowth({ heapPairs = 100_000, growthPairs = 10_000, reps = 3, builds = [{ label: 'this build', core: CORE }] } = {}) {
  const heap = builds.map((b) => {
    progress(`growth (${b.label}): one race thread, ${heapPairs} alloc/free pairs, peak heap`);
    return child(b.core, 'heap', heapPairs);
  });
  const samples = builds.map(() => []);
  for (let r = 0; r < reps; r++) {
    builds.forEach((b, i) => {
      progress(`growth (${b.label}): exhaustive one-thread spec, ${growthPairs} vs ${2 * growthPairs} pairs (${r + 1}/${reps})`);
      samples[i].push(child(b.core, 'growth', growthPairs));
    });
  }
  const rows = builds.map((b, i) => {
    const ok = samples[i].filter((s) => s.ok);
    const growth = ok.length === 0 ? { ok: false, error: samples[i][0]?.error } : { ok: true, ms: median(ok.map((s) => s.ms)), ms2: median(ok.map((s) => s.ms2)), ratio: median(ok.map((s) => s.ratio)), ratios: ok.map((s) => s.ratio) };
    return { label: b.label, heap: heap[i], growth };
  });
  return { heapPairs, heapTargetBytes: 256 * 2 ** 20, growthPairs, reps, rows, ratioTarget: 2.3 };
}
