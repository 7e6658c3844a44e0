// Runs before `npm start` and `npm test` (as prestart/pretest) with whatever Node the machine
// has, so the README's two commands work on a fresh clone: it installs the pinned dependencies
// (which bring Node 26 itself, from the `node` package) when they are missing or out of date,
// and for tests, Debian's Chromium for the browser tests when it is missing.
// Plain JavaScript on purpose: it must run on an old system Node before Node 26 is installed.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const run = (cmd) => execSync(cmd, { stdio: 'inherit' });
const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);

const marker = 'node_modules/.package-lock.json';
if (!existsSync('node_modules/.bin/node') || mtime('package-lock.json') > mtime(marker)) {
  console.log('Installing dependencies (npm ci)…');
  run('npm ci --no-audit --no-fund');
}

if (process.argv.includes('--browser') && !existsSync('/usr/bin/chromium') && !process.env.CHROMIUM_PATH) {
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log('Installing Chromium for the browser tests (apt-get install chromium)…');
    run('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium');
  } else {
    console.error('The browser tests need Chromium: install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH.');
    process.exit(1);
  }
}
