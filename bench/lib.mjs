// Shared helpers for the pagecheck benchmarks. Everything imports the BUILT packages (dist), as a user would.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CORE = path.join(ROOT, 'packages/core/dist/index.js');
/** The engine's subpath, @pagecheck/core/engine. */
export const ENGINE = path.join(ROOT, 'packages/core/dist/engine.js');
export const SCENARIOS = path.join(ROOT, 'packages/scenarios/dist/index.js');

/** Median of numbers (the mean of the middle two for even counts). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 === 1 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

export function min(xs) {
  return Math.min(...xs);
}

export function max(xs) {
  return Math.max(...xs);
}

/** Runs `fn` `reps` times and returns the list of its results. */
export function repeat(reps, fn) {
  const out = [];
  for (let i = 0; i < reps; i++) out.push(fn(i));
  return out;
}

export async function repeatAsync(reps, fn) {
  const out = [];
  for (let i = 0; i < reps; i++) out.push(await fn(i));
  return out;
}

/** Human formatting: 1234567 -> "1.23M", 12345 -> "12.3k". */
export function si(x, digits = 3) {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1e9) return `${(x / 1e9).toPrecision(digits)}G`;
  if (a >= 1e6) return `${(x / 1e6).toPrecision(digits)}M`;
  if (a >= 1e3) return `${(x / 1e3).toPrecision(digits)}k`;
  return x.toPrecision(digits);
}

export function ms(x) {
  if (!Number.isFinite(x)) return String(x);
  if (x >= 1000) return `${(x / 1000).toFixed(2)} s`;
  if (x >= 10) return `${x.toFixed(0)} ms`;
  if (x >= 1) return `${x.toFixed(1)} ms`;
  return `${x.toFixed(2)} ms`;
}

export function mib(bytes) {
  return `${(bytes / (1 << 20)).toFixed(0)} MiB`;
}

/** Prints a plain-text table: rows of cells, the first row the header. */
export function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c] ?? '').length)));
  const line = (r) => r.map((cell, c) => String(cell ?? '').padEnd(widths[c])).join('  ').trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** Logs a progress line to stderr (the table goes to stdout). */
export function progress(msg) {
  process.stderr.write(`[bench] ${msg}\n`);
}

/** A small fast PRNG (xorshift32) for the bare-generator driver. */
export function xorshift(seed) {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}
