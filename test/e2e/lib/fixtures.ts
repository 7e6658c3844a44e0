// Data for the browser tests: a casted group whose seed-000 timeframe is shifted around "now",
// so the comment period is open and a deadline is days away.
import type { TestApp } from '../../helpers/app.ts';
import { createCastedGroup, createUser, sessionFor } from '../../helpers/factories.ts';
import { inHours, openPeriodApi, postDocument, postMarkdownRevision } from '../../helpers/documents.ts';

const DAY = 86_400_000;

export async function createLiveGroup(app: TestApp) {
  const cast = await createCastedGroup(app);
  const now = Date.now();
  const at = (days: number, hours = 0) => new Date(now + days * DAY + hours * 3_600_000);
  await app.prisma.milestone.createMany({
    data: [
      { groupId: cast.group.id, at: at(-3), kind: 'DRAFT_POSTED', label: 'The draft report is posted; comments invited' },
      { groupId: cast.group.id, at: at(2, 5), kind: 'COMMENTS_CLOSE', label: 'Document closed for adjudication by the conveners' },
      { groupId: cast.group.id, at: at(18), kind: 'CONVENERS_DRAFT_POSTED', label: "Conveners' draft posted and opened for comments" },
      { groupId: cast.group.id, at: at(32), kind: 'FINAL_COMMENTS_CLOSE', label: 'Final comment period ends' },
      { groupId: cast.group.id, at: at(44), kind: 'FINAL_REPORT_PUBLISHED', label: 'Conveners publish the final report' },
    ],
  });
  await app.prisma.group.update({
    where: { id: cast.group.id },
    data: {
      termsOfReference:
        '1. This correspondence group reports to SG17 with active participation from SG20.\n2. It prepares the report on security and privacy aspects of IoT.',
    },
  });
  return cast;
}

export const createOperator = (app: TestApp) => createUser(app, { name: 'Operator', isOperator: true, affiliation: 'Convene' });

/**
 * A live group with the seed-like X.iotsec-2 draft posted as revision 1 and a comment period on
 * it (open an hour ago, closing at `closesAt`), plus a second participant.
 */
export async function createDocumentGroup(app: TestApp, closesAt: string = inHours(24)) {
  const cast = await createLiveGroup(app);
  const second = await createUser(app, { name: 'Second Participant', affiliation: 'SG20 / Otherland' });
  await app.prisma.membership.create({ data: { groupId: cast.group.id, userId: second.id, role: 'PARTICIPANT' } });
  const convener = await sessionFor(app, cast.convener.email);
  const document = await postDocument(app, cast.group.slug, convener);
  const revision = await postMarkdownRevision(app, cast.group.slug, document.id, convener);
  const period = await openPeriodApi(app, cast.group.slug, document.id, convener, 1, inHours(-1), closesAt);
  const clause = (number: string) => revision.clauses.find((c) => c.number === number)!;
  return { ...cast, second, convenerSession: convener, document, revision, period, clause, url: `/groups/${cast.group.slug}/documents/${document.id}` };
}
