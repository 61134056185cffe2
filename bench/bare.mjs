// Benchmark 6: the ceiling. A 2-thread race of 20 steps in all (10 per thread), no kernel:
//  - bare generators driven by a tiny random scheduler (what a step costs at the very least),
//  - pagecheck's engine (Execution, RandomChooser) running the same race as engine ops, no kernel,
//  - fast-check's fc.scheduler running the same race as async functions.
import fc from 'fast-check';
import { ENGINE, median, progress, xorshift } from './lib.mjs';

const engine = await import(ENGINE);

const STEPS_PER_THREAD = 10;

function* bareThread(shared) {
  for (let i = 0; i < STEPS_PER_THREAD; i++) {
    const v = yield 0; // a scheduling point: the driver may switch threads here
    shared[0] = shared[0] + 1 + v;
  }
}

function bareGenerators(n, seed) {
  const rnd = xorshift(seed);
  const shared = new Int32Array(1);
  let total = 0;
  const t0 = performance.now();
  for (let s = 0; s < n; s++) {
    shared[0] = 0;
    const a = bareThread(shared);
    const b = bareThread(shared);
    a.next();
    b.next();
    let aDone = false;
    let bDone = false;
    while (!aDone || !bDone) {
      const pickA = aDone ? false : bDone ? true : (rnd() & 1) === 0;
      if (pickA) aDone = a.next(0).done === true;
      else bDone = b.next(0).done === true;
    }
    total += shared[0];
  }
  const ms = performance.now() - t0;
  if (total !== n * 2 * STEPS_PER_THREAD) throw new Error('bare race lost steps');
  return (n / ms) * 1000;
}

const bareProgram = (() => {
  const inc = engine.op(engine.RMW, { loc: 0, a: 1, rmw: engine.RMW_ADD, fn: 'inc' });
  function* thread() {
    for (let i = 0; i < STEPS_PER_THREAD; i++) yield inc;
  }
  return {
    name: 'bare',
    init(exec) {
      const memory = new engine.Memory(1);
      exec.attach(memory);
      return {
        memory,
        threads: [
          { name: 'a', start: thread },
          { name: 'b', start: thread },
        ],
        finish(ex) {
          if (memory.words[0] !== 2 * STEPS_PER_THREAD) ex.report('invariant', 'lost increments');
        },
      };
    },
  };
})();

function engineBare(n, seed) {
  let steps = 0;
  const r = engine.exploreProgram(bareProgram, { strategy: 'random', seed, maxSchedules: n, timeBudgetMs: 60_000, stopOnFirst: false, onRun: (e) => (steps += e.schedule.length) });
  if (r.failures.length > 0 || steps !== n * 2 * STEPS_PER_THREAD) throw new Error('engine bare race misbehaved');
  return (r.schedules / r.elapsedMs) * 1000;
}

async function fcBare(n, seed, wait) {
  let runs = 0;
  const t0 = performance.now();
  await fc.assert(
    fc.asyncProperty(fc.scheduler(), async (s) => {
      let shared = 0;
      let finished = false;
      const thread = async () => {
        for (let i = 0; i < STEPS_PER_THREAD; i++) {
          await s.schedule(Promise.resolve(), 'step');
          shared = shared + 1;
        }
      };
      const all = Promise.all([thread(), thread()]).then(() => (finished = true));
      if (wait === 'waitOne') {
        while (!finished) {
          if (s.count() > 0) await s.waitOne();
          else await null;
        }
      } else await s.waitFor(all);
      runs++;
      return shared === 2 * STEPS_PER_THREAD;
    }),
    { numRuns: n, seed },
  );
  return (runs / (performance.now() - t0)) * 1000;
}

export async function benchBare({ reps = 5, genSchedules = 200_000, engineSchedules = 50_000, fcRuns = 2_000 } = {}) {
  progress('bare: warming up');
  bareGenerators(20_000, 99);
  engineBare(5_000, 99);
  await fcBare(300, 99, 'waitFor');
  await fcBare(300, 99, 'waitOne');
  const s = { generators: [], engine: [], fcWaitFor: [], fcWaitOne: [] };
  for (let r = 0; r < reps; r++) {
    progress(`bare: rep ${r + 1}/${reps}`);
    s.generators.push(bareGenerators(genSchedules, r + 1));
    s.engine.push(engineBare(engineSchedules, r + 1));
    s.fcWaitFor.push(await fcBare(fcRuns, r + 1, 'waitFor'));
    s.fcWaitOne.push(await fcBare(fcRuns, r + 1, 'waitOne'));
  }
  return {
    threads: 2,
    stepsPerSchedule: 2 * STEPS_PER_THREAD,
    reps,
    generators: median(s.generators),
    engine: median(s.engine),
    fcWaitFor: median(s.fcWaitFor),
    fcWaitOne: median(s.fcWaitOne),
    samples: s,
    designSays: { generators: 1.5e6, fcScheduler: 8e3 },
  };
}
