import { describe, expect, it } from 'vitest';
import type { SharedWord } from '../../../src/kernel/shared-state.js';
import { explore } from '../../../src/explore.js';
import { formatFailure } from '../../../src/report.js';
import type { RaceSpec } from '../../../src/spec.js';

type S = { flag: SharedWord };

/** A writer sets a word, a reader reads it with READ_ONCE: the writer's store is plain or WRITE_ONCE. */
function flagRace(plain: boolean): RaceSpec<S> {
  return {
    name: plain ? 'plain store vs READ_ONCE' : 'WRITE_ONCE vs READ_ONCE',
    setup: (k) => ({ flag: k.sharedWord('flag', 0) }),
    threads: {
      *writer(k, s) { yield plain ? k.writeSharedPlain(s.flag, 1, 'p->flag = 1') : k.writeShared(s.flag, 1); },
      *reader(k, s) { yield k.readShared(s.flag); },
    },
  };
}

describe('data races under the weak memory model (linux-kernel.cat: flag data-race)', () => {
  it('a plain store racing a READ_ONCE is a data-race, reported with its diagram', () => {
    const r = explore(flagRace(true), { memoryModel: 'lkmm', stopOnFirst: false });
    expect(r.kinds).toEqual(['data-race']);
    const f = r.failures[0]!;
    expect(f.violation.message).toMatch(/writer's plain store p->flag = 1 .* reader's marked load READ_ONCE\(flag\)|reader's marked load READ_ONCE\(flag\) .* writer's plain store p->flag = 1/);
    const text = formatFailure('plain store vs READ_ONCE', f);
    expect(text).toContain('race diagram');
    expect(text).toContain('p->flag = 1');
    expect(text).toContain('READ_ONCE(flag)');
  });

  it('with WRITE_ONCE there is no race', () => {
    expect(explore(flagRace(false), { memoryModel: 'lkmm', stopOnFirst: false }).kinds).toEqual([]);
  });

  it('under sequential consistency plain accesses are not checked for races', () => {
    expect(explore(flagRace(true), { stopOnFirst: false }).kinds).toEqual([]);
  });
});
