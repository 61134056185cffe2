import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { TaskMeta } from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findScenario, findVariant, scenarios } from '../../../scenarios/src/index.js';
import { RaceTestFailure } from '../../src/_internals/race-failure.js';
import { runRace } from '../../src/_internals/run-race.js';

// The HTML failure timeline of a known failure, as a failing raceTest writes it,
// opened in a real browser: headless Chromium from Debian's packages, driven by
// playwright-core. e320d3012d25 double-frees a compound page when a speculative
// reference races with __free_pages(): lookup's put_page frees the block between
// owner's put_page_testzero() and its PageHead() check.

const CHROMIUM = '/usr/bin/chromium';
/** The last run's report and screenshot, kept for a look (.pagecheck/ is ignored by git). */
const ARTIFACTS = fileURLToPath(new URL('../../../../.pagecheck/e2e/', import.meta.url));

let work: string;
let reportFile: string;
let context: BrowserContext | undefined;
let page: Page;
const requests: string[] = [];
/** Why the page could not be opened: each test fails with it (a missing browser must fail the run, never skip). */
let setupError: unknown;

beforeAll(async () => {
  try {
    await openReport();
  } catch (e) {
    setupError = e;
  }
}, 60_000);

function ready(): void {
  if (setupError !== undefined) throw setupError;
}

async function openReport(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`the failure-timeline browser test needs Debian's chromium at ${CHROMIUM}, which is missing: install it with 'apt-get update && apt-get install -y chromium' (as root; .ci/run does this before the tests)`);
  }
  work = mkdtempSync(join(tmpdir(), 'pagecheck-browser-'));
  const spec = findVariant(findScenario(scenarios, 'free-pages-speculative'), 'e320d3012d25').cases.find((c) => c.name === 'e320d3012d25: compound')!;
  const meta = {} as TaskMeta;
  let failure: unknown;
  try {
    runRace({ task: { meta, name: 'e320d3012d25 double-frees a compound page', file: { name: 'test/speculative.test.ts' } }, skip() {} }, spec, {}, { env: {}, provided: { defaults: {}, reportDir: join(work, 'reports') } });
  } catch (e) {
    failure = e;
  }
  expect(failure).toBeInstanceOf(RaceTestFailure);
  reportFile = join(work, 'reports', 'speculative-test--e320d3012d25-double-frees-a-compound-page.html');
  expect((failure as Error).message).toContain(`failure timeline (HTML): ${reportFile}`);

  context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
  // The report is self-contained: anything but the file itself is refused, and recorded.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
    requests.push(url);
    return route.abort();
  });
  page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pathToFileURL(reportFile).href);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 10_000 });
  expect(errors).toEqual([]);
}

