// The production image and the compose topology, checked without a container engine (none runs
// here): the Dockerfile is linted with dockerfile-utils (the VS Code Docker extension's validator)
// and read instruction by instruction; docker-compose.yml and the Caddyfile are parsed and wired
// against each other and against the configuration the app validates.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { validate, ValidationSeverity } from 'dockerfile-utils';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';

const run = promisify(execFile);
const read = (file: string) => readFile(new URL(`../../${file}`, import.meta.url), 'utf8');

/** Instructions with continuation lines joined, comments dropped: [keyword, arguments]. */
function instructions(dockerfile: string): [string, string][] {
  const joined = dockerfile
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [keyword, ...rest] = l.split(/\s+/);
      return [keyword!.toUpperCase(), rest.join(' ')] as [string, string];
    });
}

describe('Dockerfile', () => {
  it('passes the linter with every rule an error', async () => {
    const source = await read('Dockerfile');
    const all = Object.fromEntries(
      [
        'deprecatedMaintainer',
        'directiveCasing',
        'emptyContinuationLine',
        'instructionCasing',
        'instructionCmdMultiple',
        'instructionEntrypointMultiple',
        'instructionHealthcheckMultiple',
        'instructionJSONInSingleQuotes',
        'instructionWorkdirRelative',
      ].map((k) => [k, ValidationSeverity.ERROR]),
    );
    const problems = validate(source, all);
    expect(problems.map((p) => `${p.range.start.line + 1}: ${p.message}`)).toEqual([]);
  });

  it('builds the client in a build stage, installs production dependencies only, and runs as a non-root user with a health check', async () => {
    const steps = instructions(await read('Dockerfile'));
    const froms = steps.filter(([k]) => k === 'FROM').map(([, a]) => a);
    // Every base image is Node 26 slim, pinned to a full version (no floating tag).
    expect(froms.length).toBeGreaterThanOrEqual(3);
    for (const f of froms) expect(f).toMatch(/^node:26\.\d+\.\d+-\w+-slim(@sha256:[0-9a-f]{64})? AS \w+$/);
    const stages = froms.map((f) => f.split(' AS ')[1]);
    const stageOf = (i: number) => stages[steps.slice(0, i + 1).filter(([k]) => k === 'FROM').length - 1];
    const runs = steps.map(([k, a], i) => ({ k, a, stage: stageOf(i) })).filter((s) => s.k === 'RUN');
    expect(runs.some((r) => r.stage === 'build' && /npm run build:client/.test(r.a))).toBe(true);
    expect(runs.some((r) => r.stage !== 'build' && r.stage !== 'runtime' && /npm ci --omit=dev/.test(r.a))).toBe(true);
    // The final stage runs no install of its own and copies the built client and production modules.
    const final = steps.slice(steps.map(([k]) => k).lastIndexOf('FROM'));
    expect(final.filter(([k, a]) => k === 'RUN' && /npm (ci|install)/.test(a))).toEqual([]);
    expect(final.some(([k, a]) => k === 'COPY' && /--from=build\b.*client\/dist/.test(a))).toBe(true);
    expect(final.some(([k, a]) => k === 'COPY' && /--from=deps\b.*node_modules/.test(a))).toBe(true);
    const user = final.filter(([k]) => k === 'USER').map(([, a]) => a);
    expect(user).toHaveLength(1);
    expect(user[0]).not.toMatch(/^(root|0)(:|$)/);
    const health = final.find(([k]) => k === 'HEALTHCHECK');
    expect(health?.[1]).toContain('/api/health');
    // Node itself is PID 1's child of nothing: no npm wrapper that would swallow SIGTERM.
    const cmd = JSON.parse(final.find(([k]) => k === 'CMD')![1]) as string[];
    expect(cmd[0]).toBe('node');
    expect(cmd).toContain('server/main.ts');
    expect(final.some(([k]) => k === 'VOLUME')).toBe(false);
    // The image does not carry local state or dependencies into the build context.
    const ignored = (await read('.dockerignore')).split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'data', '.env', '.git']));
  });
});

describe('the image build', () => {
  it('builds where a container engine answers (CI with a builder), and runs as node with its health check; linted only where none does', async () => {
    const engine = await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 10_000 }).then(
      () => true,
      () => false,
    );
    if (!engine) {
      // This machine: the docker client without an engine. The lint and the reading above stand in.
      expect(engine).toBe(false);
      return;
    }
    await run('docker', ['build', '--tag', 'convene:ci', '.'], { cwd: new URL('../..', import.meta.url), timeout: 1_200_000, maxBuffer: 64 * 1024 * 1024 });
    const { stdout } = await run('docker', ['image', 'inspect', 'convene:ci', '--format', '{{.Config.User}} {{json .Config.Healthcheck.Test}}']);
    expect(stdout).toMatch(/^node .*\/api\/health/);
  }, 1_300_000);
});

