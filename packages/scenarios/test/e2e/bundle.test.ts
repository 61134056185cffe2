import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packages = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function userProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pagecheck-scenarios-user-'));
  mkdirSync(join(dir, 'node_modules', '@pagecheck'), { recursive: true });
  symlinkSync(join(packages, 'core'), join(dir, 'node_modules', '@pagecheck', 'core'), 'dir');
  symlinkSync(join(packages, 'scenarios'), join(dir, 'node_modules', '@pagecheck', 'scenarios'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'user-project', type: 'module', private: true }));
  return dir;
}

describe('@pagecheck/scenarios as a user imports it', () => {
  it('imports the scenarios and runs a variant from the built package', () => {
    const dir = userProject();
    writeFileSync(join(dir, 'main.js'), `
      import { scenarios, runVariant } from '@pagecheck/scenarios';
      const s = scenarios.find((x) => x.id === 'free-pages-speculative');
      const v = runVariant(s, s.variants['e320d3012d25']);
      console.log(JSON.stringify({ ids: scenarios.map((x) => x.id), found: v.found, match: v.match }));
    `);
    const out = JSON.parse(execFileSync(process.execPath, ['main.js'], { cwd: dir, encoding: 'utf8' }));
    expect(out.ids).toContain('free-pages-speculative');
    expect(out.found).toEqual(['double-free', 'memcg-leak']);
    expect(out.match).toBe(true);
  });

  it('runs the pagecheck command, and rejects unknown names listing the valid ones', () => {
    const cli = join(packages, 'scenarios', 'dist', 'cli.js');
    const ok = spawnSync(process.execPath, [cli, '--scenario', 'free-pages-multi-ref', '--json'], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    const json = JSON.parse(ok.stdout);
    expect(json.verdicts.every((v: { match: boolean }) => v.match)).toBe(true);
    const bad = spawnSync(process.execPath, [cli, '--scenario', 'nope'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("unknown scenario 'nope'; scenarios: free-pages-speculative");
    const badVariant = spawnSync(process.execPath, [cli, '--scenario', 'test-free-pages', '--variant', 'v9'], { encoding: 'utf8' });
    expect(badVariant.stderr).toContain('variants: pre-e320d3012d25, e320d3012d25');
    const badToken = spawnSync(process.execPath, [cli, '--replay', 'garbage'], { encoding: 'utf8' });
    expect(badToken.status).toBe(2);
    expect(badToken.stderr).toContain('is not a pagecheck replay token');
    const badBudget = spawnSync(process.execPath, [cli, '--budget', 'soon'], { encoding: 'utf8' });
    expect(badBudget.status).toBe(2);
    expect(badBudget.stderr).toContain('--budget soon: give the time budget of each exploration in seconds');
  });

  it('gives each exploration the time budget of --budget', () => {
    const cli = join(packages, 'scenarios', 'dist', 'cli.js');
    // Under lkmm this row is never complete: a 1 s budget ends it after about 1 s instead of 10.
    const run = spawnSync(process.execPath, [cli, '--scenario', 'slub-isolate-movable', '--variant', 'vlastimil-v2', '--budget', '1', '--json'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    const weak = JSON.parse(run.stdout).verdicts[0].weak;
    expect(weak.complete).toBe(false);
    expect(weak.elapsedMs).toBeGreaterThanOrEqual(900);
    expect(weak.elapsedMs).toBeLessThan(5_000);
  });

  it('replays a token printed by the matrix', () => {
    const cli = join(packages, 'scenarios', 'dist', 'cli.js');
    const run = spawnSync(process.execPath, [cli, '--scenario', 'free-pages-speculative', '--variant', 'e320d3012d25', '--json'], { encoding: 'utf8' });
    const token: string = JSON.parse(run.stdout).verdicts[0].failures[0].replay;
    const replay = spawnSync(process.execPath, [cli, '--replay', token], { encoding: 'utf8' });
    // It reproduces a bug: a failing exit.
    expect(replay.status).toBe(1);
    expect(replay.stdout).toContain('free-pages-speculative / e320d3012d25');
    expect(replay.stdout).toContain('double-free');
  });

  it('reports a token made from a case before it changed, naming the case and the remedy', () => {
    const cli = join(packages, 'scenarios', 'dist', 'cli.js');
    const run = spawnSync(process.execPath, [cli, '--scenario', 'free-pages-speculative', '--variant', 'e320d3012d25', '--json'], { encoding: 'utf8' });
    const token: string = JSON.parse(run.stdout).verdicts[0].failures[0].replay;
    // The same case (its identity), another fingerprint: as after an edit of its code.
    const stale = token.replace(/^pc1\.[0-9a-z]+-/, 'pc1.zzzzzz-');
    expect(stale).not.toBe(token);
    const replay = spawnSync(process.execPath, [cli, '--replay', stale], { encoding: 'utf8' });
    expect(replay.status).toBe(2);
    expect(replay.stderr).toMatch(/^pagecheck: free-pages-speculative \/ e320d3012d25: replay token \S+ does not match: spec '[^']+' changed since the token was made/);
    expect(replay.stderr).toContain('remove the token, and explore again to record a new one');
  });
});
