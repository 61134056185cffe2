import { describe, expect, it } from 'vitest';
import type { TestProject, TestSequencer, TestSequencerConstructor, TestSpecification, Vitest } from 'vitest/node';
import { runOnEveryShard } from '../../../src/_internals/every-shard-sequencer.js';

/** Keeps every other file, like a shard 1/2, and reverses on sort. */
class HalfSequencer implements TestSequencer {
  static made = 0;
  constructor(readonly ctx: unknown) {
    HalfSequencer.made++;
  }
  shard = (files: TestSpecification[]): TestSpecification[] => files.filter((_, i) => i % 2 === 0);
  sort = (files: TestSpecification[]): TestSpecification[] => [...files].reverse();
}

const project = (name: string) => ({ name }) as unknown as TestProject;
const spec = (p: TestProject, id: string) => ({ project: p, moduleId: id }) as unknown as TestSpecification;

function fakeVitest() {
  return { config: { sequence: { sequencer: HalfSequencer as TestSequencerConstructor } } } as unknown as Vitest;
}

describe('runOnEveryShard', () => {
  const races = project('races');
  const other = project('other');
  const files = [spec(races, 'r1'), spec(other, 'o1'), spec(races, 'r2'), spec(other, 'o2'), spec(other, 'o3')];

  it('gives every shard all the files of the project, and shards the others as before', async () => {
    const vitest = fakeVitest();
    runOnEveryShard(vitest, races);
    const seq = new vitest.config.sequence.sequencer(vitest);
    expect((await seq.shard(files)).map((f) => f.moduleId)).toEqual(['r1', 'o1', 'r2', 'o3']);
    expect((await seq.sort(files)).map((f) => f.moduleId)).toEqual(['o3', 'o2', 'r2', 'o1', 'r1']);
  });

  it('wraps the sequencer once, however many projects use the plugin', async () => {
    const vitest = fakeVitest();
    runOnEveryShard(vitest, races);
    const wrapped = vitest.config.sequence.sequencer;
    runOnEveryShard(vitest, other);
    expect(vitest.config.sequence.sequencer).toBe(wrapped);
    const seq = new wrapped(vitest);
    expect((await seq.shard(files)).map((f) => f.moduleId)).toEqual(['r1', 'o1', 'r2', 'o2', 'o3']);
  });

  it('does not call the inner shard when no file is left to it', async () => {
    const vitest = fakeVitest();
    runOnEveryShard(vitest, races);
    const seq = new vitest.config.sequence.sequencer(vitest);
    expect((await seq.shard([spec(races, 'r1')])).map((f) => f.moduleId)).toEqual(['r1']);
  });
});
