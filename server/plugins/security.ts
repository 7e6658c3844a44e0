// Browser-facing hardening: security headers with a strict CSP, cookies, rate limits.
import fp from 'fastify-plugin';
import helmet from 'helmet';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import type { Config } from '../config.ts';

export default fp<{ config: Config }>(async (app, { config }) => {
  // helmet's middleware, built once: @fastify/helmet rebuilds it (parsing the CSP directives) on
  // every request, a measurable share of a small request's CPU (bench/comments.bench.ts).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // Mail HTML shown in the local mailbox is sandboxed in an iframe served from here.
        frameSrc: ["'self'"],
        ...(config.publicUrl.startsWith('https://') ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // Same-origin app: no cross-origin embedding or opener access needed.
    crossOriginEmbedderPolicy: false,
    hsts: config.publicUrl.startsWith('https://') ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
  });
  app.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (err) => done(err as Error | undefined)));
  await app.register(cookie);
  // The sign-in page posts a plain HTML form (works without JavaScript).
  await app.register(formbody, { bodyLimit: 4096 });
  await app.register(rateLimit, {
    global: true,
    max: config.limits.requestsPerMinute,
    timeWindow: 60_000,
    errorResponseBuilder: (_req, context) => ({
      statusCode: 429,
      code: 'rate_limited',
      message: `Too many requests; try again in ${Math.ceil(context.ttl / 1000)} seconds.`,
      retryAfterSeconds: Math.ceil(context.ttl / 1000),
    }),
  });
}, { name: 'security' });
