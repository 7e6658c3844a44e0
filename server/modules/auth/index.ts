// Routes: sign-in by e-mail link, the current session, my sessions, signing out.
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../lib/app-error.ts';
import { errors, Message, sendRaw, Uuid } from '../../lib/schemas.ts';
import { SelfSchema, SessionItem, SessionList, SessionState, SessionView, SignInBody } from './auth.schemas.ts';
import { requireUser } from '../../plugins/authenticate.ts';
import { presentSelf, presentSession } from './auth.presenter.ts';
import { SESSION_COOKIE } from './session.ts';
import { listSessions, revokeSessions } from './sessions.ts';
import { inspectSignInToken, requestSignIn, signInLinkError, verifySignIn } from './sign-in.ts';
import { confirmPage, linkProblemPage } from './verify-page.ts';
import { subscribeAuthEvents } from './auth.subscribers.ts';

const SIGN_IN_SENT = 'If this address belongs to a Convene account, a sign-in link is on its way. It is valid for 10 minutes.';

const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const { config } = app;

  const setSessionCookie = (reply: FastifyReply, token: string, expires: Date) =>
    reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, secure: true, sameSite: 'lax', expires });
  const clearSessionCookie = (reply: FastifyReply) => reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, secure: true, sameSite: 'lax' });

  /** Cross-site posts to the sign-in endpoints are refused (login CSRF). */
  const checkOrigin = (request: FastifyRequest) => {
    const origin = request.headers.origin;
    if (origin && origin !== new URL(config.publicUrl).origin) throw AppError.forbidden('Requests from another site are not accepted.', 'origin_not_allowed');
  };

  app.post(
    '/api/auth/sign-in',
    {
      config: { csrf: false, rateLimit: { max: config.limits.signInPerIp.max, timeWindow: config.limits.signInPerIp.windowMs } },
      schema: {
        tags: ['auth'],
        summary: 'E-mail me a sign-in link',
        body: SignInBody,
        response: { 202: Message, ...errors },
      },
    },
    async (request, reply) => {
      checkOrigin(request);
      await requestSignIn(app.ctx, { email: request.body.email, ip: request.ip, next: request.body.next });
      return reply.status(202).send({ message: SIGN_IN_SENT });
    },
  );

  app.get(
    '/sign-in/verify',
    {
      schema: { hide: true, querystring: z.object({ token: z.string().max(200).optional() }) },
    },
    async (request, reply) => {
      const token = request.query.token ?? '';
      const state = token ? await inspectSignInToken(app.ctx, token) : { state: 'invalid' as const };
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
      if (state.state !== 'valid') {
        const error = signInLinkError(state.state);
        return reply.status(error.status).send(linkProblemPage(error.message));
      }
      return reply.send(confirmPage(token, state.email));
    },
  );

  app.post(
    '/api/auth/verify',
    {
      config: { csrf: false, rateLimit: { max: config.limits.signInPerIp.max * 2, timeWindow: config.limits.signInPerIp.windowMs } },
      schema: {
        tags: ['auth'],
        summary: 'Use a sign-in link: opens a new session',
        description: 'Accepts JSON (answers with the session) or the form of the sign-in page (redirects).',
        body: z.strictObject({ token: z.string().min(1).max(200) }),
        response: { 200: SessionView, 303: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      checkOrigin(request);
      const isForm = request.headers['content-type']?.startsWith('application/x-www-form-urlencoded');
      try {
        const { token, session, user, next } = await verifySignIn(app.ctx, {
          token: request.body.token,
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? '',
          previousSessionToken: request.cookies[SESSION_COOKIE],
        });
        setSessionCookie(reply, token, session.expiresAt);
        reply.header('cache-control', 'no-store');
        if (isForm) return reply.redirect(next ?? '/', 303);
        return { user: presentSelf(user), csrfToken: session.csrfToken };
      } catch (error) {
        if (isForm && error instanceof AppError) return sendRaw(reply.status(error.status).type('text/html; charset=utf-8'), linkProblemPage(error.message));
        throw error;
      }
    },
  );

  app.get(
    '/api/auth/session',
    {
      // Signed out is an answer here, not an error: the shell asks on every page.
      config: { session: 'optional' },
      schema: {
        tags: ['auth'],
        summary: 'Who am I; the CSRF token for writes',
        description: 'Answers `{ user: null, csrfToken: null }` when no session is signed in (no cookie, or one whose session ended).',
        response: { 200: SessionState, ...errors },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      if (!request.auth) return { user: null, csrfToken: null };
      return { user: presentSelf(request.auth.user), csrfToken: request.auth.session.csrfToken };
    },
  );

  app.post(
    '/api/auth/sign-out',
    {
      schema: { tags: ['auth'], summary: 'Sign out of this session', response: { 204: z.null(), ...errors } },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await revokeSessions(app.ctx, { actorId: user.id, userId: user.id, sessionIds: [request.auth!.session.id], reason: 'auth.signed_out' });
      clearSessionCookie(reply);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/auth/sign-out-everywhere',
    {
      schema: { tags: ['auth'], summary: 'Sign out of every session of mine', response: { 204: z.null(), ...errors } },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await revokeSessions(app.ctx, { actorId: user.id, userId: user.id, reason: 'auth.signed_out_everywhere' });
      clearSessionCookie(reply);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/auth/sessions',
    {
      schema: { tags: ['auth'], summary: 'My open sessions', response: { 200: SessionList, ...errors } },
    },
    async (request) => {
      const user = requireUser(request);
      const sessions = await listSessions(app.ctx, user.id);
      return { sessions: sessions.map((s) => presentSession(s, request.auth!.session.id)) };
    },
  );

  app.delete(
    '/api/auth/sessions/:sessionId',
    {
      schema: { tags: ['auth'], summary: 'Sign out one of my sessions', params: z.object({ sessionId: Uuid }), response: { 204: z.null(), ...errors } },
    },
    async (request, reply) => {
      const user = requireUser(request);
      await revokeSessions(app.ctx, { actorId: user.id, userId: user.id, sessionIds: [request.params.sessionId], reason: 'auth.session_revoked' });
      if (request.params.sessionId === request.auth!.session.id) clearSessionCookie(reply);
      return reply.status(204).send(null);
    },
  );
};

// The module: its socket events, subscribers and jobs, then its routes (encapsulated, in their own plugin).
export default fp(
  async (app) => {
    subscribeAuthEvents(app);
    await app.register(authRoutes);
  },
  { name: 'modules/auth', dependencies: ['context', 'mail-queue'] },
);
export { SelfSchema, SessionItem };
