import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GFP_KERNEL, __GFP_COMP, type KernelOverrides, type RaceSpec } from '@pagecheck/core';

// #region spec
// e320d3012d25 (5.10): PageHead read after the put.
const e320d3012d25: KernelOverrides = {
  *__free_pages(k, page, order) {
    if (yield* k.put_page_testzero(page)) yield* k.free_the_page(page, order);
    else if (!(yield* k.PageHead(page)))
      while (order-- > 0) yield* k.free_the_page(page + (1 << order), order);
  },
};

const spec: RaceSpec<{ page: number }> = {
  name: 'e320d3012d25: compound',
  kernel: { pages: 8, overrides: e320d3012d25 },
  *setup(k) {
    const page = (yield* k.alloc_pages(GFP_KERNEL | __GFP_COMP, 2))!;
    k.name(page, 'P0');
    return { page };
  },
  threads: {
    *lookup(k, s) { if (yield* k.get_page_unless_zero(s.page)) yield* k.put_page(s.page); },
    *owner(k, s) { yield* k.__free_pages(s.page, 2); },
  },
};
// #endregion spec

describe('a failure', () => {
  it('carries the violation, the shrunk schedule\'s diagram and a replay token', () => {
    // #region failure
    const run = explore(spec);
    const f = run.failure!;
    f.violation.kind;  // 'double-free'
    f.violation.message; // 'pfn:a freed again (free order 1 of pfn:a); it is already free'
    f.diagram;         // the race diagram, one column per thread
    f.steps;           // steps of the shrunk schedule
    f.preemptions;     // its preemptions
    f.unshrunk;        // { steps, preemptions } before shrinking
    f.replay;          // 'pc1.…': reproduces this run
    f.report;          // all of it, as matchers and raceTest print it
    // #endregion failure
    expect(f.violation.kind).toBe('double-free');
    expect(f.violation.message).toBe('pfn:a freed again (free order 1 of pfn:a); it is already free');
    expect(f.report).toContain(f.diagram);
    expect(f.report).toContain(`replay: ${f.replay}`);
    expect(f.preemptions).toBeLessThanOrEqual(f.unshrunk.preemptions);
    expect(f.diagram.split('\n')[0]).toMatch(/^lookup +\| owner$/);
  });
});

// #region runOnce
import { explore, runOnce } from '@pagecheck/core';

describe('replaying a failure', () => {
  it('runs exactly the failing schedule again', () => {
    const { failure } = explore(spec);
    const again = runOnce(spec, { replay: failure!.replay });
    expect(again.kinds).toEqual(['double-free']);
    expect(again.failure!.diagram).toBe(failure!.diagram);
  });
});
// #endregion runOnce

// #region refused
import { ReplayTokenError, decodeToken } from '@pagecheck/core';

describe('a replay token', () => {
  it('names the spec it was made from, and is refused once that spec changed', () => {
    const token = explore(spec).failure!.replay;
    const { fingerprint, threads, schedule } = decodeToken(token);
    expect(threads).toBe(2);
    expect(schedule.length).toBeGreaterThan(0);
    const edited = { ...spec, kernel: { pages: 16, overrides: e320d3012d25 } }; // the spec, changed since
    expect(() => runOnce(edited, { replay: token })).toThrow(ReplayTokenError);
    expect(() => runOnce(edited, { replay: token })).toThrow(`spec 'e320d3012d25: compound' changed since the token was made`);
    expect(() => runOnce(edited, { replay: token })).toThrow(`fingerprint ${fingerprint} in the token`);
  });
});
// #endregion refused

describe('runOnce without a token', () => {
  it('runs each thread to completion in turn', () => {
    // #region sequential
    const run = runOnce(spec); // lookup, then owner: no race
    expect(run.schedules).toBe(1);
    expect(run.kinds).toEqual([]);
    // #endregion sequential
  });
});

describe('the guide', () => {
  it('shows the report this spec gives', () => {
    const shown = readFileSync(new URL('../outputs/e320d3012d25-compound.txt', import.meta.url), 'utf8');
    if (process.env.DOCS_PRINT_OUTPUTS) console.log(explore(spec).failure!.report);
    expect(explore(spec).failure!.report).toBe(shown.trimEnd());
  });
});
