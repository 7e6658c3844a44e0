// A real Convene app on the shared test database. One per test file; tests isolate by data.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadConfig, type Config, type Env } from '../../server/config.ts';

export type TestApp = Awaited<ReturnType<typeof buildApp>>;

export function testConfig(env: Env = {}, limits: Partial<Config['limits']> = {}): Config {
  const config = loadConfig({
    NODE_ENV: 'test',
    PUBLIC_URL: 'http://localhost:3000',
    SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
    OPERATOR_EMAIL: 'operator@convene.test',
    // Each app is its own realtime cluster unless a test joins two on purpose (same channel).
    REALTIME_CHANNEL: `t_${randomBytes(6).toString('hex')}`,
    // Each test app has its own job store, so one file's jobs never run in another file's app
    // (with its own SMTP sink); apps that must share one (several instances) pass the same name.
    JOBS_SCHEMA: uniqueJobsSchema(),
    JOBS_POLL_SECONDS: '0.5',
    DELIVERY_RETRY_BASE_MS: '200',
    // Shedding reacts to this process's event loop, which a test's own synchronous work (or a busy
    // shared machine) can fill; test/api/load-shedding.test.ts turns it on with its thresholds.
    LOAD_SHEDDING: 'false',
    ...env,
  });
  return {
    ...config,
    limits: {
      ...config.limits,
      signInPerIp: { max: 10_000, windowMs: 60_000 },
      requestsPerMinute: 100_000,
      writesPerAccount: { max: 100_000, windowMs: 60_000 },
      ...limits,
    },
  };
}

export async function createTestApp(options: { env?: Env; limits?: Partial<Config['limits']> } = {}): Promise<TestApp> {
  const app = await buildApp({ config: testConfig(options.env, options.limits), databaseUrl: inject('databaseUrl') });
  await app.ready();
  return app;
}

export const uniqueJobsSchema = () => `jobs_${randomBytes(6).toString('hex')}`;

/** A value no other test will use: isolation by data. */
export const unique = (prefix = 'x') => `${prefix}-${randomBytes(5).toString('hex')}`;
export const randomIp = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
