import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explore } from '@pagecheck/core';
import { afterAll, describe, expect, it, type TaskMeta } from 'vitest';
import { RaceTestFailure } from '../../../src/_internals/race-failure.js';
import { runRace, type RaceContext } from '../../../src/_internals/run-race.js';
import { clean, doubleFree, leak, racyDoubleFree, slowClean } from '../../specs.js';

function context(name?: string): RaceContext & { skipped?: string; meta: Record<string, unknown> } {
  const meta: Record<string, unknown> = {};
  const ctx = {
    meta,
    task: { meta: meta as TaskMeta, ...(name === undefined ? {} : { name, file: { name: 'test/races.race.ts' } }) },
    skipped: undefined as string | undefined,
    skip(note?: string) {
      ctx.skipped = note ?? '';
    },
  };
  return ctx;
}

function failureOf(fn: () => unknown): RaceTestFailure {
  try {
    fn();
  } catch (e) {
    if (e instanceof RaceTestFailure) return e;
    throw e;
  }
  throw new Error('expected the race to fail');
}

/** Every kind the racy spec shows, as the model has it now. */
const RACY = explore(racyDoubleFree, { stopOnFirst: false }).kinds;

describe('runRace', () => {
  it('explores a clean spec and records what it explored in task.meta.pagecheck', () => {
    const ctx = context();
    const e = runRace(ctx, clean, {}, { env: {}, provided: undefined })?.exploration;
    expect(e?.kinds).toEqual([]);
    expect(ctx.meta.pagecheck).toEqual({
      spec: 'alloc and free', strategy: 'exhaustive', schedules: e!.schedules, complete: true, stopped: 'exhausted',
      coverage: `exhaustive search complete after ${e!.schedules} schedules`, kinds: [], elapsedMs: expect.any(Number),
    });
  });

  it('fails a clean race whose exploration ran out of its time budget, saying what was covered and how to ask for more or accept it', () => {
    const ctx = context();
    const f = failureOf(() => runRace(ctx, slowClean, { timeBudgetMs: 1 }, { env: {}, provided: undefined }));
    const meta = ctx.meta.pagecheck as { schedules: number; stopped: string };
    expect(meta.stopped).toBe('time-budget');
    const n = meta.schedules;
    expect(f.message).toBe(
      `race spec 'alloc and free, slowly' found no violation, but the exploration fell short of what was asked: exhaustive search stopped by the time budget after ${n} schedule${n === 1 ? '' : 's'} (1 ms), incomplete.\n` +
        'A clean verdict needs the exploration asked for. Ask for more (raise timeBudgetMs (1 now); PAGECHECK_BUDGET=x scales every budget of a run), ' +
        'or accept this coverage explicitly with raceTest(name, spec, { allowIncomplete: true }) or pagecheck({ allowIncomplete: true }).',
    );
  });

  it('passes that race with allowIncomplete, from the test or from the plugin, the test winning', () => {
    expect(runRace(context(), slowClean, { timeBudgetMs: 1, allowIncomplete: true }, { env: {}, provided: undefined })?.exploration.stopped).toBe('time-budget');
    expect(runRace(context(), slowClean, { timeBudgetMs: 1 }, { env: {}, provided: { defaults: { allowIncomplete: true } } })?.exploration.stopped).toBe('time-budget');
    const f = failureOf(() => runRace(context(), slowClean, { timeBudgetMs: 1, allowIncomplete: false }, { env: {}, provided: { defaults: { allowIncomplete: true } } }));
    expect(f.message).toContain('fell short of what was asked');
  });

  it('passes a sampling race that ran all its maxSchedules, and judges a known-buggy race on its kinds alone', () => {
    expect(runRace(context(), clean, { strategy: 'random', maxSchedules: 20 }, { env: {}, provided: undefined })?.exploration.stopped).toBe('max-schedules');
    // The fewest schedules that find every kind the racy spec shows: fewer than its whole search.
    let n = 1;
    while (explore(racyDoubleFree, { stopOnFirst: false, maxSchedules: n }).kinds.length < RACY.length) n++;
    const e = runRace(context(), racyDoubleFree, { expect: RACY, maxSchedules: n }, { env: {}, provided: undefined })?.exploration;
    expect(e?.kinds).toEqual(RACY);
    expect(e?.complete).toBe(false);
  });

  it('fails with the full report, its stack pointing at the raceTest() call site', () => {
    const site = '    at user.test.ts:3:1';
    const f = failureOf(() => runRace(context(), leak, {}, { env: {}, provided: undefined, site }));
    expect(f.name).toBe('RaceTestFailure');
    expect(f.message).toMatch(/^race spec 'alloc without free' violated page-leak \(1 schedule \(exhaustive, incomplete\)\):\n\npage-leak: /);
    expect(f.message).toMatch(/race diagram[\s\S]*replay: pc1\./);
    expect(f.stack).toBe(`RaceTestFailure: ${f.message}\n${site}`);
  });

  it('passes a known-buggy spec that shows exactly the expected kinds', () => {
    expect(RACY).toContain('double-free');
    const ctx = context();
    runRace(ctx, racyDoubleFree, { expect: [...RACY].reverse() }, { env: {}, provided: undefined });
    expect(ctx.meta.pagecheck).toMatchObject({ kinds: RACY, complete: true });
    expect(() => runRace(context(), racyDoubleFree, { expect: ['page-leak'] }, { env: {}, provided: undefined })).toThrow(
      new RegExp(`found ${RACY.join(', ')}\nnot found: page-leak\nunexpected: ${RACY.join(', ')}\n\n`),
    );
  });

  it('uses PAGECHECK_STRATEGY, PAGECHECK_SEED and PAGECHECK_BUDGET', () => {
    const ctx = context();
    runRace(ctx, clean, { maxSchedules: 3 }, { env: { PAGECHECK_STRATEGY: 'random', PAGECHECK_SEED: '5', PAGECHECK_BUDGET: '2' }, provided: undefined });
    expect(ctx.meta.pagecheck).toMatchObject({ strategy: 'random', schedules: 6, complete: false });
  });

  it('explores with PAGECHECK_STRATEGY=pos and fails on what it finds', () => {
    const ctx = context();
    runRace(ctx, clean, { maxSchedules: 4 }, { env: { PAGECHECK_STRATEGY: 'pos' }, provided: undefined });
    expect(ctx.meta.pagecheck).toMatchObject({ strategy: 'pos', schedules: 4, complete: false });
    const f = failureOf(() => runRace(context(), racyDoubleFree, {}, { env: { PAGECHECK_STRATEGY: 'pos' }, provided: undefined }));
    expect(f.message).toMatch(new RegExp(`^race spec '${racyDoubleFree.name}' violated (${RACY.join('|')}) \\(\\d+ schedules? \\(pos, incomplete\\)\\)`));
  });

  it('fails every race on a bad switch, naming it', () => {
    expect(() => runRace(context(), clean, {}, { env: { PAGECHECK_SHARD: '3/2' }, provided: undefined })).toThrow(/PAGECHECK_SHARD=3\/2: the index must be from 1 to 2/);
    expect(() => runRace(context(), clean, {}, { env: { PAGECHECK_STRATEGY: 'foo' }, provided: undefined })).toThrow(/PAGECHECK_STRATEGY=foo: it accepts random, pct, pos, exhaustive/);
    expect(() => runRace(context(), clean, {}, { env: { PAGECHECK_REPLAY: 'nope' }, provided: undefined })).toThrow(/PAGECHECK_REPLAY=nope: 'nope' is not a pagecheck replay token/);
  });

  it('replays PAGECHECK_REPLAY for the spec it names, and explores the others', () => {
    const failure = explore(racyDoubleFree).failure!;
    const env = { PAGECHECK_REPLAY: failure.replay };
    const ctx = context();
    const f = failureOf(() => runRace(ctx, racyDoubleFree, {}, { env, provided: undefined }));
    expect(f.message).toContain(`(replaying PAGECHECK_REPLAY=${failure.replay})`);
    expect(f.message).toContain(failure.diagram);
    expect(ctx.meta.pagecheck).toMatchObject({ strategy: 'replay', schedules: 1 });
    const other = context();
    runRace(other, clean, {}, { env, provided: undefined });
    expect(other.meta.pagecheck).toMatchObject({ strategy: 'exhaustive', complete: true });
  });

  it('passes a replay that shows only expected kinds, with its report as a note', () => {
    const token = explore(racyDoubleFree).failure!.replay;
    const note = runRace(context(), racyDoubleFree, { expect: RACY }, { env: { PAGECHECK_REPLAY: token }, provided: undefined })?.note;
    expect(note).toMatch(new RegExp(`^replayed PAGECHECK_REPLAY=${token.replace(/\./g, '\\.')} \\(expected: `));
    expect(note).toContain('race diagram');
    expect(runRace(context(), racyDoubleFree, { expect: RACY }, { env: {}, provided: undefined })?.note).toBeUndefined();
  });

  it('reports a token that does not fit the spec as a PAGECHECK_REPLAY error', () => {
    const token = explore(leak).failure!.replay;
    const forged = token.replace(/^(pc1\.[0-9a-z]+-[0-9a-z]+)\.1\./, '$1.2.');
    expect(forged).not.toBe(token);
    const f = failureOf(() => runRace(context(), leak, {}, { env: { PAGECHECK_REPLAY: forged }, provided: undefined }));
    expect(f.message.startsWith(`PAGECHECK_REPLAY=${forged}: replay token is for 2 threads; spec 'alloc without free'`)).toBe(true);
  });

  it('fails on a PAGECHECK_REPLAY token made from its spec before an edit, naming the change and the remedy', () => {
    const token = explore(leak).failure!.replay;
    const edited = { ...leak, kernel: { pages: 16 } };
    const f = failureOf(() => runRace(context(), edited, {}, { env: { PAGECHECK_REPLAY: token }, provided: undefined }));
    expect(f.message).toMatch(new RegExp(`^PAGECHECK_REPLAY=${token.replace(/\./g, '\\.')}: replay token \\S+ does not match: spec 'alloc without free' changed since the token was made`));
    expect(f.message).toContain('remove the token, and explore again to record a new one');
    expect(f.message).toContain('a spec in a test file has another fingerprint under Vitest than in plain Node');
    // Another spec ignores the token and explores.
    expect(runRace(context(), clean, {}, { env: { PAGECHECK_REPLAY: token }, provided: undefined })?.exploration.strategy).toBe('exhaustive');
  });

  it('explores its slice of the schedules on a shard, and the slices together cover the whole', () => {
    const whole = explore(racyDoubleFree, { stopOnFirst: false, shrink: false });
    let total = 0;
    const kinds = new Set<string>();
    for (const index of [0, 1, 2]) {
      const ctx = context();
      try {
        runRace(ctx, racyDoubleFree, { stopOnFirst: false, shrink: false }, { env: {}, provided: { defaults: {}, shard: { index, count: 3 } } });
      } catch (e) {
        expect(e).toBeInstanceOf(RaceTestFailure);
        expect((e as Error).message).toContain(`on shard ${index + 1}/3`);
      }
      const meta = ctx.meta.pagecheck as { schedules: number; shard: string; kinds: string[] };
      expect(meta.shard).toBe(`${index + 1}/3`);
      expect(meta.schedules).toBeLessThan(whole.schedules);
      total += meta.schedules;
      for (const k of meta.kinds) kinds.add(k);
    }
    expect(total).toBeGreaterThanOrEqual(whole.schedules);
    expect([...kinds].sort()).toEqual(whole.kinds);
  });

  it('skips a known-buggy race on the shards that do not own it', () => {
    const results = [0, 1].map((index) => {
      const ctx = context();
      runRace(ctx, racyDoubleFree, { expect: RACY }, { env: {}, provided: { defaults: {}, shard: { index, count: 2 } } });
      return ctx;
    });
    expect(results.filter((c) => c.skipped !== undefined)).toHaveLength(1);
    expect(results.filter((c) => c.meta.pagecheck !== undefined)).toHaveLength(1);
    expect(results.find((c) => c.skipped !== undefined)!.skipped).toMatch(new RegExp(`^known-buggy race test \\(expect: \\[${RACY.join(', ')}\\]\\) runs whole on shard [12]/2, not on [12]/2$`));
  });

  describe('with a report directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pagecheck-reports-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const provided = { defaults: {}, reportDir: dir };

    it('writes the HTML failure timeline of a failing race and ends the message with its path', () => {
      const f = failureOf(() => runRace(context('a racy double free fails'), racyDoubleFree, {}, { env: {}, provided }));
      const path = join(dir, 'races-race--a-racy-double-free-fails.html');
      expect(f.message.endsWith(`\n\nfailure timeline (HTML): ${path}`)).toBe(true);
      expect(f.message).toContain(explore(racyDoubleFree).failure!.report);
      const html = readFileSync(path, 'utf8');
      expect(html).toContain('<h1>a racy double free fails</h1>');
      expect(html).toContain('<span class="kind">double-free</span>');
    });

    it('writes only the kinds that made a known-buggy race fail', () => {
      const [first, ...rest] = explore(doubleFree, { stopOnFirst: false }).kinds;
      expect(rest.length).toBeGreaterThan(0);
      const f = failureOf(() => runRace(context('partly expected'), doubleFree, { expect: [first!] }, { env: {}, provided }));
      const html = readFileSync(join(dir, 'races-race--partly-expected.html'), 'utf8');
      expect(f.message).toContain('failure timeline (HTML): ');
      expect(html.match(/<section class="failure"/g)).toHaveLength(rest.length);
      expect(html).not.toContain(`data-kind="${first!}"`);
    });

    it('removes the timeline an earlier failure left when the race passes', () => {
      const stale = join(dir, 'races-race--now-clean.html');
      mkdirSync(dir, { recursive: true });
      writeFileSync(stale, 'old');
      runRace(context('now clean'), clean, {}, { env: {}, provided });
      expect(existsSync(stale)).toBe(false);
    });

    it('writes nothing without a report directory', () => {
      const f = failureOf(() => runRace(context('no reports'), racyDoubleFree, {}, { env: {}, provided: { defaults: {} } }));
      expect(f.message).not.toContain('failure timeline');
      expect(existsSync(join(dir, 'races-race--no-reports.html'))).toBe(false);
    });
  });
});
