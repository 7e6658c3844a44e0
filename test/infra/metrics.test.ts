// /metrics: Prometheus text for the operator's scraper only, with the figures an operator watches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createCastedGroup, createUser, signIn } from '../helpers/factories.ts';
import { closeAllSockets, connect, listen, record, subscribe, waitFor } from '../helpers/sockets.ts';
import { ping, registerTestEvents } from '../realtime/test-events.ts';

const TOKEN = 'scraper-token-scraper-token-scraper-token';
let app: TestApp;
let url: string;
beforeAll(async () => {
  app = await createTestApp({ env: { METRICS_TOKEN: TOKEN } });
  registerTestEvents(app);
  url = await listen(app);
});
afterAll(async () => {
  closeAllSockets();
  await app.close();
});

const scrape = () => app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
/** The value of the series `name` whose labels include `labels`, in the exposition text. */
const seriesValue = (text: string, name: string, labels: Record<string, string> = {}) => {
  for (const line of text.split('\n')) {
    const m = line.match(/^(\w+)(?:\{(.*)\})? (\S+)$/);
    if (!m || m[1] !== name) continue;
    const has = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => has[k] === v)) return Number(m[3]);
  }
  return undefined;
};

describe('GET /metrics', () => {
  it('answers only the scraper holding the token: 401 without it, with a wrong one, or with an operator session', async () => {
    const operator = await createUser(app, { isOperator: true });
    const s = await signIn(app, operator.email);
    for (const headers of [{}, { authorization: 'Bearer wrong-token' }, { authorization: TOKEN }, { cookie: s.cookie }]) {
      const res = await app.inject({ method: 'GET', url: '/metrics', headers });
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('metrics_token_invalid');
      expect(res.body).not.toContain('convene_http');
    }
    const ok = await scrape();
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^text\/plain/);
    // Not part of the public API description.
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(Object.keys(doc.paths)).not.toContain('/metrics');
  });

  it('counts requests and their latency by route pattern, not by raw URL', async () => {
    const { group, convener } = await createCastedGroup(app);
    const s = await signIn(app, convener.email);
    for (let i = 0; i < 3; i++) await app.inject({ method: 'GET', url: `/api/groups/${group.slug}`, headers: { cookie: s.cookie } });
    const text = (await scrape()).body;
    expect(seriesValue(text, 'convene_http_requests_total', { method: 'GET', route: '/api/groups/:slug', status: '200' })).toBeGreaterThanOrEqual(3);
    expect(seriesValue(text, 'convene_http_request_duration_seconds_count', { method: 'GET', route: '/api/groups/:slug' })).toBeGreaterThanOrEqual(3);
    expect(text).not.toContain(group.slug);
  });

  it('reports socket connections and the realtime fan-out latency', async () => {
    const { group, participant } = await createCastedGroup(app);
    const ps = await signIn(app, participant.email);
    const socket = await connect(url, { cookie: ps.cookie });
    const got = record(socket);
    await subscribe(socket, { kind: 'group', id: group.slug });
    const before = seriesValue((await scrape()).body, 'convene_realtime_fanout_seconds_count') ?? 0;
    await ping(app, group.id);
    await waitFor(() => got.find((r) => r.event === 'test.ping'), 'the event');
    const text = (await scrape()).body;
    expect(seriesValue(text, 'convene_socket_connections', { namespace: '/' })).toBeGreaterThanOrEqual(1);
    expect(seriesValue(text, 'convene_realtime_fanout_seconds_count')).toBe(before + 1);
  });

  it('reports job queues (depth and age of the oldest ready job), digest deliveries by state, the database pools and the process', async () => {
    const { group } = await createCastedGroup(app);
    // A job due later and one ready now on a queue nobody works: depth by state, age of the ready one.
    await app.jobs.boss.createQueue('metrics.idle');
    await app.jobs.send('metrics.idle', {});
    await app.jobs.send('metrics.idle', {}, { startAfter: 3600 });
    const digest = await app.prisma.digest.create({
      data: { groupId: group.id, key: `metrics:${group.id}`, kind: 'MILESTONE_REACHED', subject: 's', html: 'h', text: 't', props: {} },
    });
    await app.prisma.digestDelivery.create({
      data: { digestId: digest.id, recipient: `dead-${group.id}@x.test`, messageId: `<m-${group.id}@x>`, state: 'DEAD' },
    });
    // Mail intake is counted by the module that receives mail, through app.metrics.
    app.metrics.mailIntake.inc({ outcome: 'accepted' });
    const text = (await scrape()).body;
    expect(seriesValue(text, 'convene_job_queue_depth', { queue: 'metrics.idle', state: 'ready' })).toBe(1);
    expect(seriesValue(text, 'convene_job_queue_depth', { queue: 'metrics.idle', state: 'deferred' })).toBe(1);
    expect(seriesValue(text, 'convene_job_queue_oldest_ready_seconds', { queue: 'metrics.idle' })).toBeGreaterThanOrEqual(0);
    expect(seriesValue(text, 'convene_digest_deliveries', { state: 'dead' })).toBeGreaterThanOrEqual(1);
    expect(seriesValue(text, 'convene_db_pool_connections', { pool: 'app', state: 'total' })).toBeGreaterThanOrEqual(1);
    expect(seriesValue(text, 'convene_db_pool_connections', { pool: 'jobs', state: 'waiting' })).toBe(0);
    expect(seriesValue(text, 'convene_mail_intake_total', { outcome: 'accepted' })).toBe(1);
    expect(seriesValue(text, 'convene_process_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(text).toMatch(/^convene_process_nodejs_eventloop_lag_p99_seconds /m);
  });

  it('tags each answer with its request id, the proxy’s when it sent a sane one', async () => {
    const fresh = await app.inject({ method: 'GET', url: '/api/health' });
    expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const given = await app.inject({ method: 'GET', url: '/api/health', headers: { 'x-request-id': 'caddy-7f3e2a1b' } });
    expect(given.headers['x-request-id']).toBe('caddy-7f3e2a1b');
    const odd = await app.inject({ method: 'GET', url: '/api/health', headers: { 'x-request-id': 'bad id\nwith a newline' } });
    expect(odd.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
