import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';

describe('configuration', () => {
  it('has working defaults for development', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      port: 3000,
      publicUrl: 'http://localhost:3000',
      databaseUrl: undefined,
      smtpUrl: undefined,
      seed: 'auto',
    });
    expect(config.dataDir).toMatch(/data$/);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ PUBLIC_URL: 'localhost:3000' }, 'PUBLIC_URL'],
    [{ SMTP_URL: 'http://mail' }, 'SMTP_URL'],
    [{ MAIL_FROM: 'Convene' }, 'MAIL_FROM'],
    [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET'],
    [{ NODE_ENV: 'production' }, 'SESSION_SECRET'],
    [{ OPERATOR_EMAIL: 'nope' }, 'OPERATOR_EMAIL'],
    [{ SESSION_IDLE_MINUTES: '-5' }, 'SESSION_IDLE_MINUTES'],
    [{ MAIL_INBOUND_RECOVERY_SECONDS: '0' }, 'MAIL_INBOUND_RECOVERY_SECONDS'],
    [{ MAIL_INBOUND_RECOVERY_SECONDS: 'soon' }, 'MAIL_INBOUND_RECOVERY_SECONDS'],
    [{ MAIL_INBOUND_RECOVERY_SECONDS: '1e9' }, 'MAIL_INBOUND_RECOVERY_SECONDS'],
  ])('refuses %o with a sentence naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Convene cannot start: .*${name}`));
  });

  it('trusts no forwarded address unless told which proxies are in front', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '192.0.2.10' }).trustProxy).toEqual(['192.0.2.10']);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1,fd00::/8,loopback' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
  });

  it('refuses TRUST_PROXY=true with a sentence that says why and what to write instead', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(
      /^Convene cannot start: TRUST_PROXY=true would believe every X-Forwarded-For entry.*any client could choose its own address.*TRUST_PROXY=10\.0\.0\.0\/8/,
    );
  });

  it('refuses a hop count, which cannot tell the proxy from a client writing the header, and says what to give instead', () => {
    expect(() => loadConfig({ TRUST_PROXY: '1' })).toThrow(
      /^Convene cannot start: TRUST_PROXY=1 \(a number of hops\) cannot tell the proxy from a client that connects directly.*TRUST_PROXY=10\.0\.0\.0\/8/,
    );
  });

  it.each(['-1', '1.5', 'yes', 'TRUE', '10.0.0.0/33', '300.1.1.1', '10.0.0.1,', 'fd00::/129'])('refuses TRUST_PROXY=%s with a sentence naming it', (value) => {
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/^Convene cannot start: TRUST_PROXY must be/);
  });

  it('stops `npm start` with the sentence and a non-zero exit before touching anything', () => {
    const result = spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', 'server/main.ts'], {
      env: { PATH: process.env.PATH, PORT: 'not-a-port', DATA_DIR: '/nonexistent/should-not-be-created' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('Convene cannot start: PORT must be a port number');
  });
});
