#!/usr/bin/env node
// Writes Stryker's HTML report (docs/public/mutation/index.html) from a mutation report in
// the mutation-testing-report-schema: mutation/report.json by default, or
// mutation/incremental.json, which an interrupted `pnpm mutation` leaves with every mutant
// it had tested (Stryker writes its HTML report only at the end of a complete run).
//
//   node scripts/mutation-html.mjs [REPORT]
//
// The page is the one Stryker's own html reporter makes: mutation-testing-elements'
// <mutation-test-report-app> with the report inlined.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const reportPath = process.argv[2] ?? `${root}mutation/report.json`;
const out = `${root}docs/public/mutation/index.html`;
if (!existsSync(reportPath)) {
  console.error(`mutation-html: ${reportPath} is missing: run \`pnpm mutation\` first.`);
  process.exit(2);
}
const report = JSON.parse(readFileSync(reportPath, 'utf8'));
// mutation-testing-elements is @stryker-mutator/core's dependency (pnpm keeps it out of the root's node_modules).
const fromRoot = createRequire(`${root}package.json`);
const fromCore = createRequire(fromRoot.resolve('@stryker-mutator/core'));
const script = readFileSync(fromCore.resolve('mutation-testing-elements/dist/mutation-test-elements.js'), 'utf8');
// As Stryker does: break up HTML tags inside the JSON so that no string in it can end the script element.
const json = JSON.stringify(report).replace(/</g, '<"+"');
const html = `<!DOCTYPE html>
<html>
<head>
  <meta charset="utf-8">
  <title>pagecheck mutation report</title>
  <script>
${script}
  </script>
</head>
<body>
  <mutation-test-report-app titlePostfix="pagecheck">
    Your browser doesn't support custom elements; use a recent browser.
  </mutation-test-report-app>
  <script>
    const app = document.querySelector('mutation-test-report-app');
    app.report = ${json};
    function updateTheme() {
      document.body.style.backgroundColor = app.themeBackgroundColor;
    }
    app.addEventListener('theme-changed', updateTheme);
    updateTheme();
  </script>
</body>
</html>
`;
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, html);
console.log(`mutation-html: wrote ${out} from ${reportPath}`);
