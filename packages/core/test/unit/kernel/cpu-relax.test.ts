import { describe, expect, it } from 'vitest';
import { explore } from '../../../src/explore.js';
import { createKernel } from '../../../src/kernel/kernel.js';
import { GFP_KERNEL_ACCOUNT } from '../../../src/kernel/gfp.js';
import type { SharedWord } from '../../../src/kernel/shared-state.js';
import type { RaceSpec } from '../../../src/spec.js';

// The examples of cpu_relax's, sharedWord's and memcgUsage's TSDoc, run.

const handoff: RaceSpec<{ flag: SharedWord }> = {
  name: 'a waiter spins with cpu_relax until the flag is set',
  setup: (k) => ({ flag: k.sharedWord('flag') }),
  threads: {
    *waiter(k, s) {
      while ((yield k.readShared(s.flag)) === 0) yield* k.cpu_relax();
    },
    *setter(k, s) {
      yield k.writeShared(s.flag, 1);
    },
  },
};

describe('cpu_relax', () => {
  it('lets the spinning waiter end once the setter has run', () => {
    const e = explore(handoff, { strategy: 'random', maxSchedules: 50, maxSteps: 40 });
    expect(e.kinds).toEqual([]);
  });

  it('leaves a spin nobody ends to the step limit', () => {
    const stuck: RaceSpec<{ flag: SharedWord }> = { ...handoff, name: 'nobody sets the flag', threads: { waiter: handoff.threads.waiter! } };
    const f = explore(stuck, { maxSteps: 20 }).failure!;
    expect(f.violation.kind).toBe('step-limit');
    expect(f.diagram).toContain('cpu_relax()');
  });
});

describe('the shared-state examples', () => {
  it('sharedWord: a counter bumped without a lock loses an update', () => {
    const spec: RaceSpec = {
      name: 'nr_free bumped without a lock',
      setup(k) { k.sharedWord('nr_free'); },
      threads: {
        *A(k) { const v = yield k.readShared('nr_free'); yield k.writeSharedAfterRead('nr_free', v + 1); },
        *B(k) { const v = yield k.readShared('nr_free'); yield k.writeSharedAfterRead('nr_free', v + 1); },
      },
    };
    expect(explore(spec).kinds).toEqual(['lost-update']);
  });

  it('memcgUsage: an accounted order-1 allocation charges two pages', () => {
    const k = createKernel({ pages: 16 });
    k.run(k.alloc_pages(GFP_KERNEL_ACCOUNT, 1));
    expect(k.memcgUsage()).toBe(2);
  });
});
