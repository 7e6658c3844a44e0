// An adjudication scene for the disposition tests: a group with one person per role, a second
// commenter from another organisation, a document with one revision of three clauses, a comment
// period (closed unless asked otherwise) and four comments plus a reply. Rows are written
// directly (the comments issue tests its own routes); sessions are created directly too, so a
// scene costs a few milliseconds and every test can have its own.
import type { TestApp } from './app.ts';
import { createCastedGroup, createGroup, createUser, sessionFor, type Person } from './factories.ts';

export { sessionFor };

const HOUR = 3_600_000;

export interface SceneOptions {
  periodOpen?: boolean;
  visibility?: 'PRIVATE' | 'PUBLIC_OUTPUTS';
}

export async function adjudicationScene(app: TestApp, options: SceneOptions = {}) {
  const cast = await createCastedGroup(app);
  if (options.visibility) await app.prisma.group.update({ where: { id: cast.group.id }, data: { visibility: options.visibility } });
  const commenter2 = await createUser(app, { name: 'Heung Youl Youm', affiliation: 'SG17 / Korea (Republic of)' });
  await app.prisma.membership.create({ data: { groupId: cast.group.id, userId: commenter2.id, role: 'PARTICIPANT' } });
  const document = await app.prisma.document.create({
    data: { groupId: cast.group.id, title: 'Report on security and privacy aspects of IoT', createdById: cast.convener.id },
  });
  const revision = await app.prisma.revision.create({
    data: {
      documentId: document.id,
      sequence: 1,
      label: 'Initial baseline',
      format: 'MARKDOWN',
      notes: [],
      postedById: cast.convener.id,
      clauses: {
        create: [
          {
            position: 0,
            number: '1',
            heading: 'Scope',
            html: '<p>This Recommendation describes the security framework.</p>',
            text: 'This Recommendation describes the security framework.',
          },
          {
            position: 1,
            number: '7.1',
            heading: 'Security threats for sensor/devices',
            html: '<p>Devices may be captured.</p>',
            text: 'Devices may be captured.',
          },
          { position: 2, number: '7.2', heading: 'Security threats for network', html: '<p>Eavesdropping.</p>', text: 'Eavesdropping.' },
        ],
      },
    },
    include: { clauses: { orderBy: { position: 'asc' } } },
  });
  const clause = (n: string) => revision.clauses.find((c) => c.number === n)!;
  const now = Date.now();
  const period = await app.prisma.commentPeriod.create({
    data: {
      documentId: document.id,
      revisionId: revision.id,
      opensAt: new Date(now - 48 * HOUR),
      closesAt: new Date(now + (options.periodOpen ? 24 * HOUR : -HOUR)),
    },
  });
  const comment = (
    author: Person,
    clauseNumber: string | null,
    type: 'GENERAL' | 'TECHNICAL' | 'EDITORIAL',
    body: string,
    proposedChange: string,
    offsetMs: number,
  ) =>
    app.prisma.comment.create({
      data: {
        documentId: document.id,
        revisionId: revision.id,
        clauseId: clauseNumber ? clause(clauseNumber).id : null,
        authorId: author.id,
        type,
        body,
        bodyHtml: `<p>${body.replaceAll('&', '&amp;').replaceAll('<', '&lt;')}</p>`,
        proposedChange,
        createdAt: new Date(now - 40 * HOUR + offsetMs),
      },
    });
  const c1 = await comment(cast.participant, '7.1', 'TECHNICAL', 'Key extraction needs tamper resistance.', 'Add "tamper-resistant storage".', 0);
  const c2 = await comment(commenter2, '7.2', 'EDITORIAL', 'Typo: "eavesdroping".', 'Spell "eavesdropping".', 1000);
  const c3 = await comment(cast.participant, null, 'GENERAL', 'The report should cite Y.2060.', 'Cite Y.2060 in clause 2.', 2000);
  const c4 = await comment(commenter2, '7.1', 'EDITORIAL', 'Use "devices", plural, consistently.', '=SUM(A1:A2) "devices"', 3000);
  const reply = await app.prisma.comment.create({
    data: {
      documentId: document.id,
      revisionId: revision.id,
      clauseId: clause('7.1').id,
      parentId: c1.id,
      authorId: cast.convener.id,
      body: 'Thanks.',
      bodyHtml: '<p>Thanks.</p>',
    },
  });
  const slug = cast.group.slug;
  return {
    ...cast,
    commenter2,
    document,
    revision,
    clause,
    period,
    comments: { c1, c2, c3, c4 },
    reply,
    slug,
    base: `/api/groups/${slug}/documents/${document.id}`,
    commentUrl: (id: string) => `/api/groups/${slug}/documents/${document.id}/comments/${id}`,
  };
}

export type Scene = Awaited<ReturnType<typeof adjudicationScene>>;

/** Sessions for each kind of user the authorization matrix names. */
export async function sceneSessions(app: TestApp, scene: Scene) {
  const otherConvener = await createUser(app, { name: 'Other convener' });
  await createGroup(app, [{ user: otherConvener, role: 'CONVENER' }]);
  const operator = await createUser(app, { name: 'Operator', isOperator: true });
  const [convener, editor, participant, observer, commenter2, other, op, outsider] = await Promise.all([
    sessionFor(app, scene.convener),
    sessionFor(app, scene.editor),
    sessionFor(app, scene.participant),
    sessionFor(app, scene.observer),
    sessionFor(app, scene.commenter2),
    sessionFor(app, otherConvener),
    sessionFor(app, operator),
    sessionFor(app, scene.outsider),
  ]);
  return { convener, editor, participant, observer, commenter2, otherConvener: other, operator: op, outsider };
}

export const inHours = (h: number) => new Date(Date.now() + h * HOUR).toISOString();
