import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// docs/scripts/check-overflow.mjs (pnpm docs:check) on a tiny site of its own:
// it must fail on a page that scrolls sideways and pass one whose wide content
// scrolls in its own box.

const SCRIPT = fileURLToPath(new URL('../scripts/check-overflow.mjs', import.meta.url));
const site = mkdtempSync(join(tmpdir(), 'pagecheck-overflow-'));
afterAll(() => rmSync(site, { recursive: true, force: true }));

const page = (body: string): string => `<!doctype html><html><head><meta name="viewport" content="width=device-width"><style>body{margin:0;font:16px sans-serif}</style></head><body>${body}</body></html>`;

function check(pages: Record<string, string>): { status: number | null; output: string } {
  const dist = mkdtempSync(join(site, 'dist-'));
  for (const [path, html] of Object.entries(pages)) {
    mkdirSync(join(dist, path, '..'), { recursive: true });
    writeFileSync(join(dist, path), html);
  }
  const r = spawnSync(process.execPath, [SCRIPT, dist], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, output: r.stdout + r.stderr };
}

describe('the docs overflow check', () => {
  it('fails on a page wider than the window at 390 px, naming the page and what sticks out', () => {
    const r = check({
      'index.html': page('<p>fits</p>'),
      'guide/wide.html': page('<div class="diagram" style="width:800px;height:10px">wide diagram</div>'),
    });
    expect(r.status).toBe(1);
    expect(r.output).toContain('check-overflow: 1 page view(s) scroll sideways');
    expect(r.output).toContain('/guide/wide.html at 390 px: 800 px wide in a 390 px window');
    expect(r.output).toContain('div.diagram reaches 800 px: "wide diagram"');
  }, 120_000);

  it('passes wide code that scrolls inside its own box', () => {
    const r = check({ 'index.html': page(`<div style="overflow-x:auto"><pre>${'x'.repeat(300)}</pre></div>`) });
    expect(r.output).toMatch(/check-overflow: 1 pages at 1280 and 390 px, none wider than the window/);
    expect(r.status).toBe(0);
  }, 120_000);
});
