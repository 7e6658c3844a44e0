// A reply's thread notification is a durable delivery (an outbox job, comments.notifications.ts).
// The reply is written by the one comment statement (group commit); its delivery job must commit
// with it, in the same transaction, so that no crash between the two can lose the notification.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createCastedGroup, signIn, type Session } from '../helpers/factories.ts';
import { inHours, openPeriodApi, postDocument, postMarkdownRevision } from '../helpers/documents.ts';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app.close();
});

it("writes a reply's thread-notification job in the reply's own transaction (the database instant of both is the same)", async () => {
  const cast = await createCastedGroup(app);
  const [convener, participant] = (await Promise.all([signIn(app, cast.convener.email), signIn(app, cast.participant.email)])) as [Session, Session];
  const doc = await postDocument(app, cast.group.slug, convener);
  await postMarkdownRevision(app, cast.group.slug, doc.id, convener);
  await openPeriodApi(app, cast.group.slug, doc.id, convener, 1, inHours(-1), inHours(24));
  const base = `/api/groups/${cast.group.slug}/documents/${doc.id}`;
  const parent = (
    await app.inject({ method: 'POST', url: `${base}/revisions/1/comments`, headers: participant.headers, payload: { type: 'general', body: 'Top.' } })
  ).json() as { id: string };
  const reply = await app.inject({ method: 'POST', url: `${base}/comments/${parent.id}/replies`, headers: convener.headers, payload: { body: 'Answer.' } });
  expect(reply.statusCode, reply.body).toBe(201);
  await app.ctx.events.drain();
  const stored = await app.prisma.comment.findUniqueOrThrow({ where: { id: reply.json().id } });
  const jobs = await app.prisma.$queryRawUnsafe<{ created_on: Date }[]>(
    `SELECT created_on::timestamptz(3) AS created_on FROM "${app.config.jobs.schema}".job WHERE name = 'event.comments.created.notify-thread' AND data->>'commentId' = $1`,
    stored.id,
  );
  expect(jobs).toHaveLength(1);
  // now() is the transaction's start: equal instants (at the comment's millisecond precision) mean one transaction wrote both.
  expect(jobs[0]!.created_on.toISOString()).toBe(stored.createdAt.toISOString());
});
