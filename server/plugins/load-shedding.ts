// Load shedding: when the server cannot keep up, say so at once (503 server_busy + Retry-After,
// which clients and load balancers understand) instead of queueing every request until all of
// them time out. Checked before any other work on a request:
// - the event loop (@fastify/under-pressure): delay and utilisation past the configured limits,
//   sampled over a window (sustained saturation);
// - per request, since a burst arrives faster than any periodic sample: the database pool (more
//   requests waiting for a connection than allowed: pg Pool's waitingCount) and the requests
//   admitted and not yet answered.
// /api/health is never shed (route config `shedLoad: false`): it reports "degraded" instead, so
// an operator or load balancer can still see the instance. The writes a deadline is about (route
// config `shedLoad: 'last'`) are shed last: reads and other writes make room for them first.
import fp from 'fastify-plugin';
import underPressure from '@fastify/under-pressure';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * false: never shed this route (health); it sees `request.loadPressure` instead. 'last': a
     * write a deadline is about, shed only past LOAD_MAX_IN_FLIGHT_DEADLINE_WRITES (see config).
     */
    shedLoad?: boolean | 'last';
  }
  interface FastifyRequest {
    /** Why this request would have been shed (an exempt route still runs); null when not under pressure. */
    loadPressure: string | null;
  }
}

const SHED_LOG_INTERVAL_MS = 10_000;

export default fp<{ config: Config }>(
  async (app, { config }) => {
    const { load } = config;
    app.decorateRequest('loadPressure', null);
    if (!load.shedding) return;

    const body = {
      code: 'server_busy',
      message: `The server is too busy to answer now; try again in ${load.retryAfterSeconds} seconds.`,
      retryAfterSeconds: load.retryAfterSeconds,
    };
    let shedSinceLog = 0;
    let lastLog = 0;
    /** Answers 503 and returns true, or lets an exempt request through (marked) and returns false. */
    const shed = (request: FastifyRequest, reply: FastifyReply, reason: string): boolean => {
      if (request.routeOptions.config.shedLoad === false) {
        request.loadPressure = reason;
        return false;
      }
      // One line per interval, not per request: a flood would otherwise flood the log too.
      shedSinceLog++;
      if (Date.now() - lastLog >= SHED_LOG_INTERVAL_MS) {
        request.log.warn({ reason, shed: shedSinceLog }, 'shedding load: answering 503 server_busy');
        shedSinceLog = 0;
        lastLog = Date.now();
      }
      // The connection stays open: closing it (tried in bench/overload.bench.ts) turned a flood of
      // retries into a flood of reconnections, which cost more and left health waiting 15 s.
      void reply
        .status(503)
        .header('retry-after', String(load.retryAfterSeconds))
        .type('application/json; charset=utf-8')
        .serializer(JSON.stringify)
        .send(body);
      return true;
    };

    await app.register(underPressure, {
      maxEventLoopDelay: load.maxEventLoopDelayMs,
      maxEventLoopUtilization: load.maxEventLoopUtilization,
      // Utilisation over the last sample, not since start: a long quiet past must not hide a busy present.
      eventLoopUtilizationMode: 'interval',
      // Long enough (default 1 s) that one slow task (a large export) does not shed on its own: a
      // burst is caught per request by the checks below, sustained saturation by these samples.
      sampleInterval: load.sampleIntervalMs,
      retryAfter: load.retryAfterSeconds,
      // A reply sent here ends the request; without one it carries on (under-pressure's contract).
      pressureHandler: (request, reply, type) => {
        // A sampled delay is a past window, not this request's cost: deadline writes go on to the per-request bounds.
        if (request.routeOptions.config.shedLoad === 'last') return;
        shed(request, reply, type);
      },
    });

    // Requests admitted and not yet answered. A burst arrives faster than its requests reach the
    // pool (each passes its hooks before its first query), so the pool's queue alone would let a
    // whole burst in; this bounds the work in progress itself. The drain plugin counts them already
    // (its hook runs first and counts this request too), so no second listener per request here.
    const pool = app.pgPool;
    const { drain } = app;
    app.addHook('onRequest', (request, reply, done) => {
      const last = request.routeOptions.config.shedLoad === 'last';
      const reason =
        pool.waitingCount > (last ? load.maxPoolWaiting * 2 : load.maxPoolWaiting)
          ? 'poolWaiting'
          : drain.inFlight > (last ? load.maxInFlightDeadlineWrites : load.maxInFlight)
            ? 'inFlight'
            : null;
      if (reason && shed(request, reply, reason)) return;
      done();
    });
  },
  { name: 'load-shedding', dependencies: ['prisma', 'drain'] },
);
