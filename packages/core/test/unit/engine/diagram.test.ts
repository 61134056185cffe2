import { describe, expect, it } from 'vitest';
import { racingSteps, renderDiagram } from '../../../src/engine/diagram.js';
import { Execution, type Program } from '../../../src/engine/execution.js';
import { Memory } from '../../../src/engine/memory.js';
import { LOAD, op, RMW, RMW_ADD, STORE, type Op } from '../../../src/engine/op.js';
import { ReplayChooser } from '../../../src/engine/strategies.js';
import { lock, program, runWith, store, unlock } from './programs.js';

/**
 * Two threads in kernel-like calls: cpu0's page_inc() loads P7's count and
 * stores it back plus one; cpu1's get_page() increments it atomically. Both do
 * private work inside their calls first. Each thread names its current call,
 * as the kernel model does.
 */
function racyCalls(): Program {
  return {
    name: 'racy calls',
    init(exec: Execution) {
      const memory = new Memory(4);
      exec.attach(memory);
      const frames: string[][] = [[], []];
      function* call(tid: number, name: string, body: () => Generator<Op, void, number>): Generator<Op, void, number> {
        frames[tid] = [name];
        yield* body();
        frames[tid] = [];
      }
      return {
        memory,
        describe: (arg) => `P${arg}`,
        framesOf: (tid) => frames[tid]!,
        threads: [
          {
            name: 'cpu0',
            *start() {
              yield* call(0, 'page_inc(P7)', function* () {
                yield op(STORE, { loc: 2, a: 1, fn: 'prep_work', arg: 7 });
                yield op(STORE, { loc: 2, a: 2, fn: 'prep_work', arg: 7 });
                const v = yield op(LOAD, { loc: 0, fn: 'page_count', arg: 7, show: (x) => String(x) });
                yield op(STORE, { loc: 0, a: v + 1, paired: true, fn: 'set_page_count', arg: 7 });
              });
            },
          },
          {
            name: 'cpu1',
            *start() {
              yield* call(1, 'get_page(P7)', function* () {
                yield op(STORE, { loc: 3, a: 1, fn: 'other_work', arg: 7 });
                yield op(RMW, { loc: 0, rmw: RMW_ADD, a: 1, fn: 'page_ref_inc', arg: 7, show: (x) => String(x) });
              });
            },
          },
        ],
      };
    },
  };
}

function cells(line: string): string[] {
  return line.split('|').map((c) => c.trim());
}

describe('renderDiagram', () => {
  const run = new Execution(racyCalls(), { record: true }).run(new ReplayChooser([0, 0, 0, 1, 1, 0], true));

  it('records the lost update this diagram is about', () => {
    expect(run.violations.map((v) => v.kind)).toEqual(['lost-update']);
  });

  it('has one column per thread, headed by the thread names', () => {
    const lines = renderDiagram(run).split('\n');
    expect(cells(lines[0]!)).toEqual(['cpu0', 'cpu1']);
    expect(lines[1]).toMatch(/^-+-\+-+$/);
    for (const line of lines.slice(2)) {
      const c = cells(line);
      expect(c).toHaveLength(2);
      // Each row is one thread's: text in exactly one column.
      expect(c.filter((x) => x !== '')).toHaveLength(1);
    }
  });

  it('shows the racing steps under their calls, with the values read, and folds the rest', () => {
    const text = renderDiagram(run, { violation: { tid: 0, text: '>>> lost-update' } });
    const rows = text.split('\n').slice(2).map(cells);
    expect(rows).toEqual([
      ['page_inc(P7)', ''],
      ['page_count(P7) == 0', ''],
      ['', 'get_page(P7)'],
      ['', 'page_ref_inc(P7) == 0'],
      ['page_inc(P7)', ''],
      ['set_page_count(P7)', ''],
      ['>>> lost-update', ''],
    ]);
    // Racing steps are indented under their call.
    expect(text).toContain('\n  page_count(P7) == 0');
    expect(text).not.toContain('prep_work');
    expect(text).not.toContain('other_work');
  });

  it('shows every step when asked to', () => {
    const text = renderDiagram(run, { full: true });
    expect(text).toContain('prep_work(P7)');
    expect(text).toContain('other_work(P7)');
  });

  it('elides the earliest rows beyond maxRows and says how many', () => {
    const lines = renderDiagram(run, { maxRows: 2 }).split('\n');
    expect(lines[2]).toBe('(4 earlier rows not shown)');
    expect(lines).toHaveLength(5);
    expect(lines[4]).toContain('set_page_count(P7)');
  });

  it('needs a recorded run', () => {
    const unrecorded = new Execution(racyCalls()).run(new ReplayChooser([0], true));
    expect(() => renderDiagram(unrecorded)).toThrow(/needs a recorded run \(record: true\)/);
  });

  it('names a step without a function by its word', () => {
    const p = program('plain', 1, [
      { name: 'A', *start() { yield store(0, 1); } },
      { name: 'B', *start() { yield store(0, 2); } },
    ]);
    expect(renderDiagram(runWith(p)).split('\n').slice(2).map(cells)).toEqual([['access(word 0)', ''], ['', 'access(word 0)']]);
  });
});

describe('racingSteps', () => {
  it('marks conflicting accesses of different threads and the last step', () => {
    const p = program('race', 3, [
      { name: 'A', *start() { yield store(1, 1); yield store(0, 1); } },
      { name: 'B', *start() { yield store(2, 1); yield store(0, 2); yield store(2, 2); } },
    ]);
    const e = runWith(p);
    // Steps: A s1, A s0, B s2, B s0, B s2: steps 1 and 3 race; step 4 is the last.
    expect([...racingSteps(e.trace!)].sort()).toEqual([1, 3, 4]);
  });

  it('does not mark accesses made under a common lock', () => {
    const p = program('locked', 3, [
      { name: 'A', *start() { yield lock(1); yield store(0, 1); yield unlock(1); yield store(2, 1); } },
      { name: 'B', *start() { yield lock(1); yield store(0, 2); yield unlock(1); yield store(2, 2); } },
    ]);
    const e = runWith(p);
    const racing = racingSteps(e.trace!);
    // The stores to word 0 (steps 1 and 5) are under lock 1; the stores to word 2 (steps 3 and 7) race.
    expect([...racing].sort()).toEqual([3, 7]);
  });
});
