// The authorization matrix over every work-programme and consultation route: anonymous, a
// signed-in non-member, each role, the operator, and a focal point of an invited Administration
// (not a member of the group). One scene for the file; writes that succeed are made repeatable
// (fresh names, current versions). A refused call must change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, unique, type TestApp } from '../helpers/app.ts';
import { createUser, sessionFor, type Session } from '../helpers/factories.ts';
import { consultationScene, inHours, signed, type ConsultationScene } from '../helpers/consultations.ts';
import { multipart } from '../helpers/multipart.ts';

let app: TestApp;
let open: ConsultationScene;
let closed: ConsultationScene;
let itemId: string;
let openAttachment: string;
let closedAttachment: string;
let removable = '';
const sessions = {} as Record<Exclude<Actor, 'anonymous'>, Session>;

type Actor = 'anonymous' | 'outsider' | 'focal' | 'observer' | 'participant' | 'editor' | 'convener' | 'operator';
const ACTORS: Actor[] = ['anonymous', 'outsider', 'focal', 'observer', 'participant', 'editor', 'convener', 'operator'];
const MEMBERS: Actor[] = ['observer', 'participant', 'editor', 'convener', 'operator'];
const SECRETARIAT: Actor[] = ['convener', 'operator'];
/** Anonymous 401; anyone who may not see the group 404; a member without the role 403. */
const REFUSAL: Record<Actor, number> = {
  anonymous: 401,
  outsider: 404,
  focal: 404,
  observer: 403,
  participant: 403,
  editor: 403,
  convener: 403,
  operator: 403,
};

beforeAll(async () => {
  app = await createTestApp();
  [open, closed] = await Promise.all([consultationScene(app), consultationScene(app)]);
  await app.prisma.consultation.update({ where: { id: closed.consultationId }, data: { deadline: new Date(Date.now() - 1000) } });
  // The closed consultation's group gets the same people: one cast, two consultations.
  for (const role of ['observer', 'participant', 'editor', 'convener'] as const) {
    await app.prisma.membership.create({ data: { groupId: closed.cast.group.id, userId: open.cast[role].id, role: role.toUpperCase() as 'CONVENER' } });
  }
  await app.prisma.consultationFocalPoint.create({
    data: {
      consultationId: closed.consultationId,
      administrationId: (await app.prisma.administration.findUniqueOrThrow({ where: { code: closed.codes.b } })).id,
      userId: open.focal.b.id,
    },
  });
  const operator = await createUser(app, { isOperator: true });
  const list = await Promise.all([
    sessionFor(app, open.cast.outsider.email),
    sessionFor(app, open.focal.b.email),
    sessionFor(app, open.cast.observer.email),
    sessionFor(app, open.cast.participant.email),
    sessionFor(app, open.cast.editor.email),
    sessionFor(app, open.cast.convener.email),
    sessionFor(app, operator.email),
  ]);
  ['outsider', 'focal', 'observer', 'participant', 'editor', 'convener', 'operator'].forEach((a, i) => {
    sessions[a as Exclude<Actor, 'anonymous'>] = list[i]!;
  });
  openAttachment = await attachmentOf(open, open.codes.b);
  closedAttachment = await attachmentOf(closed, closed.codes.b);
  itemId = (
    await app.prisma.workItem.create({
      data: { groupId: open.cast.group.id, acronym: 'X.matrix', title: 'Matrix', approvalProcess: 'TAP', status: 'IN_PROGRESS' },
    })
  ).id;
});
afterAll(async () => {
  await app.close();
});

const PDF = Buffer.from('%PDF-1.7\n% comments attached\n%%EOF\n');
/** A file of Administration `code` on the first draft, written directly (the upload route is one of the cases). */
async function attachmentOf(scene: ConsultationScene, code: string) {
  const administration = await app.prisma.administration.findUniqueOrThrow({ where: { code } });
  const a = await app.prisma.consultationAttachment.create({
    data: {
      consultationId: scene.consultationId,
      draftId: scene.drafts[0]!.id,
      administrationId: administration.id,
      fileName: 'comments.pdf',
      contentType: 'application/pdf',
      size: PDF.length,
      content: new Uint8Array(PDF),
    },
  });
  return a.id;
}

interface RouteCase {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: () => string;
  allowed: Actor[];
  /** Who else succeeds with another status than 200. */
  status?: number;
  body?: () => Promise<object>;
  /** A multipart body instead of JSON. */
  upload?: () => { payload: Buffer; headers: Record<string, string> };
  /** Run before each call (a fresh record the call may consume). */
  prepare?: () => Promise<void>;
  refusals?: Partial<Record<Actor, number>>;
}

