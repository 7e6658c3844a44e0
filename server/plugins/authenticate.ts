// Authentication for every request under /api: the session cookie is resolved once, and
// cookie-authenticated writes must carry the session's CSRF token in `x-csrf-token`
// (SameSite=Lax alone does not cover same-site subdomains or older browsers).
import fp from 'fastify-plugin';
import type { FastifyContextConfig, FastifyRequest } from 'fastify';
import { AppError } from '../lib/app-error.ts';
import { safeEqual } from '../lib/tokens.ts';
import { resolveSession, SESSION_COOKIE, type Authenticated } from '../modules/auth/session.ts';
import type { User } from '../generated/prisma/client.ts';

declare module 'fastify' {
  interface FastifyRequest {
    auth: Authenticated | null;
  }
  interface FastifyContextConfig {
    /** Set to false on the few unsafe routes that are reached without a session (sign-in, unsubscribe). */
    csrf?: boolean;
    /**
     * Set on the few /api routes that answer without a session: 'none' (health; /api/public/ is so by its prefix),
     * 'optional' (a public group's digest archive, more for its members). Every other /api route
     * answers 401 without one. The API description states this per operation (credentialsFor).
     */
    session?: 'none' | 'optional';
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The signed-in user, or a 401. */
export function requireUser(request: FastifyRequest): User {
  if (!request.auth) throw AppError.unauthorized();
  return request.auth.user;
}

export function requireOperator(request: FastifyRequest): User {
  const user = requireUser(request);
  if (!user.isOperator) throw AppError.forbidden('Only the operator of this server can do that.');
  return user;
}

/**
 * What a route asks of its caller, as this plugin and the handlers apply it: outside /api no
 * session is read; an unsafe route marked `csrf: false` is reached without one; a route that
 * takes a session takes the CSRF header with it on every unsafe method.
 */
export function credentialsFor(route: { method: string; url: string; config?: FastifyContextConfig | undefined }): {
  session: 'none' | 'optional' | 'required';
  csrf: boolean;
} {
  if (!route.url.startsWith('/api/') || route.url.startsWith('/api/public/') || route.config?.csrf === false) return { session: 'none', csrf: false };
  const session = route.config?.session ?? 'required';
  return { session, csrf: session !== 'none' && !SAFE_METHODS.has(route.method.toUpperCase()) };
}

export default fp(
  async (app) => {
    app.decorateRequest('auth', null);
    app.addHook('preValidation', async (request) => {
      const token = request.cookies[SESSION_COOKIE];
      if (!token || !request.url.startsWith('/api/')) return;
      request.auth = await resolveSession(app.ctx, token);
      if (!request.auth || SAFE_METHODS.has(request.method) || request.routeOptions.config.csrf === false) return;
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !safeEqual(sent, request.auth.session.csrfToken)) {
        throw AppError.forbidden('This request is missing its CSRF token; reload the page and try again.', 'csrf_token_invalid');
      }
    });
  },
  { name: 'authenticate', dependencies: ['context'] },
);
