// Load shedding: when the server cannot keep up, say so at once (503 server_busy + Retry-After,
// which clients and load balancers understand) instead of queueing every request until all of
// them time out. Two signals, checked before any other work on a request:
// - the event loop (@fastify/under-pressure): delay and utilisation past the configured limits;
// - the database pool: more requests waiting for a connection than allowed. Read per request
//   (waitingCount is a field), since a burst arrives faster than any periodic check.
// /api/health is never shed (route config `shedLoad: false`): it reports "degraded" instead, so
// an operator or load balancer can still see the instance.
import fp from 'fastify-plugin';
import underPressure from '@fastify/under-pressure';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: never shed this route (health); it sees `request.loadPressure` instead. */
    shedLoad?: boolean;
  }
  interface FastifyRequest {
    /** Why this request would have been shed (an exempt route still runs); null when not under pressure. */
    loadPressure: string | null;
  }
}

/**
 * How often the event loop is sampled: short, so saturation is noticed within a few requests, and
 * long enough that one slow task (a large export) does not shed on its own.
 */
const SAMPLE_INTERVAL_MS = 200;

export default fp<{ config: Config }>(async (app, { config }) => {
  const { load } = config;
  app.decorateRequest('loadPressure', null);
  if (!load.shedding) return;

  const body = {
    code: 'server_busy',
    message: `The server is too busy to answer now; try again in ${load.retryAfterSeconds} seconds.`,
    retryAfterSeconds: load.retryAfterSeconds,
  };
  /** Answers 503 and returns true, or lets an exempt request through (marked) and returns false. */
  const shed = (request: FastifyRequest, reply: FastifyReply, reason: string): boolean => {
    if (request.routeOptions.config.shedLoad === false) {
      request.loadPressure = reason;
      return false;
    }
    request.log.warn({ reason }, 'load shed: answered 503');
    void reply.status(503).header('retry-after', String(load.retryAfterSeconds)).type('application/json; charset=utf-8').serializer(JSON.stringify).send(body);
    return true;
  };

  await app.register(underPressure, {
    maxEventLoopDelay: load.maxEventLoopDelayMs,
    maxEventLoopUtilization: load.maxEventLoopUtilization,
    // Utilisation over the last sample, not since start: a long quiet past must not hide a busy present.
    eventLoopUtilizationMode: 'interval',
    sampleInterval: SAMPLE_INTERVAL_MS,
    retryAfter: load.retryAfterSeconds,
    // A reply sent here ends the request; without one it carries on (under-pressure's contract).
    pressureHandler: (request, reply, type) => { shed(request, reply, type); },
  });

  const pool = app.pgPool;
  app.addHook('onRequest', (request, reply, done) => {
    if (pool.waitingCount > load.maxPoolWaiting && shed(request, reply, 'poolWaiting')) return;
    done();
  });
}, { name: 'load-shedding', dependencies: ['prisma'] });
