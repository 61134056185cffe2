#!/usr/bin/env node
// No page of the built site may scroll sideways: at 1280 px and at 390 px wide,
// in Debian's chromium (driven by playwright-core), every page's root must be
// no wider than the window. Code blocks and tables may scroll inside their own
// overflow containers; the page itself may not.
//
//   node docs/scripts/check-overflow.mjs [DIST] [--only REGEX]
//
// DIST defaults to docs/.vitepress/dist; --only checks the pages whose path matches.
//
// The site is served from DIST by a small static server on 127.0.0.1 (VitePress
// pages load their scripts as modules, which file:// refuses).

import { createServer } from 'node:http';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const onlyAt = args.indexOf('--only');
const only = onlyAt < 0 ? undefined : new RegExp(args.splice(onlyAt, 2)[1]);
const dist = args[0] ?? fileURLToPath(new URL('../.vitepress/dist/', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const WIDTHS = [1280, 390];
const TABS = 2;

if (!existsSync(join(dist, 'index.html'))) {
  console.error(`check-overflow: ${dist} has no index.html: build the site first (pnpm docs:build)`);
  process.exit(1);
}
if (!existsSync(CHROMIUM)) {
  console.error(`check-overflow: Debian's chromium is missing at ${CHROMIUM}: install it with 'apt-get update && apt-get install -y chromium' (node scripts/ensure-chromium.mjs does this as root)`);
  process.exit(1);
}

function htmlFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? htmlFiles(join(dir, e.name)) : e.name.endsWith('.html') && e.name !== '404.html' ? [join(dir, e.name)] : [],
  );
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.ico': 'image/x-icon' };

/** Serves DIST as VitePress's preview would: /page -> page.html, /dir/ -> dir/index.html. */
const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  const file = normalize(join(dist, path));
  const candidates = [file, `${file}.html`, join(file, 'index.html')];
  const found = file.startsWith(normalize(dist)) ? candidates.find((f) => existsSync(f) && statSync(f).isFile()) : undefined;
  if (found === undefined) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(found)] ?? 'application/octet-stream' });
  res.end(readFileSync(found));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

// /mutation/ is Stryker's HTML report (pnpm mutation), an app of its own served as is, not a page of the site.
const pages = htmlFiles(dist).map((f) => `/${relative(dist, f).split(sep).join('/')}`).filter((p) => !p.startsWith('/mutation/') && (only === undefined || only.test(p))).sort();
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

/** In the page: the root's overflow, and the widest elements that stick out of the window outside any scroll container. */
function measure() {
  const root = document.documentElement;
  const width = root.clientWidth;
  const scrolls = (el) => {
    for (let p = el.parentElement; p !== null && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return true;
    }
    return false;
  };
  const out = [];
  if (root.scrollWidth > width) {
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right > width + 0.5 && r.width > 0 && !scrolls(el)) {
        const cls = typeof el.className === 'string' && el.className.trim() !== '' ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
        out.push({ what: `${el.tagName.toLowerCase()}${cls}`, right: Math.round(r.right), text: (el.textContent ?? '').trim().slice(0, 60) });
      }
    }
    out.sort((a, b) => b.right - a.right);
  }
  return { scrollWidth: root.scrollWidth, clientWidth: width, innerWidth: window.innerWidth, offenders: out.slice(0, 4) };
}

const problems = [];
const started = performance.now();
// Each page is loaded once, measured at the widest width, then narrowed and measured again:
// a resize reflows as a fresh load at that width would (VitePress lays out with media queries).
const context = await browser.newContext({ viewport: { width: WIDTHS[0], height: 900 } });
// The site must work offline: anything outside the local server is refused.
await context.route('**/*', (route) => (route.request().url().startsWith(origin) ? route.continue() : route.abort()));
const queue = [...pages];
await Promise.all(
  Array.from({ length: TABS }, async () => {
    const tab = await context.newPage();
    for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
      await tab.setViewportSize({ width: WIDTHS[0], height: 900 });
      await tab.goto(`${origin}${path}`, { waitUntil: 'load', timeout: 120_000 });
      for (const width of WIDTHS) {
        await tab.setViewportSize({ width, height: 900 });
        // Two frames: the resize is laid out and painted before measuring.
        await tab.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
        const m = await tab.evaluate(measure);
        if (m.scrollWidth > m.clientWidth) problems.push({ path, width, ...m });
      }
    }
    await tab.close();
  }),
);
await context.close();
await browser.close();
server.close();

const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (problems.length > 0) {
  console.error(`check-overflow: ${problems.length} page view(s) scroll sideways (document wider than the window):`);
  for (const p of problems) {
    console.error(`  ${p.path} at ${p.width} px: ${p.scrollWidth} px wide in a ${p.clientWidth} px window`);
    for (const o of p.offenders) console.error(`    ${o.what} reaches ${o.right} px: ${JSON.stringify(o.text)}`);
  }
  console.error('Fix the page or the theme (docs/.vitepress/theme/custom.css): long content belongs in a container that scrolls on its own.');
  process.exit(1);
}
console.log(`check-overflow: ${pages.length} pages at ${WIDTHS.join(' and ')} px, none wider than the window (${seconds} s)`);
