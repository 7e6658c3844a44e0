import { defineConfig } from 'vitest/config';
import Sequencer from './test/setup/sequencer.ts';

// Files that measure time, load the machine on purpose or kill and restart processes: they run
// one at a time after the rest, so neither they nor the others see borrowed latency.
const ALONE = [
  'test/api/load-shedding.test.ts',
  'test/infra/database-outage.test.ts',
  'test/infra/digest-faults.test.ts',
  'test/infra/mail-jobs.test.ts',
  'test/infra/migrations.test.ts',
  'test/infra/shutdown.test.ts',
  'test/infra/start-together.test.ts',
  'test/infra/start.test.ts',
  'test/infra/scale-out.test.ts',
  'test/infra/backup.test.ts',
];

const shared = {
  // One real PostgreSQL per project; files isolate by data.
  globalSetup: ['test/setup/global-setup.ts'],
  testTimeout: 20_000,
  hookTimeout: 60_000,
  pool: 'forks' as const,
  // expect.poll's own default (1 s) is shorter than a browser step on a busy two-core machine.
  expect: { poll: { timeout: 5_000 } },
};

export default defineConfig({
  test: {
    reporters: ['default', './test/setup/summary-reporter.ts'],
    // Two files at a time: most wait on PostgreSQL, SMTP, timers or a child process rather than
    // compute. Browser files take turns (test/e2e/lib/browser-turn.ts), so a browser file runs
    // beside a file without one, never beside another; the sequencer spreads them out.
    maxWorkers: Number(process.env.TEST_WORKERS ?? 2),
    sequence: { sequencer: Sequencer },
    projects: [
      { test: { ...shared, name: 'parallel', include: ['test/**/*.test.ts'], exclude: ALONE } },
      { test: { ...shared, name: 'alone', include: ALONE, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
