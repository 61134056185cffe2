import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { explore } from '@pagecheck/core';
import { writeTimelineReport } from '../../../src/_internals/timeline-report.js';
import { clean, racyDoubleFree } from '../../specs.js';

const dir = mkdtempSync(join(tmpdir(), 'pagecheck-timeline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeTimelineReport', () => {
  const e = explore(racyDoubleFree, { stopOnFirst: false });
  const task = { name: 'a racy double free fails', file: { name: 'races.race.ts' } };

  it('writes one HTML page with a section per failing kind, and returns its path', () => {
    const line = writeTimelineReport(racyDoubleFree, e, e.kinds, join(dir, 'reports'), task);
    const path = join(dir, 'reports', 'races-race--a-racy-double-free-fails.html');
    expect(line).toBe(`failure timeline (HTML): ${path}`);
    const html = readFileSync(path, 'utf8');
    expect(html).toContain('<h1>a racy double free fails</h1>');
    expect(html).toContain("raceTest in races.race.ts, spec &#39;check-then-free race&#39;");
    expect(html.match(/<section class="failure"/g)).toHaveLength(e.kinds.length);
    for (const f of e.failures) expect(html).toContain(`<code class="token">${f.replay}</code>`);
  });

  it('writes nothing for kinds without a failure', () => {
    expect(writeTimelineReport(clean, explore(clean), [], dir, { name: 'clean' })).toBeUndefined();
    expect(existsSync(join(dir, 'clean.html'))).toBe(false);
  });

  it('says why when the report cannot be written', () => {
    const line = writeTimelineReport(racyDoubleFree, e, e.kinds, join(dir, 'reports', 'races-race--a-racy-double-free-fails.html'), task);
    expect(line).toMatch(/^\(the HTML failure timeline could not be written to .*: /);
  });
});
