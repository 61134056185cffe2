import { describe, expect, it } from 'vitest';
import { exploreProgram } from '../../src/engine/explore-program.js';
import { runSchedule } from '../../src/engine/run-schedule.js';
import { failureDiagram, recordFailure } from '../../src/failure.js';
import { specProgram } from '../../src/spec.js';
import { checkThenFree } from './report/specs.js';

describe('recordFailure', () => {
  const program = specProgram(checkThenFree);
  const found = exploreProgram(program, { strategy: 'exhaustive' }).failures[0]!;

  it('shrinks the schedule, and keeps the unshrunk cost', () => {
    const f = recordFailure(checkThenFree, program, found, { shrink: true, memoryModel: 'sc' });
    expect(f.violation.kind).toBe('double-free');
    expect(f.unshrunk.steps).toBe(found.schedule.length);
    expect(f.preemptions).toBeLessThanOrEqual(f.unshrunk.preemptions);
    expect(f.replay.startsWith('pc1.')).toBe(true);
    expect(f.report).toContain(f.diagram);
  });

  it('records the found schedule as it is when told not to shrink', () => {
    const f = recordFailure(checkThenFree, program, found, { shrink: false, memoryModel: 'sc' });
    expect(f.schedule).toEqual(found.schedule);
    expect(f.unshrunk).toEqual({ preemptions: f.preemptions, steps: f.steps });
  });
});

describe('failureDiagram', () => {
  it('marks the violation in its thread\'s column of a recorded run', () => {
    const program = specProgram(checkThenFree);
    const found = exploreProgram(program, { strategy: 'exhaustive' }).failures[0]!;
    const { exec } = runSchedule(program, { schedule: found.schedule, lenient: true, record: true });
    const v = exec.violations[0]!;
    expect(failureDiagram(exec, v)).toContain(`>>> ${v.kind}`);
  });
});
