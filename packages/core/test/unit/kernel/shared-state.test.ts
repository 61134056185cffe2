import { describe, expect, it } from 'vitest';
import { createKernel } from '../../../src/kernel/kernel.js';
import type { SharedWord } from '../../../src/kernel/shared-state.js';
import { GFP_KERNEL_ACCOUNT } from '../../../src/kernel/gfp.js';
import { explore } from '../../../src/explore.js';
import type { RaceSpec } from '../../../src/spec.js';

type S = { nr: SharedWord };

/** An allocator variant's own statistic: every free bumps a counter the variant declares. */
function counterRace(atomic: boolean): RaceSpec<S> {
  const bump = function* (k: Parameters<RaceSpec<S>['threads'][string]>[0], s: S) {
    if (atomic) {
      yield k.atomicAddShared(s.nr, 1, 'atomic_inc(&nr_frees)');
    } else {
      const v: number = yield k.readShared(s.nr, 'nr_frees');
      yield k.writeSharedAfterRead(s.nr, v + 1, 'nr_frees = nr_frees + 1');
    }
  };
  return {
    name: atomic ? 'atomic counter' : 'non-atomic counter',
    kernel: {
      invariants: [{ name: 'every free counted', check: (k) => (k.sharedValue('nr_frees') === 12 ? undefined : `nr_frees is ${k.sharedValue('nr_frees')}, not 12`) }],
    },
    setup: (k) => ({ nr: k.sharedWord('nr_frees', 10) }),
    threads: { *A(k, s) { yield* bump(k, s); }, *B(k, s) { yield* bump(k, s); } },
  };
}

describe('shared words', () => {
  it('let a variant race on a counter of its own: a non-atomic increment loses an update under exhaustive search', () => {
    const r = explore(counterRace(false), { strategy: 'exhaustive', stopOnFirst: false });
    expect(r.complete).toBe(true);
    expect(r.kinds).toEqual(['lost-update']); // the lost update stops the run before the teardown invariant
    expect(r.failures.find((f) => f.violation.kind === 'lost-update')!.diagram).toContain('nr_frees = nr_frees + 1');
  });

  it('keep an atomic counter clean in every schedule, each run starting from the declared value', () => {
    const r = explore(counterRace(true), { strategy: 'exhaustive', stopOnFirst: false });
    expect(r.complete).toBe(true);
    expect(r.schedules).toBeGreaterThan(1);
    expect(r.kinds).toEqual([]);
  });

  it('are read and written by name or by the declared word', () => {
    const k = createKernel({ pages: 8 });
    const lock = k.sharedWord('my_lock');
    expect(k.shared('my_lock')).toBe(lock);
    k.run((function* () { yield k.writeShared('my_lock', 1); })());
    expect(k.sharedValue(lock)).toBe(1);
    const old = k.run((function* () { return (yield k.cmpxchgShared(lock, 1, 0)) as number; })());
    expect({ old, now: k.sharedValue('my_lock') }).toEqual({ old: 1, now: 0 });
  });

  it('refuse a name declared twice, naming it', () => {
    const k = createKernel({ pages: 8 });
    k.sharedWord('nr_frees');
    expect(() => k.sharedWord('nr_frees')).toThrow("k.sharedWord('nr_frees'): a shared word named 'nr_frees' is already declared in this kernel; give each shared word its own name, or use k.shared('nr_frees') to get the one declared");
  });

  it('refuse a name that is not a string', () => {
    const k = createKernel({ pages: 8 });
    expect(() => k.sharedWord(42 as unknown as string)).toThrow('k.sharedWord(name): the name must be a non-empty string, got number 42');
    expect(() => k.sharedWord('')).toThrow('got an empty string');
  });

  it('refuse an undeclared name, listing the declared ones', () => {
    const k = createKernel({ pages: 8 });
    expect(() => k.readShared('nr_frees')).toThrow("k.shared('nr_frees'): no shared word named 'nr_frees' is declared; this kernel declares none. Declare it in setup with k.sharedWord('nr_frees')");
    k.sharedWord('a');
    expect(() => k.sharedValue('b')).toThrow('declared: a');
    expect(() => k.readShared({ name: 'a', loc: 0, addr: 0 })).toThrow(/expected a shared word that k.sharedWord\(name\) returned/);
  });

  it('must be declared in setup: a thread that declares one is a thread-error', () => {
    const spec: RaceSpec = { name: 'declared late', threads: { *A(k) { k.sharedWord('late'); yield k.m.yieldOp('cpu_relax'); } } };
    const r = explore(spec);
    expect(r.kinds).toEqual(['thread-error']);
    expect(String(r.failure!.violation.message)).toContain("k.sharedWord('late') was called in A: declare shared words in the spec's setup");
  });

  it('refuse a value that does not fit a word', () => {
    const k = createKernel({ pages: 8 });
    expect(() => k.sharedWord('x', 1.5)).toThrow('the value must be an integer that fits a 32-bit word, got 1.5');
  });
});

describe('memcg accessors', () => {
  it('read memory.usage, memory.max and the css reference count without a step', () => {
    const k = createKernel({ pages: 8, memcg: { limit: 6 } });
    expect({ usage: k.memcgUsage(), max: k.memcgMax(), css: k.cssRefs() }).toEqual({ usage: 0, max: 6, css: 1 });
    k.run(k.alloc_pages(GFP_KERNEL_ACCOUNT, 2));
    expect({ usage: k.memcgUsage(), css: k.cssRefs() }).toEqual({ usage: 4, css: 2 });
  });

  it('say so when the kernel has no memory cgroup', () => {
    const k = createKernel({ pages: 8, memcg: false });
    expect(() => k.cssRefs()).toThrow('k.cssRefs(): this kernel has no memory cgroup (kernel.memcg is false); leave kernel.memcg out to get the test cgroup');
  });
});
