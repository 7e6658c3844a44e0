// Prometheus metrics (prom-client) at GET /metrics, for the operator's scraper only: it answers a
// request carrying `Authorization: Bearer <METRICS_TOKEN>`, 401 to any other, and 404 when no token
// is configured (then nothing is exposed at all). Outside /api: no session, no CSRF, not in the
// OpenAPI document, never shed (a scraper must see an overloaded instance).
//
// One registry per app (tests build many apps in one process). Counters and histograms are
// updated as things happen; the database-backed figures (job queues, digest deliveries) are read
// when scraped, in one short query each, so an idle scraper costs nothing.
//
// Other modules add their own series through `app.metrics` (mail intake is declared here so the
// name is stable whichever module receives mail: `app.metrics.mailIntake.inc({ outcome })`).
import fp from 'fastify-plugin';
import client from 'prom-client';
import type { Config } from '../config.ts';
import { AppError } from '../lib/app-error.ts';
import { safeEqual } from '../lib/tokens.ts';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: {
      registry: client.Registry;
      /** Inbound mail, by outcome (accepted, rejected, bounced, duplicate…): counted by the module that receives it. */
      mailIntake: client.Counter<'outcome'>;
    };
  }
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const FANOUT_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export default fp<{ config: Config }>(
  async (app, { config }) => {
    const registry = new client.Registry();
    client.collectDefaultMetrics({ register: registry, prefix: 'convene_process_' });

    const requests = new client.Counter({
      name: 'convene_http_requests_total',
      help: 'HTTP requests answered, by route pattern, method and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    });
    const latency = new client.Histogram({
      name: 'convene_http_request_duration_seconds',
      help: 'Time from receiving a request to the end of its answer, by route pattern',
      labelNames: ['method', 'route'] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
    app.addHook('onResponse', async (request, reply) => {
      // The route's pattern, never the raw URL (ids would make one series per document).
      const route = request.routeOptions.url ?? 'unmatched';
      if (route === '/metrics') return;
      requests.inc({ method: request.method, route, status: String(reply.statusCode) });
      latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    });

    new client.Gauge({
      name: 'convene_socket_connections',
      help: 'Open socket.io connections on this instance, by namespace',
      labelNames: ['namespace'] as const,
      registers: [registry],
      collect() {
        this.set({ namespace: '/' }, app.realtime.main.sockets.size);
        this.set({ namespace: '/public' }, app.realtime.publicOutputs.sockets.size);
      },
    });
    const fanout = new client.Histogram({
      name: 'convene_realtime_fanout_seconds',
      help: "Time from the transaction that wrote a realtime event to its emission to this instance's sockets",
      buckets: FANOUT_BUCKETS,
      registers: [registry],
    });
    app.realtime.observeDeliveries((ms) => fanout.observe(Math.max(0, ms) / 1000));

    const pools = { app: app.pgPool, jobs: app.jobs.pool };
    new client.Gauge({
      name: 'convene_db_pool_connections',
      help: 'Database pool connections by pool (app: requests, jobs: workers) and state',
      labelNames: ['pool', 'state'] as const,
      registers: [registry],
      collect() {
        for (const [name, pool] of Object.entries(pools)) {
          this.set({ pool: name, state: 'total' }, pool.totalCount);
          this.set({ pool: name, state: 'idle' }, pool.idleCount);
          this.set({ pool: name, state: 'waiting' }, pool.waitingCount);
        }
      },
    });

    // pg-boss's job table, read directly: the ready jobs per queue and how long the oldest has waited.
    const schema = config.jobs.schema; // validated as an identifier by the config
    const queueDepth = new client.Gauge({
      name: 'convene_job_queue_depth',
      help: 'Jobs per queue and state (ready: may run now; deferred: due later; active: running)',
      labelNames: ['queue', 'state'] as const,
      registers: [registry],
    });
    const queueAge = new client.Gauge({
      name: 'convene_job_queue_oldest_ready_seconds',
      help: 'How long the oldest ready job of each queue has been waiting to run',
      labelNames: ['queue'] as const,
      registers: [registry],
    });
    const deliveries = new client.Gauge({
      name: 'convene_digest_deliveries',
      help: 'Digest deliveries (one recipient of one digest) by state',
      labelNames: ['state'] as const,
      registers: [registry],
    });
    const mailIntake = new client.Counter({
      name: 'convene_mail_intake_total',
      help: 'Inbound e-mail messages by outcome',
      labelNames: ['outcome'] as const,
      registers: [registry],
    });

    async function readDatabaseFigures() {
      const [jobs, states] = await Promise.all([
        app.pgPool.query<{ name: string; state: string; n: number; oldest: number | null }>(
          `SELECT name,
                  CASE WHEN state = 'active' THEN 'active' WHEN start_after > now() THEN 'deferred' ELSE 'ready' END AS state,
                  count(*)::int AS n,
                  extract(epoch FROM now() - min(start_after) FILTER (WHERE start_after <= now()))::float8 AS oldest
           FROM "${schema}".job WHERE state IN ('created', 'retry', 'active') GROUP BY 1, 2`,
        ),
        app.prisma.digestDelivery.groupBy({ by: ['state'], _count: { _all: true } }),
      ]);
      queueDepth.reset();
      queueAge.reset();
      for (const r of jobs.rows) {
        queueDepth.set({ queue: r.name, state: r.state }, r.n);
        if (r.state === 'ready' && r.oldest !== null) queueAge.set({ queue: r.name }, r.oldest);
      }
      for (const state of ['PENDING', 'SENT', 'FAILED', 'DEAD']) deliveries.set({ state: state.toLowerCase() }, 0);
      for (const s of states) deliveries.set({ state: s.state.toLowerCase() }, s._count._all);
    }

    app.decorate('metrics', { registry, mailIntake });

    app.get('/metrics', { config: { rateLimit: false, shedLoad: false }, schema: { hide: true }, logLevel: 'warn' }, async (request, reply) => {
      if (!config.metricsToken) throw AppError.notFound('/metrics (set METRICS_TOKEN to switch it on)', 'not_found');
      const sent = request.headers.authorization?.match(/^Bearer (.+)$/)?.[1];
      if (!sent || !safeEqual(sent, config.metricsToken)) {
        throw new AppError('metrics_token_invalid', 401, 'Metrics are for the operator’s scraper: send its token as `Authorization: Bearer <token>`.');
      }
      try {
        await readDatabaseFigures();
      } catch (err) {
        // The process figures are still worth scraping when the database is not.
        request.log.warn({ err }, 'metrics: database figures unavailable');
      }
      return reply.type(registry.contentType).send(await registry.metrics());
    });
  },
  { name: 'metrics', dependencies: ['prisma', 'realtime', 'jobs'] },
);
