import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, randomIp, type TestApp } from '../helpers/app.ts';
import { createUser, latestLink, sessionFromResponse, signIn, tokenOf } from '../helpers/factories.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

const requestLink = (email: string, ip = randomIp()) => app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email }, remoteAddress: ip });
const verify = (token: string, ip = randomIp(), headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/api/auth/verify', payload: { token }, remoteAddress: ip, headers });
/** Whom GET /api/auth/session says the cookie signs in (null: nobody, the session has ended). */
async function sessionUser(cookie: string): Promise<string | null> {
  const res = await app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } });
  expect(res.statusCode).toBe(200);
  return (res.json() as { user: { id: string } | null }).user?.id ?? null;
}

describe('sign-in by e-mail link', () => {
  it('gives the same answer for a known and an unknown address, and mails only the known one', async () => {
    const user = await createUser(app);
    const unknown = `nobody-${Date.now()}@example.test`;
    const known = await requestLink(user.email);
    const other = await requestLink(unknown);
    expect(known.statusCode).toBe(202);
    expect(other.statusCode).toBe(202);
    expect(other.json()).toEqual(known.json());
    await app.ctx.events.drain();
    expect(await app.prisma.mailboxMessage.count({ where: { to: user.email } })).toBe(1);
    expect(await app.prisma.mailboxMessage.count({ where: { to: unknown } })).toBe(0);
  });

  it('stores only a hash of the token', async () => {
    const user = await createUser(app);
    await requestLink(user.email);
    const token = tokenOf(await latestLink(app, user.email));
    const rows = await app.prisma.signInToken.findMany({ where: { email: user.email } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).not.toContain(token);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('signs in once with a link, and refuses the same link a second time', async () => {
    const user = await createUser(app);
    await requestLink(user.email);
    const token = tokenOf(await latestLink(app, user.email));
    const first = await verify(token);
    expect(first.statusCode).toBe(200);
    expect(first.json().user.email).toBe(user.email);
    const again = await verify(token);
    expect(again.statusCode).toBe(410);
    expect(again.json().code).toBe('sign_in_link_used');
    expect(await app.prisma.session.count({ where: { userId: user.id } })).toBe(1);
  });

  it('lets only one of two simultaneous uses of a link succeed', async () => {
    const user = await createUser(app);
    await requestLink(user.email);
    const token = tokenOf(await latestLink(app, user.email));
    const results = await Promise.all([verify(token), verify(token), verify(token)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 410, 410]);
  });

  it('refuses a link older than 10 minutes and changes nothing', async () => {
    const user = await createUser(app);
    await requestLink(user.email);
    const token = tokenOf(await latestLink(app, user.email));
    await app.prisma.signInToken.updateMany({ where: { email: user.email }, data: { expiresAt: new Date(Date.now() - 1) } });
    const res = await verify(token);
    expect(res.statusCode).toBe(410);
    expect(res.json()).toMatchObject({ code: 'sign_in_link_expired' });
    expect(res.json().message).toMatch(/expired/);
    expect(await app.prisma.session.count({ where: { userId: user.id } })).toBe(0);
    expect((await app.prisma.signInToken.findFirst({ where: { email: user.email } }))!.usedAt).toBeNull();
  });

  it('sets the link to expire 10 minutes after it was asked for', async () => {
    const user = await createUser(app);
    const before = Date.now();
    await requestLink(user.email);
    const row = await app.prisma.signInToken.findFirstOrThrow({ where: { email: user.email } });
    const ttl = row.expiresAt.getTime() - before;
    expect(ttl).toBeGreaterThan(10 * 60_000 - 5_000);
    expect(ttl).toBeLessThanOrEqual(10 * 60_000 + 1_000);
  });

  it('shows a clear page with a 4xx status for a used or unknown link, and a confirmation page otherwise', async () => {
    const user = await createUser(app);
    await requestLink(user.email);
    const token = tokenOf(await latestLink(app, user.email));
    const page = await app.inject({ method: 'GET', url: `/sign-in/verify?token=${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Sign in as');
    // Opening the page (as a mail scanner would) does not use the link.
    expect((await app.prisma.signInToken.findFirstOrThrow({ where: { email: user.email } })).usedAt).toBeNull();
    await verify(token);
    const used = await app.inject({ method: 'GET', url: `/sign-in/verify?token=${token}` });
    expect(used.statusCode).toBe(410);
    expect(used.body).toContain('already been used');
    const bogus = await app.inject({ method: 'GET', url: '/sign-in/verify?token=nonsense' });
    expect(bogus.statusCode).toBe(400);
    expect(bogus.body).toContain('not valid');
  });

  it('signs in through the HTML form and redirects to where the invitation pointed', async () => {
    const user = await createUser(app);
    await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: user.email, next: '/groups/x' }, remoteAddress: randomIp() });
    const token = tokenOf(await latestLink(app, user.email));
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/verify',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `token=${token}`,
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/groups/x');
    expect(res.cookies.find((c) => c.name === '__Host-convene_session')).toBeTruthy();
  });

  it('never redirects off-site after sign-in', async () => {
    const user = await createUser(app);
    await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: user.email, next: '//evil.example/x' }, remoteAddress: randomIp() });
    const token = tokenOf(await latestLink(app, user.email));
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/verify',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `token=${token}`,
    });
    expect(res.headers.location).toBe('/');
  });

  it('refuses sign-in posts from another site', async () => {
    const user = await createUser(app);
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: user.email },
      headers: { origin: 'https://evil.example' },
      remoteAddress: randomIp(),
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('origin_not_allowed');
  });

  it('limits links per address, for known and unknown addresses alike', async () => {
    const user = await createUser(app);
    const unknown = `ghost-${Date.now()}@example.test`;
    for (let i = 0; i < 5; i++) {
      expect((await requestLink(user.email)).statusCode).toBe(202);
      expect((await requestLink(unknown)).statusCode).toBe(202);
    }
    const known = await requestLink(user.email);
    const ghost = await requestLink(unknown);
    expect(known.statusCode).toBe(429);
    expect(ghost.statusCode).toBe(429);
    expect(known.json().code).toBe('rate_limited');
    expect(Number(known.headers['retry-after'])).toBeGreaterThan(0);
    expect(await app.prisma.signInToken.count({ where: { email: user.email } })).toBe(5);
  });

  it('limits sign-in requests per IP address', async () => {
    const strict = await createTestApp({ limits: { signInPerIp: { max: 3, windowMs: 60_000 } } });
    try {
      const ip = randomIp();
      const answers = [];
      for (let i = 0; i < 4; i++) {
        answers.push(
          await strict.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: `someone${i}-${Date.now()}@example.test` }, remoteAddress: ip }),
        );
      }
      expect(answers.map((r) => r.statusCode)).toEqual([202, 202, 202, 429]);
      // Says when to try again, in the header and in the sentence.
      const refused = answers[3]!;
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(refused.json()).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/try again in \d+ seconds/) });
      const otherIp = await strict.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        payload: { email: `someone-${Date.now()}@example.test` },
        remoteAddress: randomIp(),
      });
      expect(otherIp.statusCode).toBe(202);
    } finally {
      await strict.close();
    }
  });

  it('rejects a malformed address with 400 naming the field', async () => {
    const res = await requestLink('not-an-address');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'invalid_request', field: 'body.email' });
  });
});

describe('sessions', () => {
  it('sets a __Host- cookie that is Secure, HttpOnly and SameSite', async () => {
    const user = await createUser(app);
    await requestLink(user.email);
    const res = await verify(tokenOf(await latestLink(app, user.email)));
    const header = String(res.headers['set-cookie']);
    expect(header).toMatch(/^__Host-convene_session=/);
    expect(header).toMatch(/Path=\//);
    expect(header).toMatch(/Secure/);
    expect(header).toMatch(/HttpOnly/);
    expect(header).toMatch(/SameSite=Lax/);
    expect(header).not.toMatch(/Domain=/);
  });

  it('issues a new session id at sign-in and revokes the one the browser had', async () => {
    const user = await createUser(app);
    const first = await signIn(app, user.email);
    await requestLink(user.email);
    const token = tokenOf(await latestLink(app, user.email));
    const res = await verify(token, randomIp(), { cookie: first.cookie });
    const second = sessionFromResponse(res);
    expect(second.sessionToken).not.toBe(first.sessionToken);
    expect(await sessionUser(first.cookie)).toBeNull();
    expect(await sessionUser(second.cookie)).toBe(user.id);
  });

  it('ends a session after the idle timeout and after the absolute timeout', async () => {
    const user = await createUser(app);
    const idle = await signIn(app, user.email);
    const absolute = await signIn(app, user.email);
    const sessions = await app.prisma.session.findMany({ where: { userId: user.id }, orderBy: { createdAt: 'asc' } });
    await app.prisma.session.update({ where: { id: sessions[0]!.id }, data: { lastSeenAt: new Date(Date.now() - app.config.sessionIdleMs - 1000) } });
    await app.prisma.session.update({ where: { id: sessions[1]!.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await sessionUser(idle.cookie)).toBeNull();
    expect(await sessionUser(absolute.cookie)).toBeNull();
  });

  it('signs out this session only', async () => {
    const user = await createUser(app);
    const a = await signIn(app, user.email);
    const b = await signIn(app, user.email);
    const res = await app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: a.headers });
    expect(res.statusCode).toBe(204);
    expect(await sessionUser(a.cookie)).toBeNull();
    expect(await sessionUser(b.cookie)).toBe(user.id);
  });

  it('lists my sessions and signs out everywhere', async () => {
    const user = await createUser(app);
    const a = await signIn(app, user.email);
    const b = await signIn(app, user.email);
    const list = await app.inject({ method: 'GET', url: '/api/auth/sessions', headers: { cookie: a.cookie } });
    expect(list.json().sessions).toHaveLength(2);
    expect(list.json().sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect((await app.inject({ method: 'POST', url: '/api/auth/sign-out-everywhere', headers: b.headers })).statusCode).toBe(204);
    for (const s of [a, b]) expect(await sessionUser(s.cookie)).toBeNull();
  });

  it('lets the operator revoke a user’s sessions, and nobody else', async () => {
    const operator = await createUser(app, { isOperator: true });
    const user = await createUser(app);
    const op = await signIn(app, operator.email);
    const victim = await signIn(app, user.email);
    const denied = await app.inject({ method: 'POST', url: `/api/admin/users/${operator.id}/revoke-sessions`, headers: victim.headers, payload: {} });
    expect(denied.statusCode).toBe(403);
    const res = await app.inject({ method: 'POST', url: `/api/admin/users/${user.id}/revoke-sessions`, headers: op.headers, payload: {} });
    expect(res.statusCode).toBe(200);
    expect(res.json().revoked).toHaveLength(1);
    expect(await sessionUser(victim.cookie)).toBeNull();
    const audit = await app.prisma.auditEntry.findFirst({ where: { action: 'admin.sessions_revoked', entityId: user.id } });
    expect(audit?.actorId).toBe(operator.id);
  });

  it('refuses a cookie-authenticated write without the CSRF token', async () => {
    const user = await createUser(app);
    const s = await signIn(app, user.email);
    const res = await app.inject({ method: 'PATCH', url: '/api/me', headers: { cookie: s.cookie }, payload: { name: 'Changed' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('csrf_token_invalid');
    const wrong = await app.inject({ method: 'PATCH', url: '/api/me', headers: { cookie: s.cookie, 'x-csrf-token': 'nope' }, payload: { name: 'Changed' } });
    expect(wrong.statusCode).toBe(403);
    expect((await app.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).name).toBe(user.name);
    const ok = await app.inject({ method: 'PATCH', url: '/api/me', headers: s.headers, payload: { name: 'Changed' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().name).toBe('Changed');
  });

  it('tells a visitor without a session so, as an answer and not an error: no cookie, an unknown one or an ended one', async () => {
    const user = await createUser(app);
    const ended = await signIn(app, user.email);
    await app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: ended.headers });
    for (const headers of [{}, { cookie: '__Host-convene_session=not-a-session' }, { cookie: ended.cookie }]) {
      const res = await app.inject({ method: 'GET', url: '/api/auth/session', headers });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.json()).toEqual({ user: null, csrfToken: null });
    }
    const current = await signIn(app, user.email);
    const res = await app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: current.cookie } });
    expect(res.json()).toEqual({ user: expect.objectContaining({ id: user.id, email: user.email }), csrfToken: current.csrf });
  });

  it('answers 401 with a code to requests without a session', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/groups' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ code: 'unauthenticated', message: 'Sign in to continue.' });
  });
});
