// The third-party readers the exports are held against, run as their users run them: Debian's
// python3 libraries (python-docx, icalendar) and LibreOffice with poppler's pdftotext.
// scripts/ensure-installed.mjs installs them before `npm test` when they are missing.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Debian's interpreter, by its path: the python3-* packages install into its dist-packages,
 * and a python3 earlier on PATH (pyenv, a virtualenv) would not see them.
 */
const PYTHON = '/usr/bin/python3';

/** Runs a Python script with `input` on its stdin and parses the JSON it prints. */
export async function runPython<T>(script: string, input: string | Buffer): Promise<T> {
  const child = run(PYTHON, ['-c', script], { maxBuffer: 64 * 1024 * 1024 });
  child.child.stdin!.end(input);
  const { stdout } = await child;
  return JSON.parse(stdout) as T;
}

/**
 * Renders a .docx to PDF with LibreOffice and returns the text of each page as pdftotext
 * lays it out (-layout keeps table columns side by side). A private profile directory lets
 * several renders run at once; the first start of a profile takes a few seconds.
 */
export async function renderDocxPages(docx: Buffer): Promise<string[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'convene-docx-'));
  try {
    const input = path.join(dir, 'table.docx');
    await writeFile(input, docx);
    await run('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', dir, input], {
      timeout: 120_000,
    });
    await run('pdftotext', ['-layout', path.join(dir, 'table.pdf'), path.join(dir, 'table.txt')]);
    const text = await readFile(path.join(dir, 'table.txt'), 'utf8');
    // pdftotext ends every page with a form feed.
    return text.split('\f').slice(0, -1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Opens a .docx in LibreOffice and saves it as a flat OpenDocument text (.fodt): its XML says
 * which changes LibreOffice recognised as tracked (text:tracked-changes, text:changed-region).
 */
export async function docxAsFlatOdt(docx: Buffer): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'convene-fodt-'));
  try {
    const input = path.join(dir, 'document.docx');
    await writeFile(input, docx);
    await run('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--norestore', '--convert-to', 'fodt', '--outdir', dir, input], {
      timeout: 120_000,
    });
    return await readFile(path.join(dir, 'document.fodt'), 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
