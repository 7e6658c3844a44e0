// The authorization matrix over every adjudication route: anonymous, observer, participant (here
// also the commenter of the target comment), editor, convener, a convener of another group and the
// operator. Each route gets its own scene; the actors call in an order that lets each allowed
// actor succeed in turn. A refused call must change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import type { Session } from '../helpers/factories.ts';
import { adjudicationScene, inHours, sceneSessions, type Scene } from '../helpers/dispositions.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

type Actor = 'anonymous' | 'observer' | 'participant' | 'otherConvener' | 'operator' | 'editor' | 'convener';
const ACTORS: Actor[] = ['anonymous', 'observer', 'participant', 'otherConvener', 'operator', 'editor', 'convener'];
type Sessions = Awaited<ReturnType<typeof sceneSessions>>;

const MEMBERS_AND_OPERATOR: Actor[] = ['observer', 'participant', 'operator', 'editor', 'convener'];
const EVERYONE_SIGNED_IN: Actor[] = ['observer', 'participant', 'otherConvener', 'operator', 'editor', 'convener'];

interface RouteCase {
  method: 'GET' | 'PUT' | 'POST';
  path: (s: Scene) => string;
  allowed: Actor[];
  setup?: (s: Scene, sessions: Sessions) => Promise<void>;
  body?: (s: Scene) => Promise<object>;
  /** When refused, the target comment's disposition must not move. */
  writes?: boolean;
}

const versionOf = async (commentId: string) => (await app.prisma.disposition.findUnique({ where: { commentId } }))?.version ?? 0;
const call = (method: RouteCase['method'], url: string, session: Session | null, payload?: object) =>
  app.inject({ method, url, headers: session ? (method === 'GET' ? { cookie: session.cookie } : session.headers) : {}, ...(payload ? { payload } : {}) });
const c1 = (s: Scene) => s.commentUrl(s.comments.c1.id);

async function propose(s: Scene, sessions: Sessions, body: object = {}) {
  const res = await call('PUT', `${c1(s)}/disposition`, sessions.convener, {
    disposition: 'accepted',
    expectedVersion: await versionOf(s.comments.c1.id),
    ...body,
  });
  expect(res.statusCode, res.body).toBe(200);
}

async function finaliseAll(s: Scene, sessions: Sessions) {
  for (const c of Object.values(s.comments)) {
    await call('PUT', `${s.commentUrl(c.id)}/disposition`, sessions.convener, { disposition: 'accepted', expectedVersion: 0 });
    const res = await call('POST', `${s.commentUrl(c.id)}/disposition/finalise`, sessions.convener, { expectedVersion: 1 });
    expect(res.statusCode, res.body).toBe(200);
  }
}

