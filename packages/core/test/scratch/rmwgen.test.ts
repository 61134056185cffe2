/**
 * Scratch measuring tool (not a regression test): the model's lkmm final-state
 * sets against herd7's on random RMW litmus tests (/tmp/rmwgen/gen.mjs writes
 * the tests, /tmp/rmwgen/herd.sh herd7's states). Run from the repo root:
 *
 *   HERD=/tmp/rmwgen/herd9.jsonl TDIR=/tmp/rmwgen/t9 npx vitest run packages/core/test/scratch/rmwgen.test.ts
 *
 * Optional: CMP (default /tmp/rmwgen/cmp.txt, appended to), BUDGET_MS (per-test
 * time budget of the exploration, default 20000), ONLY (comma-separated test names).
 * Skipped when HERD or TDIR is unset. Mismatches do not fail it; errors do.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exploreProgram } from '../../src/engine/explore-program.js';
import { checkLitmus, litmusProgram, parseExists, withDeps } from '../../src/engine/litmus/litmus.js';
import * as litmus from '../../src/engine/litmus/ops.js';
import { num, Val } from '../../src/engine/litmus/values.js';
import { convertLitmus } from '../../../../scripts/litmus/convert.ts';
import { parseCLitmus } from '../../../../scripts/litmus/parse.ts';
import { toLitmusTest } from '../../../../scripts/litmus/run.ts';

const HERD = process.env.HERD;
const TDIR = process.env.TDIR;
const CMP = process.env.CMP ?? '/tmp/rmwgen/cmp.txt';
const BUDGET_MS = Number(process.env.BUDGET_MS ?? 20_000);
const ONLY = process.env.ONLY === undefined ? undefined : new Set(process.env.ONLY.split(','));
const engine = { checkLitmus, parseExists, litmus, withDeps, Val };

interface HerdLine {
  readonly name: string;
  readonly states?: readonly string[];
  readonly error?: string;
}

/** Every final state of the test under lkmm, as herd prints them (`0:r0=1;x=2`, entries sorted), and whether the exploration finished. */
function modelStates(text: string, name: string): { states: Set<string>; complete: boolean; stopped: string; schedules: number; ms: number } {
  const c = convertLitmus(parseCLitmus(text), `${name}.litmus`);
  if (!c.ok) throw new Error(`${name}: does not convert: ${c.missing.join(', ')}`);
  const test = toLitmusTest(c.test, engine);
  // As checkLitmus does, with a time budget: the names of the exists clause (herd observes those).
  const names = new Set<string>();
  for (const m of test.exists.matchAll(/(?:(\d+):)?([A-Za-z_][A-Za-z0-9_]*)=/g)) names.add(m[1] === undefined ? m[2]! : `${m[1]}:${m[2]}`);
  const program = litmusProgram(test);
  const states = new Set<string>();
  const r = exploreProgram(program, {
    strategy: 'exhaustive',
    memoryModel: 'lkmm',
    stopOnFirst: false,
    maxSchedules: 1_000_000,
    timeBudgetMs: BUDGET_MS,
    onRun(exec) {
      const regs = program.registersOf(exec);
      const final = (n: string): number => exec.memory.words[test.locations.indexOf(n)] ?? 0;
      states.add(
        [...names]
          .map((n) => {
            const m = /^(\d+):(.*)$/.exec(n);
            return `${n}=${m === null ? final(n) : num(regs[Number(m[1])]?.[m[2]!] ?? 0)}`;
          })
          .sort()
          .join(';'),
      );
    },
  });
  return { states, complete: r.complete, stopped: r.stopped, schedules: r.schedules, ms: Math.round(r.elapsedMs) };
}

describe.skipIf(HERD === undefined || TDIR === undefined)('rmwgen: model vs herd7 final-state sets', () => {
  it('compares every test', () => {
    const herd = readFileSync(HERD!, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as HerdLine)
      .filter((h) => ONLY === undefined || ONLY.has(h.name));
    appendFileSync(CMP, `# run ${new Date().toISOString()} HERD=${HERD} TDIR=${TDIR} BUDGET_MS=${BUDGET_MS}\n`);
    let equal = 0;
    let compared = 0;
    let incomplete = 0;
    let modelOnlyTests = 0;
    let herdOnlyTests = 0;
    const herdErrors: string[] = [];
    for (const h of herd) {
      if (h.states === undefined) {
        herdErrors.push(h.name);
        appendFileSync(CMP, `${h.name} herd-error ${h.error ?? ''}\n`);
        continue;
      }
      const text = readFileSync(join(TDIR!, `${h.name}.litmus`), 'utf8');
      const m = modelStates(text, h.name);
      const herdSet = new Set(h.states);
      const modelOnly = [...m.states].filter((s) => !herdSet.has(s)).sort();
      const herdOnly = [...herdSet].filter((s) => !m.states.has(s)).sort();
      const same = modelOnly.length === 0 && herdOnly.length === 0;
      compared++;
      if (same) equal++;
      if (!m.complete) incomplete++;
      if (modelOnly.length > 0) modelOnlyTests++;
      if (herdOnly.length > 0) herdOnlyTests++;
      appendFileSync(
        CMP,
        `${h.name} ${same ? 'equal' : 'DIFF'} model=${m.states.size} herd=${herdSet.size} complete=${m.complete}${m.complete ? '' : `(${m.stopped})`} schedules=${m.schedules} ms=${m.ms}` +
          (same ? '' : ` model-only=[${modelOnly.join(' ')}] herd-only=[${herdOnly.join(' ')}]`) + '\n',
      );
    }
    const summary = `equal ${equal}/${compared} (model-only in ${modelOnlyTests}, herd-only in ${herdOnlyTests}, incomplete ${incomplete}, herd errors ${herdErrors.length})`;
    appendFileSync(CMP, `# ${summary}\n`);
    console.log(summary);
    expect(compared).toBeGreaterThan(0);
  }, 3_600_000);
});
