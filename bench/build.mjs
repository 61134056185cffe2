// Benchmark 2: time and memory to build a 4M-page kernel, each sample in a fresh child process.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT, median, progress } from './lib.mjs';

export function nodeBinary() {
  const local = path.join(ROOT, 'node_modules/.bin/node');
  return existsSync(local) ? local : process.execPath;
}

export function benchBuild({ reps = 5, pages = 1 << 22 } = {}) {
  const node = nodeBinary();
  const child = path.join(ROOT, 'bench/build-child.mjs');
  const samples = [];
  for (let i = 0; i < reps; i++) {
    progress(`build: child ${i + 1}/${reps}`);
    const r = spawnSync(node, ['--expose-gc', child, String(pages)], { encoding: 'utf8', cwd: ROOT });
    if (r.status !== 0) throw new Error(`build child failed (${r.status}): ${r.stderr}`);
    samples.push(JSON.parse(r.stdout.trim().split('\n').pop()));
  }
  const pick = (f) => median(samples.map(f));
  return {
    pages,
    gib: (pages * 4096) / 2 ** 30,
    node,
    reps,
    buildMs: pick((s) => s.buildMs),
    rssDelta: pick((s) => s.rssDelta),
    heapPlusArrayBuffersDelta: pick((s) => s.heapPlusArrayBuffersDelta),
    maxRss: pick((s) => s.maxRss),
    samples,
    targetMs: 1000,
    targetBytes: 300 * 2 ** 20,
  };
}
