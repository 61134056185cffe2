import { describe, expect, it } from 'vitest';
import { racingSteps } from '../../../src/engine/diagram.js';
import { RMW_ADD } from '../../../src/engine/op.js';
import { explore } from '../../../src/explore.js';
import { racingPairs } from '../../../src/report/racing-pairs.js';
import { load, lock, program, rmw, runWith, store, unlock } from '../engine/programs.js';
import { ReplayChooser } from '../../../src/engine/strategies.js';
import { Execution } from '../../../src/engine/execution.js';
import { specProgram } from '../../../src/spec.js';
import { checkThenFree } from './specs.js';

describe('racingPairs', () => {
  it('pairs accesses of different threads to one word when one of them writes', () => {
    const p = program('two writers, a reader', 2, [
      { name: 'A', *start() { yield store(0, 1); yield load(1); } },
      { name: 'B', *start() { yield load(0); yield rmw(0, RMW_ADD, 1); yield load(1); } },
    ]);
    const trace = runWith(p).trace!;
    // A: 0 store w0, 1 load w1; B: 2 load w0, 3 rmw w0, 4 load w1 (two loads of w1 do not race).
    expect(racingPairs(trace)).toEqual([{ a: 0, b: 2, loc: 0 }, { a: 0, b: 3, loc: 0 }]);
  });

  it('does not pair a thread with itself', () => {
    const p = program('alone', 1, [{ name: 'A', *start() { yield store(0, 1); yield load(0); yield store(0, 2); } }]);
    expect(racingPairs(runWith(p).trace!)).toEqual([]);
  });

  it('does not pair accesses made under a common lock, and pairs them outside it', () => {
    const p = program('locked', 3, [
      { name: 'A', *start() { yield lock(2); yield store(0, 1); yield unlock(2); yield store(1, 1); } },
      { name: 'B', *start() { yield lock(2); yield store(0, 2); yield unlock(2); yield store(1, 2); } },
    ]);
    const trace = runWith(p).trace!;
    // Lock and unlock steps are not accesses; word 0 is written under the lock, word 1 outside it.
    expect(racingPairs(trace)).toEqual([{ a: 3, b: 7, loc: 1 }]);
  });

  it('marks the steps the race diagram marks as racing', () => {
    const failure = explore(checkThenFree).failure!;
    const exec = new Execution(specProgram(checkThenFree), { record: true }).run(new ReplayChooser(failure.schedule, true));
    const trace = exec.trace!;
    const fromPairs = new Set(racingPairs(trace).flatMap((r) => [r.a, r.b]));
    const marked = racingSteps(trace);
    // The diagram also keeps the last step, racing or not.
    marked.delete(trace.length - 1);
    fromPairs.delete(trace.length - 1);
    expect([...fromPairs].sort((x, y) => x - y)).toEqual([...marked].sort((x, y) => x - y));
    expect(fromPairs.size).toBeGreaterThan(0);
  });
});
