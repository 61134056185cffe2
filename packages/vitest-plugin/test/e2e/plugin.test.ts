import { explore } from '@pagecheck/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { racyDoubleFree, sharedRefs } from '../specs.js';
import { runFixture, type FixtureRun, type FixtureTest } from './run-fixture.js';

// The plugin, the setup file and raceTest in a real Vitest run of a small
// project (test/e2e/fixture), with the switches and --shard a user would use.

const token = explore(racyDoubleFree).failure!.replay;

let plain: FixtureRun;
let replay: FixtureRun;
let badShard: FixtureRun;
let scheduleShards: FixtureRun[];
let fileShards: FixtureRun[];
let defaults: FixtureRun;
let overridden: FixtureRun;
let unmatched: FixtureRun;

beforeAll(async () => {
  [plain, replay, badShard, defaults, overridden, ...fileShards] = await Promise.all([
    runFixture([]),
    runFixture([], { PAGECHECK_REPLAY: token }),
    runFixture([], { PAGECHECK_SHARD: '3/2' }),
    runFixture([], { FIXTURE_STRATEGY: 'random', FIXTURE_MAX_SCHEDULES: '5' }),
    runFixture([], { FIXTURE_STRATEGY: 'random', FIXTURE_MAX_SCHEDULES: '5', PAGECHECK_STRATEGY: 'pct', PAGECHECK_BUDGET: '2' }),
    runFixture(['--shard=1/2']),
    runFixture(['--shard=2/2']),
  ]);
  // A token whose spec is in no test of the fixture (as after a rename): its fingerprint and identity match nothing.
  const stale = token.replace(/^pc1\.[0-9a-z]+-[0-9a-z]+\./, 'pc1.zzzzzz.');
  [unmatched, ...scheduleShards] = await Promise.all([
    runFixture(['races.race.ts'], { PAGECHECK_REPLAY: stale }),
    runFixture(['--shard=1/2'], { FIXTURE_SHARD_MODE: 'schedules' }),
    runFixture(['--shard=2/2'], { FIXTURE_SHARD_MODE: 'schedules' }),
  ]);
  // Ten child Vitest runs: ~110 s alone on a busy 2-core machine, more beside the rest of the suite.
}, 300_000);

const get = (run: FixtureRun, title: string): FixtureTest => {
  const t = run.tests.get(title);
  if (t === undefined) throw new Error(`no test '${title}' in the run; it has ${[...run.tests.keys()].join(', ')}\n${run.output}`);
  return t;
};