const CASES: Record<string, RouteCase> = {
  'GET adjudication-settings': { method: 'GET', path: (s) => `/api/groups/${s.slug}/adjudication-settings`, allowed: MEMBERS_AND_OPERATOR },
  'PUT adjudication-settings': {
    method: 'PUT',
    path: (s) => `/api/groups/${s.slug}/adjudication-settings`,
    allowed: ['convener'],
    body: async () => ({ allowEarlyAdjudication: true }),
  },
  'GET pile': { method: 'GET', path: (s) => `${s.base}/dispositions`, allowed: ['operator', 'editor', 'convener'] },
  'GET decided dispositions': { method: 'GET', path: (s) => `${s.base}/dispositions/decided`, allowed: MEMBERS_AND_OPERATOR },
  'POST bulk decide': {
    method: 'POST',
    path: (s) => `${s.base}/dispositions/bulk`,
    allowed: ['editor', 'convener'],
    writes: true,
    body: async (s) => ({
      items: [{ commentId: s.comments.c1.id, expectedVersion: await versionOf(s.comments.c1.id) }],
      action: { kind: 'decide', disposition: 'accepted' },
    }),
  },
  'POST bulk assign': {
    method: 'POST',
    path: (s) => `${s.base}/dispositions/bulk`,
    allowed: ['convener'],
    writes: true,
    body: async (s) => ({
      items: [{ commentId: s.comments.c1.id, expectedVersion: await versionOf(s.comments.c1.id) }],
      action: { kind: 'assign', assigneeId: s.editor.id },
    }),
  },
  'GET objections': { method: 'GET', path: (s) => `${s.base}/objections`, allowed: MEMBERS_AND_OPERATOR },
  'GET disposition': { method: 'GET', path: (s) => `${c1(s)}/disposition`, allowed: MEMBERS_AND_OPERATOR },
  'PUT disposition': {
    method: 'PUT',
    path: (s) => `${c1(s)}/disposition`,
    allowed: ['editor', 'convener'],
    writes: true,
    body: async (s) => ({ disposition: 'rejected', rationale: 'Out of scope.', expectedVersion: await versionOf(s.comments.c1.id) }),
  },
  'POST confirm': {
    method: 'POST',
    path: (s) => `${c1(s)}/disposition/confirm`,
    allowed: ['convener'],
    writes: true,
    setup: async (s, sessions) => {
      expect((await call('PUT', `${c1(s)}/disposition`, sessions.editor, { disposition: 'accepted', expectedVersion: 0 })).statusCode).toBe(200);
    },
    body: async (s) => ({ expectedVersion: await versionOf(s.comments.c1.id) }),
  },
  'POST response': {
    method: 'POST',
    path: (s) => `${c1(s)}/disposition/response`,
    allowed: ['participant'],
    writes: true,
    setup: (s, sessions) => propose(s, sessions),
    body: async (s) => ({ response: 'object', text: 'No.', expectedVersion: await versionOf(s.comments.c1.id) }),
  },
  'POST finalise': {
    method: 'POST',
    path: (s) => `${c1(s)}/disposition/finalise`,
    allowed: ['convener'],
    writes: true,
    setup: (s, sessions) => propose(s, sessions),
    body: async (s) => ({ expectedVersion: await versionOf(s.comments.c1.id) }),
  },
  'PUT assignee': {
    method: 'PUT',
    path: (s) => `${c1(s)}/disposition/assignee`,
    allowed: ['convener'],
    writes: true,
    body: async (s) => ({ assigneeId: s.convener.id, expectedVersion: await versionOf(s.comments.c1.id) }),
  },
  'PUT deadline': {
    method: 'PUT',
    path: (s) => `${c1(s)}/disposition/deadline`,
    allowed: ['convener'],
    writes: true,
    setup: (s, sessions) => propose(s, sessions),
    body: async (s) => ({ respondBy: inHours(24), expectedVersion: await versionOf(s.comments.c1.id) }),
  },
  'PUT implemented-in': {
    method: 'PUT',
    path: (s) => `${c1(s)}/disposition/implemented-in`,
    allowed: ['editor', 'convener'],
    writes: true,
    setup: (s, sessions) => propose(s, sessions),
    body: async (s) => ({ revision: 1, expectedVersion: await versionOf(s.comments.c1.id) }),
  },
  'GET path': { method: 'GET', path: (s) => `${c1(s)}/path`, allowed: MEMBERS_AND_OPERATOR },
  'GET resolved-comments': { method: 'GET', path: (s) => `${s.base}/revisions/1/resolved-comments`, allowed: MEMBERS_AND_OPERATOR },
  'GET awaiting my response': { method: 'GET', path: () => '/api/me/dispositions/awaiting', allowed: EVERYONE_SIGNED_IN },
  'GET disposition-table': { method: 'GET', path: (s) => `${s.base}/disposition-table`, allowed: MEMBERS_AND_OPERATOR },
  'GET disposition-table.csv': { method: 'GET', path: (s) => `${s.base}/disposition-table.csv`, allowed: MEMBERS_AND_OPERATOR },
  'GET disposition-table.docx': { method: 'GET', path: (s) => `${s.base}/disposition-table.docx`, allowed: MEMBERS_AND_OPERATOR },
  'GET disposition-table.json': { method: 'GET', path: (s) => `${s.base}/disposition-table.json`, allowed: MEMBERS_AND_OPERATOR },
  'POST final-report': {
    method: 'POST',
    path: (s) => `${s.base}/final-report`,
    allowed: ['convener'],
    setup: finaliseAll,
    body: async () => ({ revision: 1 }),
  },
  'GET final-report': {
    method: 'GET',
    path: (s) => `${s.base}/final-report`,
    allowed: MEMBERS_AND_OPERATOR,
    setup: async (s, sessions) => {
      await finaliseAll(s, sessions);
      expect((await call('POST', `${s.base}/final-report`, sessions.convener, { revision: 1 })).statusCode).toBe(201);
    },
  },
};

/** What a refused actor must get: anonymous 401, a non-member 404 (the group is not even confirmed to exist), a member 403. */
const REFUSAL: Record<Actor, number> = { anonymous: 401, otherConvener: 404, observer: 403, participant: 403, editor: 403, convener: 403, operator: 403 };

describe('authorization matrix over every adjudication route', () => {
  it('covers every route the dispositions module registers', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const registered = Object.entries<Record<string, { tags?: string[] }>>(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.tags?.includes('dispositions'))
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    const covered = new Set(
      Object.values(CASES).map(
        (c) =>
          `${c.method} ${c.path({ slug: '{slug}', base: '/api/groups/{slug}/documents/{documentId}', commentUrl: (id: string) => `/api/groups/{slug}/documents/{documentId}/comments/${id}`, comments: { c1: { id: '{commentId}' } } } as unknown as Scene).replace('/revisions/1/', '/revisions/{sequence}/')}`,
      ),
    );
    expect(registered.length).toBeGreaterThan(20);
    expect(registered.filter((r) => !covered.has(r))).toEqual([]);
  });

  for (const [name, route] of Object.entries(CASES)) {
    it(`${name}: only ${route.allowed.join(', ')} succeed`, async () => {
      const scene = await adjudicationScene(app);
      const sessions = await sceneSessions(app, scene);
      await route.setup?.(scene, sessions);
      const outcome: Record<string, number> = {};
      for (const actor of ACTORS) {
        const before = await versionOf(scene.comments.c1.id);
        const res = await call(route.method, route.path(scene), actor === 'anonymous' ? null : sessions[actor], await route.body?.(scene));
        outcome[actor] = res.statusCode;
        if (!route.allowed.includes(actor) && route.writes) expect(await versionOf(scene.comments.c1.id), `${actor} changed the disposition`).toBe(before);
      }
      const expected = Object.fromEntries(
        ACTORS.map((a) => [a, route.allowed.includes(a) ? (route.method === 'POST' && name === 'POST final-report' ? 201 : 200) : REFUSAL[a]]),
      );
      expect(outcome).toEqual(expected);
    });
  }
});
