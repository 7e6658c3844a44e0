// One browser file at a time. The suite runs two files at once, and two Chromium files together
// starve each other's pages on a two-core machine (steps that take a moment alone take many
// seconds, and a check that polls for a few seconds gives up); a browser file beside an API file
// does not. The turn is a directory created atomically, per test run (named from the run's
// database), held from this module's import to the end of the file, taken over if its holder
// died. Waiting here, at import, counts against no test or hook timeout.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, inject } from 'vitest';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const readOwner = (file: string) => {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
};

export async function takeBrowserTurn(): Promise<void> {
  const run = createHash('sha1').update(inject('databaseUrl')).digest('hex').slice(0, 12);
  const dir = path.join(tmpdir(), `convene-browser-turn-${run}`);
  const owner = path.join(dir, 'pid');
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(owner, String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    // No pid yet: its holder is between mkdir and write, so alive.
    const pid = Number(readOwner(owner)) || null;
    if (pid !== null && pid !== process.pid && !alive(pid)) rmSync(dir, { recursive: true, force: true });
    else if (pid === process.pid) break;
    else await new Promise((r) => setTimeout(r, 100));
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', release);
  // Registered before the file's own hooks, so (hooks after a file run in reverse) it runs after
  // the file has closed its browser.
  afterAll(release);
}
