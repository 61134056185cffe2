/**
 * Generated litmus tests with atomic RMWs, and herd7's full sets of final
 * states for them: the reference of
 * packages/core/test/litmus-collection/generated-rmw.test.ts, which checks
 * the model's final states against herd7's test by test.
 *
 * Usage:
 *   node scripts/litmus/generated-rmw.mjs --herd <herd.exe> --lkmm <dir> --lib <herdtools7/herd/libdir> [--kind rmw|fences] [--seed 8] [--count 400] [--timeout 120] [--out <file>]
 * <dir> holds the kernel's tools/memory-model files (linux-kernel.{cfg,cat,bell,def},
 * lock.cat). Writes test-data/litmus/generated-rmw/tests.jsonl (--kind fences:
 * fences.jsonl): one line per
 * test herd7 finished within the timeout, `name`, `litmus` (the C litmus
 * text) and `herd` (herd7's states, as `0:r0=1;x=2`, entries and states
 * sorted); the tests it did not finish are named on stderr.
 *
 * The tests: deterministic in (seed, i); 2 or 3 threads of 2 or 3 ops on x
 * and y (atomic_t, initially 0, 1 or 2), about half the ops RMWs of every
 * kind and order, at least one per test, smp_mb() between accesses. Their
 * exists clause names every register and both locations, so herd7's
 * "States" block lists every final state.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'test-data', 'litmus', 'generated-rmw', 'tests.jsonl');
const OUT_FENCES = join(ROOT, 'test-data', 'litmus', 'generated-rmw', 'fences.jsonl');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0 && process.argv[i + 1] !== undefined) return process.argv[i + 1];
  if (fallback !== undefined) return fallback;
  console.error(`missing --${name}\nusage: node scripts/litmus/generated-rmw.mjs --herd <herd.exe> --lkmm <tools/memory-model dir> --lib <herdtools7/herd/libdir> [--kind rmw|fences] [--seed 8] [--count 400] [--timeout 120] [--out <file>]`);
  process.exit(2);
}

// mulberry32, seeded per test from (SEED, i).
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const hash = (s, i) => {
  let h = 2166136261 ^ s;
  for (const k of [s, i, s * 31 + i]) {
    h = Math.imul(h ^ k, 16777619) >>> 0;
    h ^= h >>> 13;
  }
  return h >>> 0;
};

const LOCS = ['x', 'y'];

// Each op: (loc, rand) => { text, reg: whether it assigns a register }. `R` marks the RMWs.
const plainOps = [
  { name: 'WRITE_ONCE', gen: (l, c) => ({ text: `WRITE_ONCE(*${l}, ${c(1, 3)});` }) },
  { name: 'READ_ONCE', gen: (l) => ({ text: `READ_ONCE(*${l})`, reg: true }) },
  { name: 'smp_store_release', gen: (l, c) => ({ text: `smp_store_release(${l}, ${c(1, 3)});` }) },
  { name: 'smp_load_acquire', gen: (l) => ({ text: `smp_load_acquire(${l})`, reg: true }) },
  { name: 'smp_mb', gen: () => ({ text: 'smp_mb();', fence: true }) },
];
const rmwOps = [
  { name: 'atomic_add', gen: (l, c) => ({ text: `atomic_add(${c(1, 2)}, ${l});` }) },
  { name: 'atomic_inc', gen: (l) => ({ text: `atomic_inc(${l});` }) },
  { name: 'atomic_add_return', gen: (l, c) => ({ text: `atomic_add_return(${c(1, 2)}, ${l})`, reg: true }) },
  { name: 'atomic_add_return_relaxed', gen: (l, c) => ({ text: `atomic_add_return_relaxed(${c(1, 2)}, ${l})`, reg: true }) },
  { name: 'atomic_add_return_acquire', gen: (l, c) => ({ text: `atomic_add_return_acquire(${c(1, 2)}, ${l})`, reg: true }) },
  { name: 'atomic_add_return_release', gen: (l, c) => ({ text: `atomic_add_return_release(${c(1, 2)}, ${l})`, reg: true }) },
  { name: 'atomic_fetch_add', gen: (l, c) => ({ text: `atomic_fetch_add(${c(1, 2)}, ${l})`, reg: true }) },
  { name: 'atomic_fetch_add_relaxed', gen: (l, c) => ({ text: `atomic_fetch_add_relaxed(${c(1, 2)}, ${l})`, reg: true }) },
  { name: 'atomic_xchg', gen: (l, c) => ({ text: `atomic_xchg(${l}, ${c(1, 3)})`, reg: true }) },
  { name: 'atomic_xchg_relaxed', gen: (l, c) => ({ text: `atomic_xchg_relaxed(${l}, ${c(1, 3)})`, reg: true }) },
  { name: 'atomic_cmpxchg', gen: (l, c) => ({ text: `atomic_cmpxchg(${l}, ${c(0, 2)}, ${c(1, 3)})`, reg: true }) },
  { name: 'atomic_cmpxchg_relaxed', gen: (l, c) => ({ text: `atomic_cmpxchg_relaxed(${l}, ${c(0, 2)}, ${c(1, 3)})`, reg: true }) },
  { name: 'atomic_add_unless', gen: (l, c) => ({ text: `atomic_add_unless(${l}, ${c(1, 2)}, ${c(0, 2)})`, reg: true }) },
];

// --kind fences: fewer RMWs (a quarter of the ops, none required), every fence, smp_store_mb,
// synchronize_rcu(), and a quarter of the threads inside rcu_read_lock()/rcu_read_unlock().
const fencePlainOps = [
  { name: 'WRITE_ONCE', gen: (l, c) => ({ text: `WRITE_ONCE(*${l}, ${c(1, 3)});` }) },
  { name: 'READ_ONCE', gen: (l) => ({ text: `READ_ONCE(*${l})`, reg: true }) },
  { name: 'READ_ONCE', gen: (l) => ({ text: `READ_ONCE(*${l})`, reg: true }) },
  { name: 'smp_store_release', gen: (l, c) => ({ text: `smp_store_release(${l}, ${c(1, 3)});` }) },
  { name: 'smp_load_acquire', gen: (l) => ({ text: `smp_load_acquire(${l})`, reg: true }) },
  { name: 'smp_store_mb', gen: (l, c) => ({ text: `smp_store_mb(*${l}, ${c(1, 3)});` }) },
  { name: 'smp_mb', gen: () => ({ text: 'smp_mb();', fence: true }) },
  { name: 'smp_rmb', gen: () => ({ text: 'smp_rmb();', fence: true }) },
  { name: 'smp_wmb', gen: () => ({ text: 'smp_wmb();', fence: true }) },
  { name: 'smp_mb__before_atomic', gen: () => ({ text: 'smp_mb__before_atomic();', fence: true }) },
  { name: 'smp_mb__after_atomic', gen: () => ({ text: 'smp_mb__after_atomic();', fence: true }) },
  { name: 'synchronize_rcu', gen: () => ({ text: 'synchronize_rcu();', fence: true }) },
];
const fenceRmwOps = [
  { name: 'atomic_inc', gen: (l) => ({ text: `atomic_inc(${l});` }) },
  { name: 'atomic_inc_return', gen: (l) => ({ text: `atomic_inc_return(${l})`, reg: true }) },
  { name: 'atomic_fetch_add_acquire', gen: (l, c) => ({ text: `atomic_fetch_add_acquire(${c(1, 2)}, ${l})`, reg: true }) },
  { name: 'atomic_fetch_add_release', gen: (l, c) => ({ text: `atomic_fetch_add_release(${c(1, 2)}, ${l})`, reg: true }) },
  { name: 'atomic_xchg_acquire', gen: (l, c) => ({ text: `atomic_xchg_acquire(${l}, ${c(1, 3)})`, reg: true }) },
  { name: 'atomic_xchg_release', gen: (l, c) => ({ text: `atomic_xchg_release(${l}, ${c(1, 3)})`, reg: true }) },
  { name: 'atomic_cmpxchg_acquire', gen: (l, c) => ({ text: `atomic_cmpxchg_acquire(${l}, ${c(0, 2)}, ${c(1, 3)})`, reg: true }) },
  { name: 'atomic_cmpxchg_release', gen: (l, c) => ({ text: `atomic_cmpxchg_release(${l}, ${c(0, 2)}, ${c(1, 3)})`, reg: true }) },
];

function genTest(seed, i, kind) {
  const plain = kind === 'fences' ? fencePlainOps : plainOps;
  const rmw = kind === 'fences' ? fenceRmwOps : rmwOps;
  const r = rng(hash(seed, i));
  const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = (a) => a[Math.floor(r() * a.length)];
  for (;;) {
    const nThreads = r() < 0.6 ? 2 : 3;
    const init = {};
    for (const l of LOCS) init[l] = r() < 0.7 ? 0 : int(1, 2);
    let rmws = 0;
    const threads = [];
    for (let t = 0; t < nThreads; t++) {
      const nOps = int(2, 3);
      const ops = [];
      let accesses = 0;
      let prevFence = false;
      while (ops.length < nOps) {
        const isRmw = r() < (kind === 'fences' ? 0.25 : 0.5);
        const o = pick(isRmw ? rmw : plain);
        const g = o.gen(pick(LOCS), int);
        // No fence first or last, nor two in a row: they would order nothing.
        if (g.fence && (ops.length === 0 || ops.length === nOps - 1 || prevFence)) continue;
        prevFence = g.fence === true;
        if (!g.fence) accesses++;
        if (isRmw) rmws++;
        ops.push(g);
      }
      if (accesses === 0) continue;
      let reg = 0;
      const regs = [];
      const lines = ops.map((g) => {
        if (!g.reg) return g.text;
        const name = `r${reg++}`;
        regs.push(name);
        return `${name} = ${g.text};`;
      });
      if (kind === 'fences' && r() < 0.25) {
        lines.unshift('rcu_read_lock();');
        lines.push('rcu_read_unlock();');
      }
      threads.push({ regs, lines });
    }
    if (threads.length !== nThreads || (kind !== 'fences' && rmws === 0)) continue;
    return { init, threads };
  }
}

function render(name, { init, threads }) {
  const out = [`C ${name}`, '', '(* Result: Sometimes *)', '', `{ ${LOCS.map((l) => `${l}=${init[l]};`).join(' ')} }`, ''];
  const atoms = [];
  threads.forEach((t, tid) => {
    out.push(`P${tid}(${LOCS.map((l) => `atomic_t *${l}`).join(', ')})`, '{');
    for (const rg of t.regs) out.push(`\tint ${rg};`);
    for (const l of t.lines) out.push(`\t${l}`);
    out.push('}', '');
    for (const rg of t.regs) atoms.push(`${tid}:${rg}=0`);
  });
  for (const l of LOCS) atoms.push(`${l}=0`);
  out.push(`exists (${atoms.join(' /\\ ')})`, '');
  return out.join('\n');
}


/** herd7's "States" block as sorted states (`[x]=1` as `x=1`), or undefined when herd7 printed none. */
function statesOf(output) {
  const lines = output.split('\n');
  const at = lines.findIndex((l) => /^States \d+$/.test(l));
  if (at < 0) return undefined;
  const n = Number(lines[at].slice('States '.length));
  const states = lines.slice(at + 1, at + 1 + n).map((l) =>
    l
      .split(';')
      .map((e) => e.trim().replace(/\s+/g, '').replace(/^\[([^\]]+)\]=/, '$1='))
      .filter((e) => e !== '')
      .sort()
      .join(';'),
  );
  return states.length === n ? [...new Set(states)].sort() : undefined;
}

