// The in-process session cache (bench: a request without a session round trip) never lets a
// session outlive its revocation or its expiry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createUser, signIn, type Session } from '../helpers/factories.ts';
import type { Session as SessionRow, User } from '../../server/generated/prisma/client.ts';
import { hashToken } from '../../server/lib/tokens.ts';
import { sessionCacheOf, SessionCache } from '../../server/modules/auth/session-cache.ts';
import { waitFor } from '../helpers/sockets.ts';

let app: TestApp;
beforeAll(async () => {
  // Idle timeout of one minute, so a test can stand just before it.
  app = await createTestApp({ env: { SESSION_IDLE_MINUTES: '1' } });
});
afterAll(async () => {
  await app.close();
});

const me = (s: Session) => app.inject({ method: 'GET', url: '/api/me', headers: { cookie: s.cookie } });
const sessionRow = (s: Session) => app.prisma.session.findUniqueOrThrow({ where: { tokenHash: hashToken(app.config.sessionSecret, s.sessionToken) } });

describe('the session cache', () => {
  it('serves a signed-in request without reading the session again', async () => {
    const s = await signIn(app, (await createUser(app)).email);
    expect((await me(s)).statusCode).toBe(200);
    // Revoked behind the application's back (no event): the cache still answers, for a few seconds at most.
    const row = await sessionRow(s);
    await app.prisma.session.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
    expect((await me(s)).statusCode).toBe(200);
    sessionCacheOf(app.ctx).clear();
    expect((await me(s)).statusCode).toBe(401);
  });

  it('drops a signed-out session at once, and the sessions a new sign-in replaces', async () => {
    const user = await createUser(app);
    const s = await signIn(app, user.email);
    expect((await me(s)).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: s.headers })).statusCode).toBe(204);
    expect((await me(s)).statusCode).toBe(401);

    const old = await signIn(app, user.email);
    expect((await me(old)).statusCode).toBe(200);
    // Signing in again in the same browser replaces the session it had.
    const link = await app.prisma.signInToken.count({ where: { email: user.email } });
    expect(link).toBeGreaterThan(0);
    const fresh = await signIn(app, user.email);
    expect((await me(fresh)).statusCode).toBe(200);
    expect((await me(old)).statusCode).toBe(200); // a different browser: untouched
    const operator = await createUser(app, { isOperator: true });
    const op = await signIn(app, operator.email);
    const revoked = await app.inject({ method: 'POST', url: `/api/admin/users/${user.id}/revoke-sessions`, headers: op.headers, payload: {} });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect((await me(old)).statusCode).toBe(401);
    expect((await me(fresh)).statusCode).toBe(401);
  });

  it('still enforces the idle timeout and the absolute expiry of a cached session', async () => {
    const idle = await signIn(app, (await createUser(app)).email);
    // Last seen 59.6 s ago with a 60 s idle timeout: accepted (and cached, not touched) now, refused half a second later.
    await app.prisma.session.update({ where: { id: (await sessionRow(idle)).id }, data: { lastSeenAt: new Date(Date.now() - 59_600) } });
    expect((await me(idle)).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 600));
    expect((await me(idle)).statusCode).toBe(401);

    const expiring = await signIn(app, (await createUser(app)).email);
    await app.prisma.session.update({ where: { id: (await sessionRow(expiring)).id }, data: { expiresAt: new Date(Date.now() + 400) } });
    sessionCacheOf(app.ctx).clear();
    expect((await me(expiring)).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 600));
    expect((await me(expiring)).statusCode).toBe(401);
  });

  it('is bypassed while the revocation channel is down, and trusted again once it is back', async () => {
    const s = await signIn(app, (await createUser(app)).email);
    expect((await me(s)).statusCode).toBe(200);
    app.realtime.listener.simulateConnectionLoss();
    await waitFor(() => !sessionCacheOf(app.ctx).enabled, 'the cache to stand down');
    // A revocation the channel could not carry: refused at once, since nothing is cached now.
    await app.prisma.session.update({ where: { id: (await sessionRow(s)).id }, data: { revokedAt: new Date() } });
    expect((await me(s)).statusCode).toBe(401);
    await waitFor(() => sessionCacheOf(app.ctx).enabled, 'the channel to come back', 10_000);
  });

  it('never caches what a read saw before a revocation that happened during it', () => {
    const cache = new SessionCache();
    cache.setListening(true);
    const now = new Date();
    const session: SessionRow = {
      id: 's1',
      tokenHash: 'h',
      userId: 'u1',
      csrfToken: 'c',
      userAgent: '',
      ip: '',
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(Date.now() + 60_000),
      revokedAt: null,
    };
    const user: User = {
      id: 'u1',
      email: 'u1@example.org',
      name: 'U1',
      affiliation: '',
      locale: 'en',
      isOperator: false,
      createdAt: now,
      updatedAt: now,
      anonymisedAt: null,
    };
    const readAt = cache.generation;
    cache.heard(['s1']); // the revocation arrives while the read is in flight
    cache.set('token', session, user, readAt);
    expect(cache.get('token')).toBeNull();
    cache.set('token', session, user, cache.generation);
    expect(cache.get('token')).not.toBeNull();
  });
});
