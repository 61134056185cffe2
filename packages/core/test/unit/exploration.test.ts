import { describe, expect, it } from 'vitest';
import { exploreProgram } from '../../src/engine/explore-program.js';
import { explorationOf } from '../../src/exploration.js';
import { specProgram } from '../../src/spec.js';
import { checkThenFree, leak } from './report/specs.js';

describe('explorationOf', () => {
  it('records one failure per kind the engine found, with the kinds sorted and the coverage as the engine gave it', () => {
    const program = specProgram(checkThenFree);
    const result = exploreProgram(program, { strategy: 'exhaustive', stopOnFirst: false });
    const e = explorationOf(checkThenFree, program, result, 'exhaustive', { memoryModel: 'sc' });
    expect(e.kinds).toEqual([...new Set(result.failures.map((f) => f.violation.kind))].sort());
    expect(e.failures.map((f) => f.violation.kind)).toEqual(result.failures.map((f) => f.violation.kind));
    expect(e.failure).toBe(e.failures[0]);
    expect({ schedules: e.schedules, complete: e.complete, pruned: e.pruned }).toEqual({ schedules: result.schedules, complete: result.complete, pruned: result.pruned });
  });

  it('has no failure for a clean result', () => {
    const program = specProgram(leak);
    const e = explorationOf(leak, program, { schedules: 1, complete: true, failures: [], elapsedMs: 0, pruned: 0, maxStepsSeen: 0 }, 'replay', { memoryModel: 'sc' });
    expect(e.failure).toBeUndefined();
    expect(e.kinds).toEqual([]);
  });
});