const g = () => `/api/groups/${open.slug}`;
const version = async () => (await app.prisma.workItem.findUniqueOrThrow({ where: { id: itemId } })).version;
const determined = async () =>
  (
    await app.prisma.workItem.create({
      data: { groupId: open.cast.group.id, acronym: unique('X.d'), title: 'Determined', approvalProcess: 'TAP', status: 'DETERMINED' },
    })
  ).id;
const letters = () => Array.from({ length: 3 }, () => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join('');
const answerVersion = async () =>
  (await app.prisma.consultationAnswer.findFirst({ where: { draftId: open.drafts[0]!.id }, select: { version: true } }))?.version ?? 0;

const CASES: Record<string, RouteCase> = {
  'GET work-items': { method: 'GET', path: () => `${g()}/work-items`, allowed: MEMBERS },
  'GET work-items.csv': { method: 'GET', path: () => `${g()}/work-items.csv`, allowed: MEMBERS },
  'POST work-items': {
    method: 'POST',
    path: () => `${g()}/work-items`,
    allowed: SECRETARIAT,
    status: 201,
    body: async () => ({ acronym: unique('X.n'), title: 'New', approvalProcess: 'aap' }),
  },
  'GET work-item': { method: 'GET', path: () => `${g()}/work-items/${itemId}`, allowed: MEMBERS },
  'PATCH work-item': {
    method: 'PATCH',
    path: () => `${g()}/work-items/${itemId}`,
    allowed: SECRETARIAT,
    body: async () => ({ timing: unique('2020'), expectedVersion: await version() }),
  },
  'POST work-item status': {
    method: 'POST',
    path: () => `${g()}/work-items/${itemId}/status`,
    allowed: SECRETARIAT,
    body: async () => {
      const w = await app.prisma.workItem.findUniqueOrThrow({ where: { id: itemId } });
      return { to: w.status === 'DEFERRED' ? 'in_progress' : 'deferred', expectedVersion: w.version };
    },
  },
  'GET consultations/mine': { method: 'GET', path: () => '/api/consultations/mine', allowed: ['outsider', 'focal', ...MEMBERS] },
  'GET consultations': { method: 'GET', path: () => `${g()}/consultations`, allowed: MEMBERS },
  'POST consultations': {
    method: 'POST',
    path: () => `${g()}/consultations`,
    allowed: SECRETARIAT,
    status: 201,
    body: async () => ({
      reference: unique('TSB Circular'),
      issuedOn: '2026-12-01',
      subject: 'S',
      deadline: inHours(24),
      thresholdPercent: 70,
      workItemIds: [await determined()],
    }),
  },
  'GET consultation': { method: 'GET', path: () => open.base, allowed: ['focal', ...MEMBERS] },
  'PUT consultation drafts': {
    method: 'PUT',
    path: () => `${open.base}/drafts`,
    allowed: SECRETARIAT,
    body: async () => ({ workItemIds: open.drafts.map((d) => d.workItemId) }),
    refusals: { focal: 403 },
  },
  'POST consultation invitees': {
    method: 'POST',
    path: () => `${open.base}/invitees`,
    allowed: SECRETARIAT,
    body: async () => ({ administrations: [{ code: letters(), name: 'New', focalPoints: [{ email: `${unique('fp')}@example.test`, name: 'FP' }] }] }),
    refusals: { focal: 403 },
  },
  'POST consultation deadline': {
    method: 'POST',
    path: () => `${open.base}/deadline`,
    allowed: SECRETARIAT,
    body: async () => {
      const c = await app.prisma.consultation.findUniqueOrThrow({ where: { id: open.consultationId } });
      return { deadline: new Date(c.deadline.getTime() + 60_000).toISOString() };
    },
    refusals: { focal: 403 },
  },
  'PUT consultation answers': {
    method: 'PUT',
    path: () => `${open.base}/answers`,
    allowed: ['focal'],
    body: async () => ({
      answers: [{ draftId: open.drafts[0]!.id, position: 'assigns_authority', option: 'no_comments', expectedVersion: await answerVersion() }],
      ...signed,
    }),
    refusals: { observer: 403, participant: 403, editor: 403, convener: 403, operator: 403 },
  },
  'POST consultation draft attachments': {
    method: 'POST',
    path: () => `${open.base}/drafts/${open.drafts[1]!.id}/attachments`,
    allowed: ['focal'],
    status: 201,
    upload: () => multipart({}, { name: 'file', filename: 'comments.pdf', content: PDF, type: 'application/pdf' }),
    refusals: { observer: 403, participant: 403, editor: 403, convener: 403, operator: 403 },
  },
  'GET consultation attachment (open)': {
    method: 'GET',
    path: () => `${open.base}/attachments/${openAttachment}`,
    allowed: ['focal', ...SECRETARIAT],
  },
  'GET consultation attachment (closed)': {
    method: 'GET',
    path: () => `${closed.base}/attachments/${closedAttachment}`,
    allowed: ['focal', ...MEMBERS],
  },
  'DELETE consultation attachment': {
    method: 'DELETE',
    path: () => `${open.base}/attachments/${removable}`,
    allowed: ['focal'],
    status: 204,
    prepare: async () => {
      removable = await attachmentOf(open, open.codes.b);
    },
    refusals: { observer: 403, participant: 403, editor: 403, convener: 403, operator: 403 },
  },
  'GET consultation tally (open)': { method: 'GET', path: () => `${open.base}/tally`, allowed: SECRETARIAT, refusals: { focal: 403 } },
  'GET consultation tally (closed)': { method: 'GET', path: () => `${closed.base}/tally`, allowed: ['focal', ...MEMBERS] },
  'GET consultation results.csv': { method: 'GET', path: () => `${closed.base}/results.csv`, allowed: ['focal', ...MEMBERS] },
  'GET consultation results.docx': { method: 'GET', path: () => `${closed.base}/results.docx`, allowed: ['focal', ...MEMBERS] },
};

/** Everything a refused write could have changed. */
const fingerprint = async () =>
  JSON.stringify(
    await Promise.all([
      app.prisma.workItem.count({ where: { groupId: open.cast.group.id } }),
      version(),
      app.prisma.consultation.count({ where: { groupId: open.cast.group.id } }),
      app.prisma.consultationInvitee.count({ where: { consultationId: open.consultationId } }),
      app.prisma.consultationDraft.findMany({ where: { consultationId: open.consultationId }, select: { workItemId: true, position: true } }),
      answerVersion(),
      app.prisma.consultationAttachment.findMany({ where: { consultationId: open.consultationId }, select: { id: true }, orderBy: { id: 'asc' } }),
      app.prisma.consultation.findUniqueOrThrow({ where: { id: open.consultationId }, select: { deadline: true } }),
    ]),
  );

describe('authorization matrix over every work-programme and consultation route', () => {
  it('covers every route the two modules register', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const registered = Object.entries<Record<string, { tags?: string[] }>>(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.tags?.includes('work programme') || op.tags?.includes('consultations'))
        .filter(() => !path.startsWith('/api/public/'))
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    const covered = new Set(
      Object.values(CASES).map(
        (c) =>
          `${c.method} ${c
            .path()
            .replace(open.slug, '{slug}')
            .replace(closed.slug, '{slug}')
            .replace(itemId, '{workItemId}')
            .replace(open.drafts[1]!.id, '{draftId}')
            .replace(openAttachment, '{attachmentId}')
            .replace(closedAttachment, '{attachmentId}')
            .replace(/attachments\/$/, 'attachments/{attachmentId}')
            .replace(open.consultationId, '{consultationId}')
            .replace(closed.consultationId, '{consultationId}')}`,
      ),
    );
    expect(registered.length).toBe(20);
    expect(registered.filter((r) => !covered.has(r))).toEqual([]);
  });

  for (const [name, route] of Object.entries(CASES)) {
    it(`${name}: only ${route.allowed.join(', ')} succeed`, async () => {
      const outcome: Record<string, number> = {};
      for (const actor of ACTORS) {
        await route.prepare?.();
        const body = await route.body?.();
        const upload = route.upload?.();
        const before = await fingerprint();
        const session = actor === 'anonymous' ? null : sessions[actor];
        const headers = session ? (route.method === 'GET' ? { cookie: session.cookie } : session.headers) : {};
        const res = await app.inject({
          method: route.method,
          url: route.path(),
          headers: { ...headers, ...upload?.headers },
          ...(body ? { payload: body } : upload ? { payload: upload.payload } : {}),
        });
        outcome[actor] = res.statusCode;
        if (!route.allowed.includes(actor) && route.method !== 'GET') expect(await fingerprint(), `${actor} changed something`).toBe(before);
      }
      const expected = Object.fromEntries(ACTORS.map((a) => [a, route.allowed.includes(a) ? (route.status ?? 200) : (route.refusals?.[a] ?? REFUSAL[a])]));
      expect(outcome).toEqual(expected);
    });
  }

  it('reads the public programme without a session only for a group whose outputs are public', async () => {
    expect((await app.inject({ method: 'GET', url: `/api/public/groups/${open.slug}/work-items` })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/api/public/groups/${open.slug}/work-items/${itemId}` })).statusCode).toBe(404);
    await app.prisma.group.update({ where: { id: closed.cast.group.id }, data: { visibility: 'PUBLIC_OUTPUTS' } });
    const closedItem = closed.drafts[0]!.workItemId;
    expect((await app.inject({ method: 'GET', url: `/api/public/groups/${closed.slug}/work-items` })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: `/api/public/groups/${closed.slug}/work-items/${closedItem}` })).statusCode).toBe(200);
  });
});
