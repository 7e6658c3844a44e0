// The authorization matrix over the personal-data routes: anonymous, each role of a group, a
// person outside it and the operator. Everyone signed in reads their own data (and only theirs);
// only the operator anonymises, and a refused call changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createCastedGroup, createUser, sessionFor, type Session } from '../helpers/factories.ts';

let app: TestApp;
type Actor = 'anonymous' | 'observer' | 'participant' | 'editor' | 'convener' | 'outsider' | 'operator';
const ACTORS: Actor[] = ['anonymous', 'observer', 'participant', 'editor', 'convener', 'outsider', 'operator'];
let sessions: Record<Exclude<Actor, 'anonymous'>, Session>;
let ids: Record<Exclude<Actor, 'anonymous'>, string>;

beforeAll(async () => {
  app = await createTestApp();
  const cast = await createCastedGroup(app);
  const op = await createUser(app, { isOperator: true });
  const people = {
    observer: cast.observer,
    participant: cast.participant,
    editor: cast.editor,
    convener: cast.convener,
    outsider: cast.outsider,
    operator: op,
  };
  const entries = await Promise.all(Object.entries(people).map(async ([k, p]) => [k, await sessionFor(app, p.email)] as const));
  sessions = Object.fromEntries(entries) as typeof sessions;
  ids = Object.fromEntries(Object.entries(people).map(([k, p]) => [k, p.id])) as typeof ids;
});
afterAll(async () => {
  await app.close();
});

const sessionOf = (actor: Actor) => (actor === 'anonymous' ? null : sessions[actor]);

describe('GET /api/me/personal-data and /api/me/personal-data/comments.csv', () => {
  it.each(ACTORS)('%s: 401 when anonymous, else 200 with their own data only', async (actor) => {
    const s = sessionOf(actor);
    for (const url of ['/api/me/personal-data', '/api/me/personal-data/comments.csv']) {
      const res = await app.inject({ method: 'GET', url, headers: s ? { cookie: s.cookie } : {} });
      if (!s) {
        expect(res.statusCode, url).toBe(401);
        continue;
      }
      expect(res.statusCode, url).toBe(200);
      if (!url.endsWith('.csv')) expect(res.json().person.id).toBe(ids[actor as Exclude<Actor, 'anonymous'>]);
    }
  });
});

describe('POST /api/admin/users/:userId/anonymise', () => {
  it.each(ACTORS)('%s: only the operator may; a refusal changes nothing', async (actor) => {
    const target = await createUser(app, { name: `Target ${actor}` });
    const s = sessionOf(actor);
    const res = await app.inject({
      method: 'POST',
      url: `/api/admin/users/${target.id}/anonymise`,
      headers: s ? s.headers : {},
      payload: { keepAffiliation: false },
    });
    const after = await app.prisma.user.findUniqueOrThrow({ where: { id: target.id } });
    if (actor === 'operator') {
      expect(res.statusCode, res.body).toBe(200);
      expect(after.anonymisedAt).not.toBeNull();
      return;
    }
    expect(res.statusCode).toBe(actor === 'anonymous' ? 401 : 403);
    expect(after).toMatchObject({ name: target.name, email: target.email, affiliation: target.affiliation, anonymisedAt: null });
    expect(await app.prisma.auditEntry.count({ where: { action: 'privacy.person_anonymised', entityId: target.id } })).toBe(0);
  });

  it('refuses a write without the CSRF token, even from the operator', async () => {
    const target = await createUser(app);
    const res = await app.inject({
      method: 'POST',
      url: `/api/admin/users/${target.id}/anonymise`,
      headers: { cookie: sessions.operator.cookie },
      payload: { keepAffiliation: false },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('csrf_token_invalid');
    expect((await app.prisma.user.findUniqueOrThrow({ where: { id: target.id } })).anonymisedAt).toBeNull();
  });
});
