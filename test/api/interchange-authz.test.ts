// The authorization matrix over every Word/Excel route: anonymous, observer, participant, a
// convener of another group, the operator, editor and convener. A refused import stores nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { templateCsv } from '../helpers/comment-template.ts';
import { adjudicationScene, sceneSessions, sessionFor, type Scene } from '../helpers/dispositions.ts';
import type { Session } from '../helpers/factories.ts';
import { multipart } from '../helpers/multipart.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

type Actor = 'anonymous' | 'observer' | 'participant' | 'otherConvener' | 'operator' | 'editor' | 'convener';
const ACTORS: Actor[] = ['anonymous', 'observer', 'participant', 'otherConvener', 'operator', 'editor', 'convener'];
const MEMBERS_AND_OPERATOR: Actor[] = ['observer', 'participant', 'operator', 'editor', 'convener'];

interface RouteCase {
  method: 'GET' | 'POST';
  path: (s: Scene) => string;
  allowed: Actor[];
  upload?: boolean;
}

const CSV = templateCsv([{ memberBody: 'GB', clause: '7.1', type: 'te', comment: 'Say which keys.' }]);

const CASES: Record<string, RouteCase> = {
  'GET revision.docx': { method: 'GET', path: (s) => `${s.base}/revisions/1/revision.docx`, allowed: MEMBERS_AND_OPERATOR },
  'GET revision.docx against': { method: 'GET', path: (s) => `${s.base}/revisions/1/revision.docx?against=1&anchors=true`, allowed: MEMBERS_AND_OPERATOR },
  'GET final-report.docx': { method: 'GET', path: (s) => `${s.base}/final-report.docx`, allowed: MEMBERS_AND_OPERATOR },
  'GET disposition-table.xlsx': { method: 'GET', path: (s) => `${s.base}/disposition-table.xlsx`, allowed: MEMBERS_AND_OPERATOR },
  'GET public final.docx': {
    method: 'GET',
    path: (s) => `/api/public/groups/${s.slug}/documents/${s.document.id}/final.docx`,
    allowed: ACTORS,
  },
  'GET public dispositions.xlsx': {
    method: 'GET',
    path: (s) => `/api/public/groups/${s.slug}/documents/${s.document.id}/dispositions.xlsx`,
    allowed: ACTORS,
  },
  'POST comment-template preview': { method: 'POST', path: (s) => `${s.base}/revisions/1/comment-template/preview`, allowed: ['convener'], upload: true },
  'POST comment-template import': { method: 'POST', path: (s) => `${s.base}/revisions/1/comment-template`, allowed: ['convener'], upload: true },
};

async function publish(s: Scene) {
  for (const c of Object.values(s.comments)) {
    await app.prisma.disposition.create({
      data: { commentId: c.id, documentId: s.document.id, code: 'ACCEPTED', status: 'FINAL', version: 2, updatedAt: new Date() },
    });
  }
  const convener = await sessionFor(app, s.convener);
  const res = await app.inject({ method: 'POST', url: `${s.base}/final-report`, headers: convener.headers, payload: { revision: 1 } });
  expect(res.statusCode, res.body).toBe(201);
}

function call(route: RouteCase, url: string, session: Session | null) {
  if (route.method === 'GET') return app.inject({ method: 'GET', url, headers: session ? { cookie: session.cookie } : {} });
  const body = multipart({}, { name: 'file', filename: 'comments.csv', content: CSV, type: 'text/csv' });
  return app.inject({ method: 'POST', url, headers: { ...(session?.headers ?? {}), ...body.headers }, payload: body.payload });
}

// One published report of a group whose outputs are public serves every route (the reads change
// nothing, the preview stores nothing); the import runs last, so the convener's import is the
// only write and each refusal before it must leave the comments as they were.
let scene: Scene;
let sessions: Awaited<ReturnType<typeof sceneSessions>>;
beforeAll(async () => {
  scene = await adjudicationScene(app, { visibility: 'PUBLIC_OUTPUTS' });
  await publish(scene);
  sessions = await sceneSessions(app, scene);
});

describe('Word and Excel routes × roles', () => {
  for (const [name, route] of Object.entries(CASES)) {
    it(`${name}: only ${route.allowed.join(', ')}`, async () => {
      const s = scene;
      const okStatus = route.method === 'POST' && !route.path(s).endsWith('/preview') ? 201 : 200;
      for (const actor of ACTORS) {
        const before = await app.prisma.comment.count({ where: { documentId: s.document.id } });
        const res = await call(route, route.path(s), actor === 'anonymous' ? null : sessions[actor]);
        if (route.allowed.includes(actor)) {
          expect(res.statusCode, `${actor}: ${res.body.slice(0, 200)}`).toBe(okStatus);
        } else {
          expect([401, 403, 404], `${actor}: ${res.statusCode}`).toContain(res.statusCode);
          if (actor === 'anonymous') expect(res.statusCode).toBe(401);
          expect(await app.prisma.comment.count({ where: { documentId: s.document.id } })).toBe(before);
        }
      }
    });
  }
});