const herd = arg('herd');
const lkmm = arg('lkmm');
const lib = arg('lib');
const SEED = Number(arg('seed', '8'));
const COUNT = Number(arg('count', '400'));
const timeout = Number(arg('timeout', '120'));
const kind = arg('kind', 'rmw');
if (kind !== 'rmw' && kind !== 'fences') {
  console.error(`--kind ${kind}: use rmw (the default) or fences`);
  process.exit(2);
}
const out = arg('out', kind === 'fences' ? OUT_FENCES : OUT);
for (const [what, p] of [['herd7 binary', herd], ['LKMM dir (linux-kernel.cfg)', join(lkmm, 'linux-kernel.cfg')], ['herd libdir (stdlib.cat)', join(lib, 'stdlib.cat')]]) {
  if (!existsSync(p)) {
    console.error(`${what} not found: ${p}`);
    process.exit(2);
  }
}
const dir = mkdtempSync(join(tmpdir(), 'generated-rmw-'));
const lines = [];
const unfinished = [];
for (let i = 0; i < COUNT; i++) {
  const name = `R${SEED}_${i}`;
  const text = render(name, genTest(SEED, i, kind));
  const file = join(dir, `${name}.litmus`);
  writeFileSync(file, text);
  const r = spawnSync('nice', [herd, '-I', lib, '-conf', 'linux-kernel.cfg', file], { cwd: lkmm, encoding: 'utf8', timeout: timeout * 1000 });
  const states = r.error === undefined ? statesOf(r.stdout ?? '') : undefined;
  if (states === undefined) unfinished.push(name);
  else lines.push(JSON.stringify({ name, litmus: text, herd: states }));
  process.stderr.write(`\r${i + 1}/${COUNT}`);
}
rmSync(dir, { recursive: true, force: true });
writeFileSync(out, lines.join('\n') + '\n');
console.error(`\nwrote ${lines.length} tests to ${out}${unfinished.length > 0 ? `; herd7 did not finish ${unfinished.join(', ')}` : ''}`);
