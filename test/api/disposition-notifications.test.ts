// Commenters are consulted by mail: a proposed disposition reaches its commenter with the proposal,
// the rationale, the deadline and where to answer; an unanswered one is recalled a day before its
// deadline; the final one reaches them too. Each honours the member's notification settings.
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remindResponse, RESPONSE_REMINDER_HOURS } from '../../server/modules/dispositions/dispositions.notifications.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { until } from '../helpers/digests.ts';
import { adjudicationScene, sessionFor, type Scene } from '../helpers/dispositions.ts';
import type { Session } from '../helpers/factories.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.ts';

let app: TestApp;
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
  app = await createTestApp({ env: { SMTP_URL: sink.url } });
});
afterAll(async () => {
  await app?.close();
  await sink?.close();
});

const HOUR = 3_600_000;
const to = (m: ParsedMail) => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address?.toLowerCase();
const mailsTo = (email: string) => sink.messages.filter((m) => to(m) === email.toLowerCase());
async function nextMailTo(email: string, match: (m: ParsedMail) => boolean) {
  return until(
    async () => {
      await app.ctx.events.drain();
      return mailsTo(email).find(match);
    },
    15_000,
    `a mail to ${email}`,
  );
}

const disposition = (scene: Scene, commentId: string) => `${scene.commentUrl(commentId)}/disposition`;
async function propose(scene: Scene, s: Session, commentId: string, body: Record<string, unknown>) {
  const res = await app.inject({ method: 'PUT', url: disposition(scene, commentId), headers: s.headers, payload: { expectedVersion: 0, ...body } });
  expect(res.statusCode).toBe(200);
  return res.json() as { id: string; version: number; respondBy: string | null };
}

describe('a proposed disposition', () => {
  it('reaches its commenter with the proposal, rationale, adopted text, deadline in the group zone and UTC, and where to answer', async () => {
    const scene = await adjudicationScene(app);
    const convener = await sessionFor(app, scene.convener);
    const respondBy = new Date(Date.now() + 3 * 24 * HOUR);
    respondBy.setUTCHours(23, 59, 0, 0);
    await propose(scene, convener, scene.comments.c1.id, {
      disposition: 'accepted_with_modification',
      rationale: 'Agreed in substance; <shorter> wording.',
      adoptedText: 'Use tamper-resistant storage.',
      respondBy: respondBy.toISOString(),
    });
    const mail = await nextMailTo(scene.participant.email, (m) => /answer is awaited/.test(m.subject ?? ''));
    expect(mail.subject).toBe(
      'Your answer is awaited: the conveners propose "Accepted with modification" for your comment on clause 7.1 of Report on security and privacy aspects of IoT',
    );
    expect(mail.text).toContain('Disposition: Accepted with modification');
    expect(mail.text).toContain('Rationale: Agreed in substance; <shorter> wording.');
    expect(mail.text).toContain('Adopted text: Use tamper-resistant storage.');
    expect(mail.text).toContain('Your comment: Key extraction needs tamper resistance.');
    // 23:59 UTC, and the group's own zone (Europe/Zurich) beside it.
    expect(mail.text).toMatch(/Please agree or object by \d{1,2} \w+ \d{4} 23:59 UTC \(\d{1,2} \w+ \d{4} 0[01]:59 CES?T\)/);
    expect(mail.text).toContain(`/groups/${scene.slug}/documents/${scene.document.id}?comment=${scene.comments.c1.id}`);
    expect(mail.text).toContain('/me/awaiting');
    expect(mail.html).toContain('&lt;shorter&gt;');
    // Nobody else is told about someone else's comment.
    expect(mailsTo(scene.commenter2.email)).toHaveLength(0);
    expect(mailsTo(scene.convener.email)).toHaveLength(0);
  });

  it("says the answer is awaited until the conveners finalise when no deadline is set, and an editor's draft tells nobody", async () => {
    const scene = await adjudicationScene(app);
    const [convener, editor] = [await sessionFor(app, scene.convener), await sessionFor(app, scene.editor)];
    const draft = await propose(scene, editor, scene.comments.c2.id, { disposition: 'rejected', rationale: 'Out of scope.' });
    expect(draft).toMatchObject({ version: 1 });
    await app.ctx.events.drain();
    expect(await app.prisma.notification.count({ where: { userId: scene.commenter2.id } })).toBe(0);
    const confirmed = await app.inject({
      method: 'POST',
      url: `${disposition(scene, scene.comments.c2.id)}/confirm`,
      headers: convener.headers,
      payload: { expectedVersion: 1 },
    });
    expect(confirmed.statusCode).toBe(200);
    const mail = await nextMailTo(scene.commenter2.email, (m) => /answer is awaited/.test(m.subject ?? ''));
    expect(mail.text).toContain('Disposition: Rejected');
    expect(mail.text).toContain('Please agree or object before the conveners finalise it.');
  });
});

