import type { TestProject, TestSequencer, TestSequencerConstructor, TestSpecification, Vitest } from 'vitest/node';

/** Per Vitest instance: the projects whose files run on every shard. */
const everyShard = new WeakMap<Vitest, Set<TestProject>>();

/**
 * Makes `vitest --shard=i/n` give every shard all the test files of
 * `project`, whose raceTests then explore their i-th slice of the schedules:
 * the n shards together cover what one run would. Files of other projects are
 * sharded by the configured sequencer as usual.
 *
 * It wraps `vitest.config.sequence.sequencer` (created lazily by Vitest, after
 * the configureVitest hooks) once per Vitest instance.
 */
export function runOnEveryShard(vitest: Vitest, project: TestProject): void {
  const known = everyShard.get(vitest);
  if (known !== undefined) {
    known.add(project);
    return;
  }
  const projects = new Set([project]);
  everyShard.set(vitest, projects);
  const Inner: TestSequencerConstructor = vitest.config.sequence.sequencer;
  class EveryShardSequencer implements TestSequencer {
    private readonly inner: TestSequencer;
    constructor(ctx: Vitest) {
      this.inner = new Inner(ctx);
    }
    async shard(files: TestSpecification[]): Promise<TestSpecification[]> {
      const rest = files.filter((f) => !projects.has(f.project));
      const sliced = new Set(rest.length === 0 ? [] : await this.inner.shard(rest));
      return files.filter((f) => projects.has(f.project) || sliced.has(f));
    }
    async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
      return this.inner.sort(files);
    }
  }
  vitest.config.sequence.sequencer = EveryShardSequencer;
}