describe('the pagecheck plugin in a Vitest run', () => {
  it('registers the matchers through its setup file', () => {
    expect(get(plain, 'the plugin registered the matchers').status).toBe('passed');
  });

  it('runs raceTests: clean and known-buggy specs pass, violations fail with the full report', () => {
    expect(get(plain, 'a clean spec passes').status).toBe('passed');
    expect(get(plain, 'a known-buggy spec passes').status).toBe('passed');
    expect(get(plain, 'racing uncharges underflow the memcg').status).toBe('passed');
    const leak = get(plain, 'a leak fails');
    expect(leak.status).toBe('failed');
    expect(leak.failureMessages[0]).toMatch(/^RaceTestFailure: race spec 'alloc without free' violated page-leak/);
    const racy = get(plain, 'a racy double free fails');
    expect(racy.status).toBe('failed');
    expect(racy.failureMessages[0]).toContain(explore(racyDoubleFree).failure!.report);
    // The stack points at the raceTest() call in the user's file.
    expect(racy.failureMessages[0]).toMatch(/races\.race\.ts:8:1/);
  });

  it('writes the HTML failure timeline of each failing raceTest, and gives its path in the failure', () => {
    expect([...plain.reports.keys()].sort()).toEqual(['races-race--a-leak-fails.html', 'races-race--a-racy-double-free-fails.html']);
    const racy = get(plain, 'a racy double free fails');
    expect(racy.failureMessages[0]).toContain(`failure timeline (HTML): ${plain.reportDir}/races-race--a-racy-double-free-fails.html`);
    const html = plain.reports.get('races-race--a-racy-double-free-fails.html')!;
    expect(html).toContain('<h1>a racy double free fails</h1>');
    expect(html).toContain(`<code class="token">${token}</code>`);
    expect(html).toContain('<span class="kind">double-free</span>');
  });

  it('records what each raceTest explored in the report', () => {
    expect(get(plain, 'a clean spec passes').meta.pagecheck).toMatchObject({ spec: 'alloc and free', strategy: 'exhaustive', complete: true, kinds: [] });
    expect(get(plain, 'the plugin registered the matchers').meta.pagecheck).toBeUndefined();
  });

  it('replays PAGECHECK_REPLAY in the test of the spec it names, and explores the others', () => {
    const racy = get(replay, 'a racy double free fails');
    expect(racy.status).toBe('failed');
    expect(racy.failureMessages[0]).toContain(`(replaying PAGECHECK_REPLAY=${token})`);
    expect(racy.meta.pagecheck).toMatchObject({ strategy: 'replay', schedules: 1 });
    // Same spec, expected kinds: the replay shows only those, so it passes.
    expect(get(replay, 'a known-buggy spec passes')).toMatchObject({ status: 'passed', meta: { pagecheck: { strategy: 'replay' } } });
    expect(get(replay, 'a clean spec passes').meta.pagecheck).toMatchObject({ strategy: 'exhaustive', complete: true });
    // The passing replay's report is attached as an annotation, which the verbose reporter prints.
    expect(replay.output).toContain(`pagecheck`);
    expect(replay.output).toContain(`replayed PAGECHECK_REPLAY=${token} (expected: `);
  });

  it('fails the run when PAGECHECK_REPLAY replays no race test, saying why and what to do', () => {
    // Every race explored as if no token were set...
    expect(get(unmatched, 'a clean spec passes')).toMatchObject({ status: 'passed', meta: { pagecheck: { strategy: 'exhaustive' } } });
    // ...but the token went unused: the run fails, and says so.
    expect(unmatched.status).toBe(1);
    expect(unmatched.output).toContain('pagecheck: PAGECHECK_REPLAY=pc1.zzzzzz.');
    expect(unmatched.output).toContain('replayed no race test in this run: no raceTest that ran has the spec the token was made from (fingerprint zzzzzz)');
    expect(unmatched.output).toContain('Remove PAGECHECK_REPLAY to explore, or run the test the token came from and record a new token.');
    // A token that replayed its race is used: no such message.
    expect(replay.output).not.toContain('replayed no race test');
    expect(plain.output).not.toContain('replayed no race test');
  });

  it('fails raceTests with a clear message for a bad switch, and leaves other tests alone', () => {
    for (const title of ['a clean spec passes', 'shared references are clean']) {
      const t = get(badShard, title);
      expect(t.status).toBe('failed');
      expect(t.failureMessages[0]).toMatch(/^EnvSwitchError: invalid pagecheck environment switch:\n {2}PAGECHECK_SHARD=3\/2: the index must be from 1 to 2/);
    }
    expect(get(badShard, 'the plugin registered the matchers').status).toBe('passed');
  });

  it('passes its exploration defaults to raceTest, under the switches', () => {
    expect(get(defaults, 'a clean spec passes').meta.pagecheck).toMatchObject({ strategy: 'random', schedules: 5, complete: false });
    expect(get(overridden, 'a clean spec passes').meta.pagecheck).toMatchObject({ strategy: 'pct', schedules: 10 });
  });

  describe('with vitest --shard', () => {
    it('by default leaves Vitest to split the files, and explores each race whole', () => {
      expect(fileShards.map((r) => r.files.length)).toEqual([1, 1]);
      expect(fileShards.flatMap((r) => r.files).sort()).toEqual(['more.race.ts', 'races.race.ts']);
      const refs = fileShards.map((r) => r.tests.get('shared references are clean')).find((t) => t !== undefined)!;
      expect(refs.meta.pagecheck).toMatchObject({ schedules: explore(sharedRefs).schedules, complete: true });
      expect(refs.meta.pagecheck!.shard).toBeUndefined();
    });

    it('with shard: \'schedules\', runs every file on every shard and splits the schedules of each raceTest', () => {
      for (const run of scheduleShards) expect(run.files).toEqual(['more.race.ts', 'races.race.ts']);
      const parts = scheduleShards.map((run) => get(run, 'shared references are clean').meta.pagecheck!);
      expect(parts.map((p) => p.shard)).toEqual(['1/2', '2/2']);
      const whole = explore(sharedRefs);
      expect(parts.reduce((n, p) => n + p.schedules, 0)).toBe(whole.schedules);
    });

    it('with shard: \'schedules\', runs a known-buggy raceTest whole on exactly one shard', () => {
      const runs = scheduleShards.map((run) => get(run, 'a known-buggy spec passes'));
      expect(runs.map((t) => t.status).sort()).toEqual(['passed', 'skipped']);
      expect(runs.find((t) => t.status === 'passed')!.meta.pagecheck).toMatchObject({ complete: true, kinds: explore(racyDoubleFree, { stopOnFirst: false }).kinds });
      expect(runs.find((t) => t.status === 'passed')!.meta.pagecheck!.shard).toBeUndefined();
    });
  });
});