describe('a final disposition', () => {
  it('reaches its commenter, and says when it was finalised over their objection', async () => {
    const scene = await adjudicationScene(app);
    const [convener, commenter] = [await sessionFor(app, scene.convener), await sessionFor(app, scene.participant)];
    const proposed = await propose(scene, convener, scene.comments.c3.id, { disposition: 'rejected', rationale: 'Y.2060 is already cited in clause 2.' });
    const objected = await app.inject({
      method: 'POST',
      url: `${disposition(scene, scene.comments.c3.id)}/response`,
      headers: commenter.headers,
      payload: { expectedVersion: proposed.version, response: 'object', text: 'It is not.' },
    });
    expect(objected.statusCode).toBe(200);
    const finalised = await app.inject({
      method: 'POST',
      url: `${disposition(scene, scene.comments.c3.id)}/finalise`,
      headers: convener.headers,
      payload: { expectedVersion: objected.json().version },
    });
    expect(finalised.statusCode).toBe(200);
    const mail = await nextMailTo(scene.participant.email, (m) => /^Final disposition/.test(m.subject ?? ''));
    expect(mail.subject).toBe('Final disposition of your comment on the document as a whole of Report on security and privacy aspects of IoT: Rejected');
    expect(mail.text).toContain('Rationale: Y.2060 is already cited in clause 2.');
    expect(mail.text).toContain('finalised it over your objection');
  });
});

describe('notification settings', () => {
  it('sends nothing of a kind the member turned off, and gathers a daily kind into the summary instead', async () => {
    const scene = await adjudicationScene(app);
    const convener = await sessionFor(app, scene.convener);
    await app.prisma.notificationSetting.createMany({
      data: [
        { userId: scene.participant.id, kind: 'DISPOSITION_AWAITING_RESPONSE', mode: 'OFF' },
        { userId: scene.participant.id, kind: 'COMMENT_DECIDED', mode: 'DAILY' },
      ],
    });
    const proposed = await propose(scene, convener, scene.comments.c1.id, { disposition: 'accepted' });
    const finalised = await app.inject({
      method: 'POST',
      url: `${disposition(scene, scene.comments.c1.id)}/finalise`,
      headers: convener.headers,
      payload: { expectedVersion: proposed.version },
    });
    expect(finalised.statusCode).toBe(200);
    await app.ctx.events.drain();
    const rows = await app.prisma.notification.findMany({ where: { userId: scene.participant.id } });
    expect(rows.map((r) => [r.kind, r.mode, r.mailedAt])).toEqual([['COMMENT_DECIDED', 'DAILY', null]]);
    expect(mailsTo(scene.participant.email)).toHaveLength(0);
  });

  it('tells nobody who has left the group', async () => {
    const scene = await adjudicationScene(app);
    const convener = await sessionFor(app, scene.convener);
    await app.prisma.membership.delete({ where: { groupId_userId: { groupId: scene.group.id, userId: scene.commenter2.id } } });
    await propose(scene, convener, scene.comments.c2.id, { disposition: 'accepted' });
    await app.ctx.events.drain();
    expect(await app.prisma.notification.count({ where: { userId: scene.commenter2.id } })).toBe(0);
  });
});

describe('the reminder before the response deadline', () => {
  it(`recalls an unanswered proposal ${RESPONSE_REMINDER_HOURS} hours before its deadline, through the durable job`, async () => {
    const scene = await adjudicationScene(app);
    const convener = await sessionFor(app, scene.convener);
    // The reminder falls due a second from now.
    const respondBy = new Date(Date.now() + RESPONSE_REMINDER_HOURS * HOUR + 1000).toISOString();
    await propose(scene, convener, scene.comments.c4.id, { disposition: 'noted', rationale: 'Consistent already.', respondBy });
    const reminder = await nextMailTo(scene.commenter2.email, (m) => /^Reminder: your answer is awaited/.test(m.subject ?? ''));
    expect(reminder.text).toContain('Disposition: Noted');
    expect(mailsTo(scene.commenter2.email).filter((m) => /answer is awaited/.test(m.subject ?? ''))).toHaveLength(2);
  });

  it('recalls nothing once the commenter answered or the deadline moved, and recalls the proposal at its new deadline', async () => {
    const scene = await adjudicationScene(app);
    const [convener, commenter] = [await sessionFor(app, scene.convener), await sessionFor(app, scene.participant)];
    const respondBy = new Date(Date.now() + 3 * 24 * HOUR).toISOString();
    const a = await propose(scene, convener, scene.comments.c1.id, { disposition: 'accepted', respondBy });
    const b = await propose(scene, convener, scene.comments.c3.id, { disposition: 'noted', rationale: 'Later.', respondBy });
    const job = (id: string) => ({ dispositionId: id, respondBy: new Date(respondBy).toISOString() });
    // Unanswered, same deadline: reminded.
    expect(await remindResponse(app.ctx, job(a.id))).not.toBeNull();
    const answered = await app.inject({
      method: 'POST',
      url: `${disposition(scene, scene.comments.c1.id)}/response`,
      headers: commenter.headers,
      payload: { expectedVersion: a.version, response: 'agree' },
    });
    expect(answered.statusCode).toBe(200);
    expect(await remindResponse(app.ctx, job(a.id))).toBeNull();
    const later = new Date(Date.now() + 5 * 24 * HOUR).toISOString();
    const moved = await app.inject({
      method: 'PUT',
      url: `${disposition(scene, scene.comments.c3.id)}/deadline`,
      headers: convener.headers,
      payload: { expectedVersion: b.version, respondBy: later },
    });
    expect(moved.statusCode).toBe(200);
    expect(await remindResponse(app.ctx, job(b.id))).toBeNull();
    expect(await remindResponse(app.ctx, { dispositionId: b.id, respondBy: new Date(later).toISOString() })).not.toBeNull();
  });
});
