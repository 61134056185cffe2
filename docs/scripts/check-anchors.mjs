#!/usr/bin/env node
// VitePress fails the build on links to pages that do not exist, but not on
// links to headings that do not exist (`page#no-such-heading`). This checks
// those in the built site: every internal link with a fragment must land on
// an element with that id.
//
//   node docs/scripts/check-anchors.mjs [DIST]     (default docs/.vitepress/dist)

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = process.argv[2] ?? fileURLToPath(new URL('../.vitepress/dist/', import.meta.url));

function htmlFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? htmlFiles(join(dir, e.name)) : e.name.endsWith('.html') ? [join(dir, e.name)] : [],
  );
}

const unescape = (s) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

const ids = new Map();
const hrefs = new Map();
for (const file of htmlFiles(dist)) {
  const page = relative(dist, file);
  const text = readFileSync(file, 'utf8');
  ids.set(page, new Set([...text.matchAll(/\sid="([^"]+)"/g)].map((m) => unescape(m[1]))));
  hrefs.set(page, [...text.matchAll(/\shref="([^"]+)"/g)].map((m) => unescape(m[1])));
}

/** The built file a link points at, from the page that has it. */
function target(page, path) {
  if (path === '') return page;
  let t = path.startsWith('/') ? path.slice(1) : normalize(join(dirname(page), path));
  if (t === '' || t === '.' || t.endsWith('/')) t = join(t, 'index.html');
  else if (!t.endsWith('.html')) t += '.html';
  return normalize(t);
}

const broken = [];
for (const [page, links] of hrefs) {
  for (const href of links) {
    if (/^[a-z]+:/i.test(href) || href.startsWith('//') || !href.includes('#')) continue;
    const [path, fragment] = href.split('#', 2);
    if (fragment === '') continue;
    const to = target(page, path);
    const known = ids.get(to);
    if (known === undefined) broken.push(`${page}: ${href} (no page ${to})`);
    else if (!known.has(decodeURIComponent(fragment))) broken.push(`${page}: ${href} (no #${fragment} in ${to})`);
  }
}

if (broken.length > 0) {
  process.stderr.write(`check-anchors: ${broken.length} link(s) to a heading that does not exist:\n${broken.map((b) => `  ${b}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`check-anchors: ${[...hrefs.values()].reduce((n, l) => n + l.length, 0)} links in ${hrefs.size} pages, every fragment found\n`);
