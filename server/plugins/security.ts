// Browser-facing hardening: security headers with a strict CSP, cookies, rate limits.
import fp from 'fastify-plugin';
import helmet from 'helmet';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config.ts';

export default fp<{ config: Config }>(
  async (app, { config }) => {
    // helmet's headers depend only on this configuration (no nonces), so they are computed once and
    // each request gets a copy: @fastify/helmet rebuilt the middleware (parsing the CSP) on every
    // request, and even a prebuilt middleware's dozen setHeader calls were a measurable share of a
    // small request's CPU (bench/comments.bench.ts).
    const securityHeaders = staticHeaders(
      helmet({
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
      }),
    );
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(securityHeaders);
      done();
    });
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
  },
  { name: 'security' },
);

/** The headers a request-independent middleware sets, recorded once on a stand-in response. */
function staticHeaders(middleware: (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  let done = false;
  middleware({} as IncomingMessage, recorder as unknown as ServerResponse, (err) => {
    if (err) throw err;
    done = true;
  });
  if (!done) throw new Error('security headers: the middleware did not finish synchronously');
  return headers;
}
