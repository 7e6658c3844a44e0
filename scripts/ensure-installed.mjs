// Runs before `npm start` and `npm test` (as prestart/pretest) with whatever Node the machine
// has, so the README's two commands work on a fresh clone: it installs the pinned dependencies
// (which bring Node 26 itself, from the `node` package) when they are missing or out of date,
// and for tests (--browser), what Debian packages the tests run when it is missing: Chromium
// for the browser tests, and the readers the exports are held against (LibreOffice and
// pdftotext for the Word table, python-docx, python icalendar for the calendar feed).
// Plain JavaScript on purpose: it must run on an old system Node before Node 26 is installed.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const run = (cmd) => execSync(cmd, { stdio: 'inherit' });
const readJson = (p) => {
  try {
    return JSON.parse(readFileSync(p, 'utf8'));
  } catch {
    return null;
  }
};

/**
 * Whether node_modules holds what package-lock.json names, read from the lock npm keeps of what
 * it installed. By content, not by file dates: a fresh checkout or a git worktree has a newer
 * package-lock.json than an installed node_modules it shares, and must not reinstall over it.
 * Optional packages for other platforms are in the lock and never installed.
 */
function installedAsLocked() {
  const wanted = readJson('package-lock.json')?.packages;
  const installed = readJson('node_modules/.package-lock.json')?.packages;
  if (!wanted || !installed) return false;
  return Object.entries(wanted).every(
    ([path, entry]) => path === '' || (installed[path] ? installed[path].version === entry.version : entry.optional === true),
  );
}

if (!existsSync('node_modules/.bin/node') || !installedAsLocked()) {
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

/** Debian's python3-* libraries install for /usr/bin/python3, whatever python3 comes first on PATH. */
const pythonHas = (module) => {
  try {
    execSync(`/usr/bin/python3 -c 'import ${module}'`, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const onPath = (command) => {
  try {
    execSync(`command -v ${command}`, { stdio: 'ignore', shell: '/bin/sh' });
    return true;
  } catch {
    return false;
  }
};

if (process.argv.includes('--browser')) {
  const readers = [
    // Liberation Sans has Arial's metrics, which the Word export sizes its columns with.
    ...(onPath('soffice') ? [] : ['libreoffice-writer-nogui', 'fonts-liberation2']),
    ...(onPath('pdftotext') ? [] : ['poppler-utils']),
    ...(pythonHas('docx') ? [] : ['python3-docx']),
    ...(pythonHas('icalendar') ? [] : ['python3-icalendar']),
    // An independent reader for the spreadsheets Convene exports and imports.
    ...(pythonHas('openpyxl') ? [] : ['python3-openpyxl']),
    // A real IMAP server (run on loopback by the tests) for the IMAP intake of replies by mail.
    ...(existsSync('/usr/sbin/dovecot') ? [] : ['dovecot-imapd']),
    // Chinese glyphs (1.6 MB): without them the browser draws boxes, and the walk of the screens
    // in Chinese would measure the boxes' widths, not the text's.
    ...(existsSync('/usr/share/fonts/truetype/wqy/wqy-microhei.ttc') ? [] : ['fonts-wqy-microhei']),
  ];
  if (readers.length > 0) {
    if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
      console.log(`Installing the readers the export tests use (apt-get install ${readers.join(' ')})…`);
      run(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${readers.join(' ')}`);
    } else {
      console.error(`The export tests need ${readers.join(', ')}: install them (Debian/Ubuntu: sudo apt-get install ${readers.join(' ')}).`);
      process.exit(1);
    }
  }
}
