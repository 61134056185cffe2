// The free-pages-speculative race as an engine Program built from the PUBLIC API of @pagecheck/core
// (Kernel, and Execution from @pagecheck/core/engine), so that pagecheck's own scheduler and fast-check's fc.scheduler can
// drive exactly the same kernel model code, setup snapshot and end-of-run checks.
//
// programOf() mirrors what explore() does internally (packages/core/src/spec.ts specProgram):
// a fresh Kernel per run started from a snapshot taken after the first setup, the spec's threads,
// the kernel's daemons, and the teardown checks (k.finalChecks: leaks, memcg balance, free lists).
import { CORE, ENGINE } from './lib.mjs';

const { Kernel } = await import(CORE);
const engine = await import(ENGINE);

function isGenerator(x) {
  return typeof x === 'object' && x !== null && typeof x.next === 'function' && typeof x.throw === 'function';
}

/** An engine Program for a RaceSpec, from public API only. */
export function programOf(spec) {
  let saved;
  return {
    name: spec.name,
    init(exec) {
      const k = new Kernel(spec.kernel ?? {}, exec, saved?.snap);
      exec.attach(k.m.memory);
      let s;
      if (saved !== undefined) s = saved.s;
      else if (spec.setup !== undefined) {
        const r = spec.setup(k);
        s = isGenerator(r) ? exec.runSequential(r, 'setup') : r;
      }
      if (saved === undefined && exec.violations.length === 0) saved = { snap: k.snapshot(), s };
      const threads = Object.entries(spec.threads).map(([name, fn]) => ({ name, start: () => fn(k, s) }));
      threads.push(...k.daemons());
      return {
        memory: k.m.memory,
        threads,
        describe: (arg) => k.describe(arg),
        framesOf: (tid) => k.framesOf(tid),
        finish(ex) {
          if (spec.teardown !== undefined) {
            const r = spec.teardown(k, s);
            if (isGenerator(r)) ex.runSequential(r, 'teardown');
          }
          k.finalChecks();
        },
      };
    },
  };
}

const { LOCK, WAIT, Execution, StopRun } = engine;

function enabled(exec, t) {
  const o = t.pending;
  const w = exec.memory.words[o.loc];
  if (o.kind === LOCK) return (w & o.a) === 0;
  if (o.kind === WAIT) return o.pred !== undefined ? o.pred(w) : (w & o.a) === o.b;
  return true;
}

/**
 * One run of `program` with fast-check's scheduler `s` choosing the interleaving.
 * Each thread is an async function that awaits `s.schedule(...)` before every step it takes, then
 * performs the step with the engine's own Execution.perform (same memory semantics and checks as a
 * pagecheck run). A thread whose next op is a blocked lock does not schedule; it sleeps until the
 * holder's step frees it (so blocked spinning adds no scheduling points). Returns the Execution:
 * its `schedule.length` is the number of steps taken, its `violations` what the checks found.
 *
 * `wait` picks how the test waits for the threads: 'waitFor' (s.waitFor(Promise.all(threads)),
 * fast-check's documented way to wait for a given promise) or 'waitOne' (a hand loop of s.waitOne()
 * until the threads finished: no 50-microtask idle detection, the fastest correct driver).
 */
export async function runWithFcScheduler(program, s, { maxSteps = 20_000, wait = 'waitFor' } = {}) {
  const exec = new Execution(program, { maxSteps });
  try {
    exec.world = program.init(exec);
  } catch (e) {
    if (e instanceof StopRun) return exec;
    throw e;
  }
  exec.memory = exec.world.memory;
  if (exec.stopped) return exec;
  const world = exec.world;
  const bodies = world.threads;
  if (bodies.length > 1) exec.memory.track();
  exec.phase = 'threads';
  const threads = exec.threads;
  for (let i = 0; i < bodies.length; i++) {
    threads.push({ id: i, name: bodies[i].name, daemon: bodies[i].daemon === true, gen: undefined, pending: undefined, done: false, steps: 0, lastLoadLoc: -1, lastLoadStep: -1, lastLoadValue: 0 });
  }
  const advance = (t, value) => {
    let r;
    try {
      r = t.gen.next(value);
    } catch (e) {
      if (e instanceof StopRun) {
        exec.stopped = true;
        return;
      }
      t.done = true;
      exec.current = t.id;
      exec.report('thread-error', `thread ${t.name} threw ${e instanceof Error ? e.message : String(e)}`, { error: e });
      return;
    }
    if (r.done === true) {
      t.done = true;
      t.pending = undefined;
    } else t.pending = r.value;
  };
  for (const t of threads) {
    exec.current = t.id;
    t.gen = bodies[t.id].start();
    advance(t, 0);
    if (exec.stopped) return exec;
  }
  const sleepers = new Map(); // tid -> wake()
  const wakeAll = () => {
    for (const [tid, wake] of sleepers) {
      const t = threads[tid];
      if (exec.stopped || t.done || enabled(exec, t)) {
        sleepers.delete(tid);
        wake();
      }
    }
  };
  const step = (t) => {
    exec.current = t.id;
    // The run-length encoded schedule (exec.schedule is derived from it): the thread, and the threads enabled when it was picked.
    let mask = 0;
    for (const u of threads) if (!u.done && enabled(exec, u)) mask |= 1 << u.id;
    exec.log.push(t.id, mask);
    const value = exec.perform(t, t.pending);
    exec.step++;
    t.steps++;
    if (world.afterStep !== undefined) world.afterStep(exec);
    if (!exec.stopped) advance(t, value);
    if (!exec.stopped && exec.step >= maxSteps) exec.report('step-limit', `run exceeded ${maxSteps} steps`);
    if (sleepers.size > 0) wakeAll();
  };
  const runThread = async (t) => {
    while (!t.done && !exec.stopped) {
      if (!enabled(exec, t)) {
        const others = threads.filter((u) => u !== t && !u.done && !u.daemon && !sleepers.has(u.id));
        if (others.length === 0) {
          exec.violations.push({ kind: 'deadlock', message: 'every live thread is blocked', thread: t.name, step: exec.step });
          exec.stopped = true;
          wakeAll();
          return;
        }
        await new Promise((wake) => sleepers.set(t.id, wake));
        continue;
      }
      await s.schedule(Promise.resolve(), t.name);
      if (exec.stopped || t.done) return;
      if (!enabled(exec, t)) continue; // the other thread took the lock meanwhile: sleep again
      step(t);
    }
  };
  let finished = false;
  const all = Promise.all(threads.map(runThread)).then(() => {
    finished = true;
  });
  if (wait === 'waitOne') {
    // The cheapest correct driver: release one scheduled task at a time until every thread returned.
    // (waitAll alone can return while a thread is between two steps, before it scheduled its next one.)
    while (!finished) {
      if (s.count() > 0) await s.waitOne();
      else await null;
    }
  } else await s.waitFor(all);
  exec.current = -1;
  if (!exec.stopped) {
    exec.phase = 'teardown';
    try {
      world.finish?.(exec);
    } catch (e) {
      if (!(e instanceof StopRun)) throw e;
    }
  }
  exec.phase = 'done';
  return exec;
}
