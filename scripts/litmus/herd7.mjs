/**
 * Runs herd7 with the Linux-kernel memory model on every converted test of
 * paulmckrcu/litmus (test-data/litmus/paulmckrcu/tests.jsonl) and writes its
 * verdicts to test-data/litmus/paulmckrcu/herd7.json: the reference the
 * collection's test compares the model with, besides each test's Result line.
 *
 * Usage:
 *   node scripts/litmus/herd7.mjs --herd <herd.exe> --lkmm <dir> --lib <herdtools7/herd/libdir> --litmus <clone of paulmckrcu/litmus> [--timeout 60] [--only name,...]
 * <dir> holds linux-kernel.{cfg,cat,bell,def} and lock.cat (the kernel's
 * tools/memory-model). herd7 runs niced, one test at a time, each with a
 * timeout; a test that exceeds it is recorded as a timeout. An existing
 * herd7.json is resumed: tests already recorded with the same herd7 are not
 * run again (delete the file to start over).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DATA = join(ROOT, 'test-data', 'litmus', 'paulmckrcu');
const OUT = join(DATA, 'herd7.json');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0 && process.argv[i + 1] !== undefined) return process.argv[i + 1];
  if (fallback !== undefined) return fallback;
  console.error(`missing --${name}\nusage: node scripts/litmus/herd7.mjs --herd <herd.exe> --lkmm <tools/memory-model dir> --lib <herdtools7/herd/libdir> --litmus <clone of paulmckrcu/litmus> [--timeout 60] [--only name,...]`);
  process.exit(2);
}

const herd = arg('herd');
const lkmm = arg('lkmm');
const lib = arg('lib');
const litmus = arg('litmus');
const timeout = Number(arg('timeout', '60'));
const only = process.argv.includes('--only') ? new Set(arg('only').split(',')) : undefined;
for (const [what, p] of [['herd7 binary', herd], ['LKMM dir (linux-kernel.cfg)', join(lkmm, 'linux-kernel.cfg')], ['herd libdir (stdlib.cat)', join(lib, 'stdlib.cat')], ['litmus clone', join(litmus, 'manual')]]) {
  if (!existsSync(p)) {
    console.error(`${what} not found: ${p}`);
    process.exit(2);
  }
}

const version = execFileSync(herd, ['-version'], { encoding: 'utf8' }).trim();
const m = /^(\S+), Rev: (\S+)/.exec(version);
if (m === null) throw new Error(`cannot read herd7's version from '${version}'`);
const [, herdVersion, herdtools7] = m;
const litmusCommit = execFileSync('git', ['-C', litmus, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
const hash = (f) => execFileSync('git', ['hash-object', join(lkmm, f)], { encoding: 'utf8' }).trim();
const model = Object.fromEntries(['linux-kernel.cat', 'linux-kernel.bell', 'linux-kernel.def', 'linux-kernel.cfg', 'lock.cat'].map((f) => [f, hash(f)]));

const tests = readFileSync(join(DATA, 'tests.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
const prev = existsSync(OUT) ? JSON.parse(readFileSync(OUT, 'utf8')) : undefined;
const done = new Map(prev !== undefined && prev.herd7 === herdVersion && prev.herdtools7 === herdtools7 && prev.timeoutSeconds === timeout ? prev.results.map((r) => [r.source, r]) : []);

/** herd7's answer from its output: the Observation line (Always/Sometimes/Never, positive and negative witnesses) and the flags. */
function parse(out) {
  const obs = /^Observation \S+ (Always|Sometimes|Never) (\d+) (\d+)/m.exec(out);
  if (obs === null) return undefined;
  const flags = [...out.matchAll(/^Flag (\S+)/gm)].map((f) => f[1]).sort();
  return { observation: obs[1], positive: Number(obs[2]), negative: Number(obs[3]), flags };
}

function write() {
  const results = tests.flatMap((t) => (done.has(t.source) ? [done.get(t.source)] : []));
  const data = {
    herd7: herdVersion, herdtools7, litmusCommit, model, timeoutSeconds: timeout,
    command: `nice herd7 -I <herdtools7>/herd/libdir -conf linux-kernel.cfg <test> (run in the LKMM directory, timeout ${timeout} s)`,
    results,
  };
  // One result a line: the file diffs line by line when herd7 is run again.
  const head = JSON.stringify({ ...data, results: [] }, null, 1).replace(/\[\]\n\}$/, '');
  writeFileSync(OUT, `${head}[\n${results.map((r) => `  ${JSON.stringify(r)}`).join(',\n')}\n ]\n}\n`);
}

let n = 0;
for (const t of tests) {
  if (only !== undefined && !only.has(t.name)) continue;
  if (only === undefined && done.has(t.source)) continue;
  const start = Date.now();
  const r = spawnSync('nice', ['-n', '19', herd, '-I', lib, '-conf', 'linux-kernel.cfg', join(litmus, t.source)], { cwd: lkmm, encoding: 'utf8', timeout: timeout * 1000, killSignal: 'SIGKILL', maxBuffer: 64 << 20 });
  const seconds = Math.round((Date.now() - start) / 100) / 10;
  let rec;
  if (r.error !== undefined && r.error.code === 'ETIMEDOUT') rec = { name: t.name, source: t.source, timeout: true };
  else {
    const p = parse(r.stdout ?? '');
    rec = p === undefined ? { name: t.name, source: t.source, error: `${(r.stderr ?? '').trim().split('\n').slice(-2).join(' ') || `exit ${r.status}`}` } : { name: t.name, source: t.source, ...p, seconds };
  }
  done.set(t.source, rec);
  if (++n % 25 === 0) write();
  if (rec.timeout || rec.error) console.log(`${t.source}: ${rec.timeout ? 'timeout' : rec.error}`);
}
write();
const all = [...done.values()];
console.log(`${all.length} recorded: ${all.filter((r) => r.observation).length} finished, ${all.filter((r) => r.timeout).length} timed out, ${all.filter((r) => r.error).length} errors`);
