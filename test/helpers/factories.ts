// Factories: fresh people and groups per test, and signing in through the real e-mail link flow.
import type { Role } from '../../server/generated/prisma/client.ts';
import type { TestApp } from './app.ts';
import { randomIp, unique } from './app.ts';
import { createSession, SESSION_COOKIE } from '../../server/modules/auth/session.ts';

export interface Person {
  id: string;
  email: string;
  name: string;
  affiliation: string;
}

export async function createUser(
  app: TestApp,
  overrides: Partial<{ name: string; affiliation: string; isOperator: boolean; email: string }> = {},
): Promise<Person> {
  const name = overrides.name ?? unique('Person');
  return app.prisma.user.create({
    data: {
      email: overrides.email ?? `${unique('user')}@example.test`,
      name,
      affiliation: overrides.affiliation ?? 'SG17 / Testland',
      isOperator: overrides.isOperator ?? false,
    },
  });
}

export async function createGroup(
  app: TestApp,
  members: { user: Person; role: Role }[] = [],
  overrides: Partial<{ visibility: 'PRIVATE' | 'PUBLIC_OUTPUTS' }> = {},
) {
  const slug = unique('cg');
  return app.prisma.group.create({
    data: {
      slug,
      name: `Correspondence group ${slug}`,
      acronym: slug.toUpperCase(),
      termsOfReference: 'Prepare the report.',
      parentBodies: ['SG17', 'SG20'],
      mailingList: `${slug}@lists.example.test`,
      timeZone: 'Europe/Zurich',
      visibility: overrides.visibility ?? 'PRIVATE',
      memberships: { create: members.map((m) => ({ userId: m.user.id, role: m.role })) },
    },
  });
}

/** A group with one person in each role, plus an outsider. */
export async function createCastedGroup(app: TestApp) {
  const [convener, editor, participant, observer, outsider] = await Promise.all([
    createUser(app, { name: 'Convener' }),
    createUser(app, { name: 'Editor' }),
    createUser(app, { name: 'Participant' }),
    createUser(app, { name: 'Observer' }),
    createUser(app, { name: 'Outsider' }),
  ]);
  const group = await createGroup(app, [
    { user: convener, role: 'CONVENER' },
    { user: editor, role: 'EDITOR' },
    { user: participant, role: 'PARTICIPANT' },
    { user: observer, role: 'OBSERVER' },
  ]);
  return { group, convener, editor, participant, observer, outsider };
}

/** The link of the newest mail to `email` in the local mailbox. */
export async function latestLink(app: TestApp, email: string): Promise<string> {
  await app.ctx.events.drain();
  // Mail is a job: on a busy machine (a loaded CI host) it may be sent seconds after the event is drained.
  const end = Date.now() + 20_000;
  for (;;) {
    const mail = await app.prisma.mailboxMessage.findFirst({ where: { to: email }, orderBy: { createdAt: 'desc' } });
    const match = mail?.text.match(/https?:\/\/\S+\/sign-in\/verify\?token=[\w-]+/);
    if (match) return match[0];
    if (Date.now() > end) throw new Error(`no sign-in link mailed to ${email}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const tokenOf = (link: string) => new URL(link).searchParams.get('token')!;

export interface Session {
  cookie: string;
  csrf: string;
  headers: Record<string, string>;
  sessionToken: string;
}

export function sessionFromResponse(res: { cookies: { name: string; value: string }[]; json: () => { csrfToken: string } }): Session {
  const c = res.cookies.find((x) => x.name === '__Host-convene_session');
  if (!c) throw new Error('no session cookie set');
  const csrf = res.json().csrfToken;
  return {
    cookie: `__Host-convene_session=${c.value}`,
    csrf,
    sessionToken: c.value,
    headers: { cookie: `__Host-convene_session=${c.value}`, 'x-csrf-token': csrf },
  };
}

/**
 * A signed-in session opened directly in the database (a person, or their e-mail address), for
 * tests that are not about signing in: signIn below waits for a sign-in mail job per person, and
 * several at once wait for the mail worker's next poll (about a second per four-person setup).
 */
export async function sessionFor(app: TestApp, who: { id: string } | string): Promise<Session> {
  const userId = typeof who === 'string' ? (await app.prisma.user.findUniqueOrThrow({ where: { email: who } })).id : who.id;
  const { token, session } = await createSession(app.ctx, app.prisma, { userId, ip: '127.0.0.1', userAgent: 'vitest' });
  const cookie = `${SESSION_COOKIE}=${token}`;
  return { cookie, csrf: session.csrfToken, sessionToken: token, headers: { cookie, 'x-csrf-token': session.csrfToken } };
}

/** Signs in through the real flow: request a link, read it from the mailbox, use it. */
export async function signIn(app: TestApp, email: string, readLink: (email: string) => Promise<string> = (e) => latestLink(app, e)): Promise<Session> {
  const ip = randomIp();
  const req = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email }, remoteAddress: ip });
  if (req.statusCode !== 202) throw new Error(`sign-in request failed: ${req.body}`);
  const token = tokenOf(await readLink(email));
  const res = await app.inject({ method: 'POST', url: '/api/auth/verify', payload: { token }, remoteAddress: ip });
  if (res.statusCode !== 200) throw new Error(`verify failed: ${res.body}`);
  return sessionFromResponse(res);
}