describe('docker-compose.yml', () => {
  it('runs two web instances and a worker behind Caddy, with PostgreSQL and Mailpit, every image pinned', async () => {
    const compose = parse(await read('docker-compose.yml'), { merge: true });
    const s = compose.services;
    expect(Object.keys(s).sort()).toEqual(['mailpit', 'postgres', 'proxy', 'web-1', 'web-2', 'worker']);
    for (const [name, svc] of Object.entries<{ image: string }>(s)) {
      expect(svc.image, name).toMatch(/:[\w.-]*\d+\.\d+[\w.-]*$/); // a version, never latest or a bare major
      expect(svc.image, name).not.toMatch(/:latest$/);
    }
    // No source mounted into the app, and the image is built from the Dockerfile.
    for (const name of ['web-1', 'web-2', 'worker']) {
      expect(s[name].build).toBe('.');
      expect(s[name].volumes).toBeUndefined();
      expect(s[name].command).toBeUndefined();
      expect(s[name].healthcheck.test.join(' ')).toContain('/api/health');
      expect(s[name].depends_on).toEqual({ postgres: { condition: 'service_healthy' }, mailpit: { condition: 'service_healthy' } });
    }
    // Roles: the web tier runs no jobs; the worker does and is not published.
    expect(s['web-1'].environment.JOBS_WORKERS).toBe('false');
    expect(s['web-2'].environment.JOBS_WORKERS).toBe('false');
    expect(s.worker.environment.JOBS_WORKERS).toBe('true');
    expect(s.worker.ports).toBeUndefined();
    // Only the proxy is published for HTTP; it waits for healthy web instances.
    expect(s.proxy.ports).toEqual(['3000:80']);
    expect(s['web-1'].ports).toBeUndefined();
    expect(s.proxy.depends_on).toEqual({ 'web-1': { condition: 'service_healthy' }, 'web-2': { condition: 'service_healthy' } });
    expect(s.proxy.volumes).toContain('./deploy/Caddyfile:/etc/caddy/Caddyfile:ro');
    // The database and mail wiring.
    const db = new URL(s['web-1'].environment.DATABASE_URL);
    expect(db.hostname).toBe('postgres');
    expect(db.username).toBe(s.postgres.environment.POSTGRES_USER);
    expect(db.password).toBe(s.postgres.environment.POSTGRES_PASSWORD);
    expect(db.pathname).toBe(`/${s.postgres.environment.POSTGRES_DB}`);
    expect(s['web-1'].environment.SMTP_URL).toBe('smtp://mailpit:1025');
    for (const svc of [s.postgres, s.mailpit]) expect(svc.healthcheck?.test).toBeTruthy();
    // The proxy's network is the one TRUST_PROXY names.
    expect(compose.networks.convene.ipam.config[0].subnet).toBe(s['web-1'].environment.TRUST_PROXY);
  });

  it('requires SESSION_SECRET to be set (no default), and the app refuses a missing or published one in production', async () => {
    const compose = parse(await read('docker-compose.yml'), { merge: true });
    for (const name of ['web-1', 'web-2', 'worker']) {
      expect(compose.services[name].environment.SESSION_SECRET).toMatch(/^\$\{SESSION_SECRET:\?.+\}$/);
    }
    const env = (secret?: string) => {
      const vars: Record<string, string> = {};
      for (const [k, v] of Object.entries<string>(compose.services['web-1'].environment)) {
        // Substitute as compose does: ${X:-default} → default, ${X:?msg} → the value given here.
        vars[k] = String(v)
          .replace(/\$\{(\w+):-([^}]*)\}/, '$2')
          .replace(/\$\{SESSION_SECRET:\?[^}]+\}/, secret ?? '');
      }
      return vars;
    };
    expect(() => loadConfig(env('a-secret-of-our-own-a-secret-of-our-own-0'))).not.toThrow();
    expect(() => loadConfig(env())).toThrow(ConfigError);
    expect(() => loadConfig(env('convene-development-secret-do-not-use-in-production'))).toThrow(/published with Convene/);
    expect(() => loadConfig(env('change-me-to-a-long-random-string-of-32-chars'))).toThrow(/published with Convene/);
  });

  it('puts the web instances behind Caddy with sticky sessions (socket.io polling) and health checks', async () => {
    const caddy = await read('deploy/Caddyfile');
    const compose = parse(await read('docker-compose.yml'), { merge: true });
    const upstreams = caddy
      .match(/reverse_proxy\s+([^{]+)\{/)![1]!
      .trim()
      .split(/\s+/);
    expect(upstreams.sort()).toEqual(['web-1:3000', 'web-2:3000']);
    for (const u of upstreams) expect(compose.services[u.split(':')[0]!].environment.PORT).toBe(u.split(':')[1]);
    expect(caddy).toMatch(/lb_policy cookie \w+/);
    expect(caddy).toMatch(/health_uri \/api\/health/);
    expect(caddy).toMatch(/header_up X-Request-Id/);
  });
});
