// The failure-timeline browser test needs Debian's chromium (playwright-core drives /usr/bin/chromium).
// `pnpm test` runs this first: on a machine without it, install it with apt-get when we can, else say how.
import { existsSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';

const CHROMIUM = '/usr/bin/chromium';
if (existsSync(CHROMIUM)) process.exit(0);

const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!hasApt || !isRoot) {
  console.error(`${CHROMIUM} is missing: the failure-timeline browser test needs Debian's chromium. Install it with\n  sudo apt-get update && sudo apt-get install -y chromium\nand run the tests again.`);
  process.exit(1);
}
console.log('Installing Debian\'s chromium for the failure-timeline browser test (apt-get install chromium)...');
execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null'], { stdio: 'inherit' });
if (!existsSync(CHROMIUM)) {
  console.error(`apt-get finished but ${CHROMIUM} is still missing`);
  process.exit(1);
}
