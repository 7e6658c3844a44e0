// Work items and Member State consultations for the API tests, through the real routes: a
// group's convener (the secretariat), determined drafts, and invited Administrations whose focal
// points are not members of the group.
import { expect } from 'vitest';
import { unique, type TestApp } from './app.ts';
import { createCastedGroup, createUser, sessionFor, type Person, type Session } from './factories.ts';

export const CIRCULAR_195_DRAFTS = [
  { acronym: 'X.sgsec-3', number: 'X.1332', title: 'Security guidelines for smart metering services in smart grids' },
  { acronym: 'X.ibc-iot', number: 'X.1365', title: 'Security methodology for the use of identity-based cryptography in support of IoT services' },
  { acronym: 'X.itssec-2', number: 'X.1372', title: 'Security guidelines for Vehicle-to-Everything (V2X) communication' },
  { acronym: 'X.SRNaaS', number: 'X.1604', title: 'Security requirements of network as a service (NaaS) in cloud computing' },
  { acronym: 'X.SRIaaS', number: 'X.1605', title: 'Security requirements of public infrastructure as a service (IaaS) in cloud computing' },
];

export async function createWorkItem(app: TestApp, slug: string, s: Session, body: Record<string, unknown>) {
  const res = await app.inject({ method: 'POST', url: `/api/groups/${slug}/work-items`, headers: s.headers, payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; version: number; status: string };
}

export async function moveTo(app: TestApp, slug: string, s: Session, item: { id: string; version: number }, to: string) {
  const res = await app.inject({
    method: 'POST',
    url: `/api/groups/${slug}/work-items/${item.id}/status`,
    headers: s.headers,
    payload: { to, expectedVersion: item.version },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { id: string; version: number; status: string };
}

/** A TAP work item moved to determined, ready for a Member State consultation. */
export async function determinedItem(app: TestApp, slug: string, s: Session, fields: { acronym: string; number?: string; title: string }) {
  let item = await createWorkItem(app, slug, s, { ...fields, approvalProcess: 'tap', question: '6/17' });
  item = await moveTo(app, slug, s, item, 'in_progress');
  return moveTo(app, slug, s, item, 'determined');
}

export const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

export interface ConsultationScene {
  slug: string;
  base: string;
  consultationId: string;
  drafts: { id: string; workItemId: string }[];
  cast: Awaited<ReturnType<typeof createCastedGroup>>;
  convener: Session;
  /** Two focal points of Administration A (code AAA..), one of B; C is invited with no answer. */
  focal: { a1: Person; a2: Person; b: Person };
  codes: { a: string; b: string };
}

const code = () => Array.from({ length: 3 }, () => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join('');

/** A group, `draftCount` determined drafts and a consultation open for `hours`. */
export async function consultationScene(app: TestApp, options: { draftCount?: number; hours?: number; threshold?: number } = {}): Promise<ConsultationScene> {
  const cast = await createCastedGroup(app);
  const convener = await sessionFor(app, cast.convener.email);
  const slug = cast.group.slug;
  // Determined drafts written directly: the lifecycle's own routes are tested in work-programme.test.ts.
  const items = [];
  for (const d of CIRCULAR_195_DRAFTS.slice(0, options.draftCount ?? 2)) {
    items.push(await app.prisma.workItem.create({ data: { groupId: cast.group.id, ...d, question: '6/17', approvalProcess: 'TAP', status: 'DETERMINED' } }));
  }
  const [a1, a2, b] = await Promise.all([createUser(app, { name: 'Focal A1' }), createUser(app, { name: 'Focal A2' }), createUser(app, { name: 'Focal B' })]);
  // Administrations are shared across tests: codes unique per scene keep them apart.
  let codes = { a: code(), b: code() };
  while (codes.a === codes.b) codes = { a: code(), b: code() };
  const res = await app.inject({
    method: 'POST',
    url: `/api/groups/${slug}/consultations`,
    headers: convener.headers,
    payload: {
      reference: `TSB Circular ${unique('c')}`,
      issuedOn: '2019-11-29',
      subject: 'Member State consultation on determined draft Recommendations',
      ruleText: 'If 70% or more of the replies from Member States support consideration for approval, one Plenary session will apply the approval procedure.',
      deadline: inHours(options.hours ?? 48),
      thresholdPercent: options.threshold ?? 70,
      workItemIds: items.map((i) => i.id),
      administrations: [
        {
          code: codes.a,
          name: `Administration ${codes.a}`,
          focalPoints: [
            { email: a1.email, name: a1.name },
            { email: a2.email, name: a2.name },
          ],
        },
        { code: codes.b, name: `Administration ${codes.b}`, focalPoints: [{ email: b.email, name: b.name }] },
      ],
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  const c = res.json() as { id: string; drafts: { id: string; workItemId: string }[] };
  return { slug, base: `/api/groups/${slug}/consultations/${c.id}`, consultationId: c.id, drafts: c.drafts, cast, convener, focal: { a1, a2, b }, codes };
}

export const assigns = (draftId: string, expectedVersion = 0) => ({ draftId, position: 'assigns_authority', option: 'no_comments', expectedVersion });
export const refuses = (draftId: string, text = 'The threat model omits roadside units.', expectedVersion = 0) => ({
  draftId,
  position: 'does_not_assign_authority',
  text,
  expectedVersion,
});
export const signed = { signedName: 'Jane Delegate', signedRole: 'Head of Standards, Ministry of Communications' };

export async function answer(app: TestApp, base: string, s: Session, answers: object[]) {
  return app.inject({ method: 'PUT', url: `${base}/answers`, headers: s.headers, payload: { answers, ...signed } });
}
