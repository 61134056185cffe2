// Benchmark 4: pagecheck's random strategy against fast-check's fc.scheduler driving the same kernel
// model (free-pages-speculative, 462a8e08e0e6, compound order 2: a clean case, so every run executes).
//
// Both sides run the same Program (bench/model.mjs programOf: the public Kernel, the scenario's
// threads, the same setup snapshot and teardown checks) and take the same steps (Execution.perform);
// only who picks the next thread differs. Samples are interleaved so machine noise hits all sides.
import fc from 'fast-check';
import { CORE, ENGINE, median, progress } from './lib.mjs';
import { programOf, runWithFcScheduler } from './model.mjs';
import { speculativeSpec } from './explore.mjs';

const { explore, GFP_KERNEL, __GFP_COMP } = await import(CORE);
const engine = await import(ENGINE);

/** pagecheck through its public API: explore(spec, { strategy: 'random' }). */
function pagecheckExplore(spec, n, seed) {
  const r = explore(spec, { strategy: 'random', seed, maxSchedules: n, timeBudgetMs: 60_000, stopOnFirst: false, shrink: false });
  return { schedulesPerSec: (r.schedules / r.elapsedMs) * 1000, violations: r.violations.length };
}

/** pagecheck's engine on the shared Program, counting steps per schedule. */
function pagecheckProgram(program, n, seed) {
  let steps = 0;
  let violations = 0;
  const r = engine.exploreProgram(program, {
    strategy: 'random', seed, maxSchedules: n, timeBudgetMs: 60_000, stopOnFirst: false,
    onRun: (e) => {
      steps += e.schedule.length;
      violations += e.violations.length;
    },
  });
  return { schedulesPerSec: (r.schedules / r.elapsedMs) * 1000, meanSteps: steps / r.schedules, violations };
}

/** fast-check: fc.assert(fc.asyncProperty(fc.scheduler(), ...)) with numRuns schedules. */
async function fastCheck(program, n, seed, wait) {
  let runs = 0;
  let steps = 0;
  let violations = 0;
  const t0 = performance.now();
  await fc.assert(
    fc.asyncProperty(fc.scheduler(), async (s) => {
      const exec = await runWithFcScheduler(program, s, { wait });
      runs++;
      steps += exec.schedule.length;
      violations += exec.violations.length;
      if (exec.violations.length === 0 && exec.threads.some((t) => !t.done)) throw new Error('a thread did not finish');
      return exec.violations.length === 0;
    }),
    { numRuns: n, seed },
  );
  const ms = performance.now() - t0;
  return { schedulesPerSec: (runs / ms) * 1000, meanSteps: steps / runs, violations, runs };
}

export async function benchFastCheck({ reps = 5, pagecheckSchedules = 10_000, fcRuns = 2_000 } = {}) {
  const spec = speculativeSpec(GFP_KERNEL | __GFP_COMP);
  const program = programOf(spec);
  // Sanity: the shared Program explores exactly like explore() (same exhaustive schedule count, same kinds).
  const a = explore(spec, { strategy: 'exhaustive', stopOnFirst: false, shrink: false });
  const b = engine.exploreProgram(program, { strategy: 'exhaustive', stopOnFirst: false });
  if (a.schedules !== b.schedules || a.kinds.length !== b.failures.length) throw new Error(`shared Program differs from explore(): ${a.schedules}/${b.schedules} schedules`);

  progress('fast-check: warming up');
  pagecheckExplore(spec, 2_000, 99);
  pagecheckProgram(program, 2_000, 99);
  await fastCheck(program, 300, 99, 'waitFor');
  await fastCheck(program, 300, 99, 'waitOne');

  const sides = {
    pagecheckExplore: [],
    pagecheckProgram: [],
    fcWaitFor: [],
    fcWaitOne: [],
  };
  for (let r = 0; r < reps; r++) {
    progress(`fast-check: rep ${r + 1}/${reps}`);
    sides.pagecheckExplore.push(pagecheckExplore(spec, pagecheckSchedules, r + 1));
    sides.pagecheckProgram.push(pagecheckProgram(program, pagecheckSchedules, r + 1));
    sides.fcWaitFor.push(await fastCheck(program, fcRuns, r + 1, 'waitFor'));
    sides.fcWaitOne.push(await fastCheck(program, fcRuns, r + 1, 'waitOne'));
  }
  const rate = (k) => median(sides[k].map((s) => s.schedulesPerSec));
  const steps = (k) => median(sides[k].map((s) => s.meanSteps));
  const ratio = (k) => median(sides.pagecheckExplore.map((p, i) => p.schedulesPerSec / sides[k][i].schedulesPerSec));
  return {
    case: 'free-pages-speculative 462a8e08e0e6, compound, order 2 (clean)',
    reps,
    pagecheckSchedules,
    fcRuns,
    fastCheckVersion: fc.__version,
    pagecheck: { explore: rate('pagecheckExplore'), program: rate('pagecheckProgram'), meanSteps: steps('pagecheckProgram') },
    fcWaitFor: { schedulesPerSec: rate('fcWaitFor'), meanSteps: steps('fcWaitFor') },
    fcWaitOne: { schedulesPerSec: rate('fcWaitOne'), meanSteps: steps('fcWaitOne') },
    // Median over reps of the per-rep ratio (both sides measured back to back).
    ratioVsWaitFor: ratio('fcWaitFor'),
    ratioVsWaitOne: ratio('fcWaitOne'),
    samples: sides,
    target: 20,
  };
}
