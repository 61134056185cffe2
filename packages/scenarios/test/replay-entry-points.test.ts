import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// One replay token, four entry points: the failure explore recorded, runOnce
// with the token, the failure's timeline, and `pagecheck --replay` (the built
// command). Each goes through core's one runner (runSchedule), so each shows
// the same race diagram, byte for byte. The first three run in plain Node on
// the built packages, as the command does: a spec's fingerprint covers its
// source text, which a transform of the test runner would change.

const PACKAGE = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const SCRIPT = `
import { explore, runOnce, timeline } from '@pagecheck/core';
import { scenarios } from './dist/index.js';
const [scenario, id, options] = JSON.parse(process.argv[1]);
for (const spec of scenarios.find((s) => s.id === scenario).variants[id].cases) {
  const failure = explore(spec, options).failure;
  if (failure === undefined) continue;
  const replayed = runOnce(spec, { replay: failure.replay }).failures.find((f) => f.violation.kind === failure.violation.kind);
  console.log(JSON.stringify({ failure, replayed, timeline: timeline(spec, failure).diagram }));
  process.exit(0);
}
console.log('null');
`;

interface Found {
  readonly failure: { readonly replay: string; readonly diagram: string; readonly report: string };
  readonly replayed: { readonly replay: string; readonly diagram: string; readonly report: string };
  readonly timeline: string;
}

const node = (args: readonly string[]): string => execFileSync(process.execPath, args, { cwd: PACKAGE, encoding: 'utf8' });

const cases: [string, string, string, object][] = [
  ['a double free under sc', 'free-pages-speculative', 'e320d3012d25', { until: ['double-free'] }],
  ['a wild-deref under lkmm', 'slub-isolate-movable', 'v2-without-barriers', { memoryModel: 'lkmm', until: ['wild-deref'] }],
];

describe('a replay token from every entry point', () => {
  for (const [name, scenario, id, options] of cases) {
    it(`gives the same diagram for ${name} (${scenario} / ${id}): explore, runOnce, timeline and pagecheck --replay`, () => {
      const found = JSON.parse(node(['--input-type=module', '-e', SCRIPT, JSON.stringify([scenario, id, options])])) as Found | null;
      expect(found).not.toBeNull();
      const { failure, replayed, timeline } = found!;
      expect(failure.diagram).toContain('>>>');
      expect(replayed.replay).toBe(failure.replay);
      expect(replayed.diagram).toBe(failure.diagram);
      expect(timeline).toBe(failure.diagram);
      // pagecheck --replay exits 1: the run it replays shows a violation.
      const cli = spawnSync(process.execPath, ['dist/cli.js', '--replay', failure.replay], { cwd: PACKAGE, encoding: 'utf8' });
      expect(cli.status).toBe(1);
      const printed = cli.stdout;
      expect(printed).toContain(`\n${failure.diagram}\n`);
      expect(printed).toContain(replayed.report);
    });
  }
});