afterAll(async () => {
  await context?.close();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

const classes = async (l: Locator): Promise<string[]> => ((await l.getAttribute('class')) ?? '').split(/\s+/);
const step = (index: number): Locator => page.locator(`.step[data-step="${index}"]`);

describe('the HTML failure timeline in Chromium', () => {
  it('loads nothing from the network', () => {
    ready();
    expect(requests).toEqual([]);
  });

  it('shows one lane per thread', async () => {
    ready();
    const lanes = page.locator('th.lane');
    expect(await lanes.count()).toBe(3);
    expect(await lanes.locator('.lane-name').allTextContents()).toEqual(['lookup', 'reclaim', 'owner']);
  });

  it('links every pair of racing accesses to the same word', async () => {
    ready();
    const pairs = page.locator('tr.race-row');
    const links = page.locator('svg.links path.race');
    expect(await pairs.count()).toBeGreaterThan(0);
    expect(await links.count()).toBe(await pairs.count());
    for (let i = 0; i < (await pairs.count()); i++) {
      const a = await pairs.nth(i).getAttribute('data-a');
      const b = await pairs.nth(i).getAttribute('data-b');
      const link = page.locator(`svg.links path.race[data-a="${a}"][data-b="${b}"]`);
      expect(await link.count()).toBe(1);
      expect(await link.getAttribute('d')).toMatch(/^M[\d.]+ [\d.]+ C/);
      // The link joins steps in two lanes.
      expect(await step(Number(a)).getAttribute('data-tid')).not.toBe(await step(Number(b)).getAttribute('data-tid'));
    }
    // owner's put_page_testzero(P0) == false races with lookup's accesses to P0->_refcount.
    const testzero = page.locator('.step.racing[data-tid="2"]', { hasText: 'put_page_testzero(P0) == false' });
    expect(await testzero.locator('.loc').textContent()).toBe('P0->_refcount');
  });

  it('marks the violation in the lane of the thread that hit it, after its last step', async () => {
    ready();
    const marker = page.locator('.violation-marker');
    expect(await marker.count()).toBe(1);
    expect(await marker.isVisible()).toBe(true);
    expect(await marker.textContent()).toContain('double-free');
    const owner = (await page.locator('th.lane[data-tid="2"]').boundingBox())!;
    const box = (await marker.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(owner.x);
    expect(box.x + box.width).toBeLessThanOrEqual(owner.x + owner.width + 1);
    const last = (await page.locator('.step[data-tid="2"]').last().boundingBox())!;
    expect(box.y).toBeGreaterThan(last.y);
  });

  it('highlights the partners of a racing step under the pointer, and only them', async () => {
    ready();
    const testzero = page.locator('.step.racing[data-tid="2"]', { hasText: 'put_page_testzero(P0) == false' });
    const me = (await testzero.getAttribute('data-step'))!;
    const partners = (await testzero.getAttribute('data-races'))!.split(' ');
    expect(partners.length).toBeGreaterThan(1);
    await testzero.hover();
    expect(await classes(testzero)).toContain('active');
    for (const p of partners) expect(await classes(step(Number(p)))).toContain('partner');
    const others = page.locator('.step.racing');
    for (let i = 0; i < (await others.count()); i++) {
      const s = await others.nth(i).getAttribute('data-step');
      if (s !== me && !partners.includes(s!)) expect(await classes(others.nth(i))).not.toContain('partner');
    }
    const active = page.locator('svg.links path.race.active');
    expect(await active.count()).toBe(partners.length);
    // Away from it, the highlight goes; a click pins it.
    await page.mouse.move(5, 5);
    expect(await classes(testzero)).not.toContain('active');
    await testzero.click();
    await page.mouse.move(5, 5);
    expect(await classes(step(Number(partners[0])))).toContain('partner');
    await testzero.click();
    await page.mouse.move(5, 5);
    expect(await classes(step(Number(partners[0])))).not.toContain('partner');
  });

  it('folds the quiet steps into their calls, and shows every step on request', async () => {
    ready();
    const total = await page.locator('.step[data-step]').count();
    const shown = async (): Promise<number> => {
      let n = 0;
      const all = page.locator('.step[data-step]');
      for (let i = 0; i < total; i++) if (await all.nth(i).isVisible()) n++;
      return n;
    };
    const folded = await shown();
    expect(folded).toBeLessThan(total);
    expect(folded).toBeGreaterThanOrEqual(await page.locator('.step.racing').count());
    await page.locator('input.show-all').check();
    expect(await shown()).toBe(total);
    // The links follow the steps as they move.
    expect(await page.locator('svg.links path.race').count()).toBe(await page.locator('tr.race-row').count());
    await page.locator('input.show-all').uncheck();
  });

  it('renders a page that reads: a screenshot of a sensible size', async () => {
    ready();
    await page.locator('.step.racing[data-tid="2"]', { hasText: 'put_page_testzero(P0) == false' }).hover();
    const png = await page.screenshot({ fullPage: true });
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    // Three lanes (lookup, reclaim, owner) with kernel-call labels are wider than the 1280-pixel viewport: the page scrolls sideways.
    expect(width).toBeGreaterThanOrEqual(1280);
    expect(width).toBeLessThan(2560);
    expect(height).toBeGreaterThan(900);
    // The race through the page cache takes a few hundred steps: about 9000 pixels of timeline.
    expect(height).toBeLessThan(12000);
    // A blank page of that size compresses to a few kilobytes.
    expect(png.length).toBeGreaterThan(50_000);
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'timeline.png'), png);
    writeFileSync(join(ARTIFACTS, 'timeline.html'), readFileSync(reportFile));
  });
});
