// A CG-IoTsec-like cycle on a near-future timeframe, end to end: the period's milestones fire the
// draft-posted, reminder, extension and period-closed digests with content from the real
// revisions and comments, received by a real SMTP server and parsed back; members who have not
// commented are told the period is about to close; a reply notifies the thread.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedMail } from 'mailparser';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.ts';
import { createGroup, createUser, signIn, type Session } from '../helpers/factories.ts';
import { addMilestone, createListGroup, until } from '../helpers/digests.ts';
import { fireMilestone } from '../../server/modules/timeframe/fire-milestone.ts';
import { postDocument, postMarkdownRevision } from '../helpers/documents.ts';
import type { ReachedMilestone } from '../../server/modules/digests/digest-sources.ts';
import { periodClosedDigest } from '../../server/modules/digests/digest-content.ts';
import { digestGroup, groupLinks } from '../../server/modules/digests/build-milestone-digest.ts';
import type { Tx } from '../../server/lib/use-case.ts';
import { uuidv7 } from '../../server/lib/uuid.ts';

let app: TestApp;
let sink: SmtpSink;

beforeAll(async () => {
  sink = await startSmtpSink();
  app = await createTestApp({ env: { SMTP_URL: sink.url, PUBLIC_URL: 'https://convene.example.org' } });
});
afterAll(async () => {
  await app?.close();
  await sink?.close();
});

const to = (m: ParsedMail) => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address?.toLowerCase();
const mailTo = (address: string) => sink.messages.filter((m) => to(m) === address.toLowerCase());
const readLink = async (email: string) => {
  const mail = await until(async () => {
    await app.ctx.events.drain();
    return mailTo(email).at(-1);
  });
  return mail.text!.match(/https?:\/\/\S+\/sign-in\/verify\?token=[\w-]+/)![0];
};
const at = (ms: number) => new Date(Date.now() + ms).toISOString();
const HOUR = 3_600_000;

async function cgIotsec() {
  const people = {
    convener: await createUser(app, { name: 'Heung Youl Youm', affiliation: 'SG17 / Korea' }),
    korea: await createUser(app, { name: 'Participant Korea', affiliation: 'SG17 / Korea' }),
    china: await createUser(app, { name: 'Participant China', affiliation: 'SG20 / China' }),
    silent: await createUser(app, { name: 'Silent Participant', affiliation: 'SG20 / Canada' }),
  };
  const group = await createGroup(app, [
    { user: people.convener, role: 'CONVENER' },
    { user: people.korea, role: 'PARTICIPANT' },
    { user: people.china, role: 'PARTICIPANT' },
    { user: people.silent, role: 'PARTICIPANT' },
  ]);
  const sessions = {} as Record<keyof typeof people, Session>;
  for (const [k, p] of Object.entries(people)) sessions[k as keyof typeof people] = await signIn(app, p.email, readLink);
  return { group, people, sessions, list: group.mailingList! };
}

describe('a comment cycle on a near-future timeframe', () => {
  it('fires the draft-posted, reminder, extension and period-closed digests with the real revision and comments', async () => {
    const { group, people, sessions, list } = await cgIotsec();
    const slug = group.slug;
    const document = await postDocument(app, slug, sessions.convener);
    const revision = await postMarkdownRevision(app, slug, document.id, sessions.convener);
    const base = `/api/groups/${slug}/documents/${document.id}`;

    // Opens in a moment; closes 24 h and 3 s from now, so the default 24-hour reminder is due in 3 s.
    const opened = await app.inject({
      method: 'POST',
      url: `${base}/periods`,
      headers: sessions.convener.headers,
      payload: {
        revision: 1,
        opensAt: at(1_000),
        openingLabel: 'Conveners post the draft; comments invited',
        closesAt: at(24 * HOUR + 3_000),
        closingLabel: 'Comments close; document closed for adjudication',
      },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const period = opened.json() as { id: string };

    // 1. Draft posted: the revision, its clauses, the deadline in UTC and the group's zone.
    const draft = await until(async () => mailTo(list).find((m) => m.subject?.includes('Draft posted')), 10_000, 'the draft-posted digest');
    expect(draft.subject).toBe(`[${group.acronym}] Draft posted for comments: ${document.title}, revision 1 (Initial baseline)`);
    expect(draft.text).toContain('7.1');
    expect(draft.text).toContain('Security threats for sensor/devices');
    expect(draft.text).toMatch(/Comments close:\n\s+\w+ \d+ \w+ \d{4}, \d\d:\d\d UTC/);
    expect(draft.text, draft.text).toContain(`https://convene.example.org/groups/${slug}/documents/${document.id}/revisions/1`);

    // Comments while the period is open: two affiliations, three types, a reply.
    const clause = (n: string) => revision.clauses.find((c) => c.number === n)!.id;
    const comment = async (s: Session, clauseId: string | null, type: string, body: string) => {
      const res = await app.inject({ method: 'POST', url: `${base}/revisions/1/comments`, headers: s.headers, payload: { clauseId, type, body } });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string };
    };
    const first = await comment(sessions.korea, clause('7.1'), 'technical', 'Physical capture needs a countermeasure.');
    await comment(sessions.china, clause('7.1'), 'editorial', 'Use "devices" consistently.');
    await comment(sessions.china, clause('7.2'), 'technical', 'Add replay attacks.');
    await comment(sessions.korea, null, 'general', 'Align with X.1361.');
    const reply = await app.inject({
      method: 'POST',
      url: `${base}/comments/${first.id}/replies`,
      headers: sessions.china.headers,
      payload: { body: 'Agreed: tamper resistance.' },
    });
    expect(reply.statusCode, reply.body).toBe(201);

    // 2. The reminder, 24 hours before the deadline; and a personal notice to the member who has not commented.
    const reminder = await until(async () => mailTo(list).find((m) => m.subject?.includes('left')), 10_000, 'the reminder digest');
    expect(reminder.subject).toBe(`[${group.acronym}] 1 day left: Comments close; document closed for adjudication`);
    const notice = await until(async () => mailTo(people.silent.email).find((m) => m.subject?.includes('close in')), 10_000, 'the period-closing notification');
    expect(notice.subject).toBe(`Comments on ${document.title} (revision 1) close in 1 day`);
    expect(notice.text).toContain('You have not commented');
    await app.ctx.events.drain();
    expect(
      await app.prisma.notification.count({ where: { kind: 'PERIOD_CLOSING', userId: { in: [people.korea.id, people.china.id, people.convener.id] } } }),
    ).toBe(0);

    // 3. The conveners extend the deadline: new deadline and their reason, at once.
    const extended = await app.inject({
      method: 'POST',
      url: `${base}/periods/${period.id}/extensions`,
      headers: sessions.convener.headers,
      payload: { closesAt: at(48 * HOUR), reason: 'Two administrations asked for one more day.' },
    });
    expect(extended.statusCode, extended.body).toBe(200);
    const extension = await until(async () => mailTo(list).find((m) => m.subject?.includes('Deadline extended')), 10_000, 'the extension digest');
    expect(extension.subject).toBe(`[${group.acronym}] Deadline extended: the comment period on ${document.title}, revision 1 (Initial baseline)`);
    expect(extension.text).toContain('Two administrations asked for one more day.');
    expect(extension.text).toMatch(/New deadline:\n\s+\w+ \d+ \w+ \d{4}, \d\d:\d\d UTC/);
    expect(extension.text).toContain('Heung Youl Youm');

    // 4. The conveners close the period now: comments by clause, type and affiliation, the most discussed clause.
    const closed = await app.inject({
      method: 'POST',
      url: `${base}/periods/${period.id}/close`,
      headers: sessions.convener.headers,
      payload: { reason: 'Adjudication starts early by agreement.' },
    });
    expect(closed.statusCode, closed.body).toBe(200);
    const closing = await until(async () => mailTo(list).find((m) => m.subject?.includes('Comment period closed')), 10_000, 'the period-closed digest');
    expect(closing.subject).toBe(`[${group.acronym}] Comment period closed: 4 comments received`);
    expect(closing.text).toContain('Technical (te): 2');
    expect(closing.text).toContain('Editorial (ed): 1');
    expect(closing.text).toContain('General (ge): 1');
    expect(closing.text).toMatch(/Most discussed[\s\S]*7\.1 Security threats for sensor\/devices: 2 comments, 1 reply/);
    expect(closing.text).toMatch(/SG20 \/ China: 2/);
    expect(closing.text).toMatch(/SG17 \/ Korea: 2/);
    expect(closing.text).not.toContain(people.korea.email);

    // 5. The conveners reopen it: the list is told comments are open again, until when, and why.
    const reopened = await app.inject({
      method: 'POST',
      url: `${base}/periods/${period.id}/extensions`,
      headers: sessions.convener.headers,
      payload: { closesAt: at(72 * HOUR), reason: 'A late contribution from SG20 was accepted.' },
    });
    expect(reopened.statusCode, reopened.body).toBe(200);
    const reopening = await until(async () => mailTo(list).find((m) => m.subject?.includes('Comments reopened')), 10_000, 'the reopening digest');
    expect(reopening.subject).toBe(`[${group.acronym}] Comments reopened: the comment period on ${document.title}, revision 1 (Initial baseline)`);
    expect(reopening.text).toMatch(/Heung Youl Youm, convener, reopened the comment period on .*, which had closed at \w+ \d+ \w+ \d{4}, \d\d:\d\d UTC/);
    expect(reopening.text).toContain('A late contribution from SG20 was accepted.');
    expect(reopening.text).toMatch(/New deadline:\n\s+\w+ \d+ \w+ \d{4}, \d\d:\d\d UTC/);

    // 6. A comment in the reopened period; closed again, the list is told again, with it counted.
    await comment(sessions.korea, clause('7.2'), 'technical', 'Late, but in time: add a countermeasure for replay.');
    const closedAgain = await app.inject({
      method: 'POST',
      url: `${base}/periods/${period.id}/close`,
      headers: sessions.convener.headers,
      payload: { reason: 'The SG20 contribution is in.' },
    });
    expect(closedAgain.statusCode, closedAgain.body).toBe(200);
    await until(async () => mailTo(list).filter((m) => m.subject?.includes('Comment period closed')).length === 2, 10_000, 'the second period-closed digest');
    expect(
      mailTo(list)
        .filter((m) => m.subject?.includes('Comment period closed'))
        .map((m) => m.subject),
    ).toEqual([`[${group.acronym}] Comment period closed: 4 comments received`, `[${group.acronym}] Comment period closed: 5 comments received`]);

    const kinds = (await app.prisma.digest.findMany({ where: { groupId: group.id }, orderBy: { createdAt: 'asc' } })).map((d) => d.kind);
    expect(kinds).toEqual(['DRAFT_POSTED', 'REMINDER', 'DEADLINE_EXTENDED', 'PERIOD_CLOSED', 'DEADLINE_EXTENDED', 'PERIOD_CLOSED']);
  });

  it('notifies the comment author and earlier repliers of a reply, never the replier', async () => {
    const { group, people, sessions } = await cgIotsec();
    const document = await postDocument(app, group.slug, sessions.convener);
    await postMarkdownRevision(app, group.slug, document.id, sessions.convener);
    const base = `/api/groups/${group.slug}/documents/${document.id}`;
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `${base}/periods`,
          headers: sessions.convener.headers,
          payload: { revision: 1, opensAt: at(-HOUR), closesAt: at(72 * HOUR) },
        })
      ).statusCode,
    ).toBe(201);
    const posted = await app.inject({
      method: 'POST',
      url: `${base}/revisions/1/comments`,
      headers: sessions.korea.headers,
      payload: { type: 'general', body: 'Scope is too wide.' },
    });
    const commentId = posted.json().id as string;
    const replyAs = async (s: Session, body: string) => {
      const res = await app.inject({ method: 'POST', url: `${base}/comments/${commentId}/replies`, headers: s.headers, payload: { body } });
      expect(res.statusCode, res.body).toBe(201);
      await app.ctx.events.drain();
    };
    const notices = (userId: string) => app.prisma.notification.findMany({ where: { userId, kind: 'THREAD_REPLY' }, orderBy: { createdAt: 'asc' } });

    await replyAs(sessions.china, 'Which part? <script>x</script>');
    expect((await notices(people.korea.id)).map((n) => n.title)).toEqual([
      `Participant China replied in a thread on the document as a whole of ${document.title}`,
    ]);
    // The reply's words as typed (HTML in a comment is text), never markup.
    expect((await notices(people.korea.id))[0]!.body).toBe('Which part? <script>x</script>');
    expect(await notices(people.china.id)).toEqual([]);

    await replyAs(sessions.convener, 'Clause 1 only.');
    expect(await notices(people.korea.id)).toHaveLength(2);
    expect(await notices(people.china.id)).toHaveLength(1);
    expect(await notices(people.convener.id)).toEqual([]);
    expect(await notices(people.silent.id)).toEqual([]);
  });
});

describe("a milestone's digest", () => {
  it('is created once per instant, digests keyed by the milestone alone (before the instant was in the key) included', async () => {
    const { group, convener } = await createListGroup(app);
    const milestone = await addMilestone(app, { group, actor: convener, inMs: 3_600_000 });
    const job = { milestoneId: milestone.id, at: milestone.at.toISOString() };
    // What a firing recorded before the key carried the instant: its digest and its audit entry, one transaction.
    const firedLegacy = new Date(milestone.at.getTime() + 1_000);
    const legacy = await app.prisma.digest.create({
      data: {
        groupId: group.id,
        key: `milestone:${milestone.id}`,
        kind: 'PERIOD_CLOSED',
        milestoneId: milestone.id,
        subject: 'Fired at this instant',
        html: '',
        text: '',
        props: {},
        createdAt: firedLegacy,
      },
    });
    const legacyAudit = await app.prisma.auditEntry.create({
      data: {
        at: firedLegacy,
        groupId: group.id,
        action: 'milestones.reached',
        entityType: 'milestone',
        entityId: milestone.id,
        after: { digestId: legacy.id, late: false, recipients: 1, firedAt: firedLegacy },
      },
    });
    expect(await fireMilestone(app.ctx, job), 'fired already, at this instant').toBeNull();
    expect(await app.prisma.digest.count({ where: { milestoneId: milestone.id } })).toBe(1);
    // Fired at an earlier instant, then moved later (a closed period reopened): it fires again.
    const earlier = new Date(milestone.at.getTime() - 86_400_000);
    await app.prisma.digest.update({ where: { id: legacy.id }, data: { createdAt: earlier } });
    await app.prisma.auditEntry.update({ where: { id: legacyAudit.id }, data: { at: earlier } });
    expect(await fireMilestone(app.ctx, job)).toMatchObject({ milestoneId: milestone.id });
    expect(await app.prisma.digest.findUnique({ where: { key: `milestone:${milestone.id}:${job.at}` } })).toMatchObject({
      groupId: group.id,
      milestoneId: milestone.id,
    });
    expect(await fireMilestone(app.ctx, job), 'a second run of the same job').toBeNull();
    expect(await app.prisma.digest.count({ where: { milestoneId: milestone.id } })).toBe(2);
  });
});

describe('the final report', () => {
  it('is announced to the list at once when the conveners publish it', async () => {
    const { group, sessions, list } = await cgIotsec();
    const document = await postDocument(app, group.slug, sessions.convener);
    await postMarkdownRevision(app, group.slug, document.id, sessions.convener);
    const published = await app.inject({
      method: 'POST',
      url: `/api/groups/${group.slug}/documents/${document.id}/final-report`,
      headers: sessions.convener.headers,
      payload: { revision: 1 },
    });
    expect(published.statusCode, published.body).toBeLessThan(300);
    const mail = await until(async () => mailTo(list).find((m) => m.subject?.includes('Final report published')), 10_000, 'the final-report digest');
    expect(mail.text).toContain('Read the final report');
    expect((await app.prisma.digest.findMany({ where: { groupId: group.id } })).map((d) => d.kind)).toEqual(['FINAL_REPORT_PUBLISHED']);
  });
});

describe('the period-closed digest for 1,000 comments', () => {
  it('stays under 100 KB of HTML with the counts from the real comment store', async () => {
    const { group, people, sessions } = await cgIotsec();
    const document = await postDocument(app, group.slug, sessions.convener);
    const source = Array.from({ length: 60 }, (_, i) => `## ${Math.floor(i / 6) + 1}.${(i % 6) + 1} Clause about topic ${i}\n\nText ${i}.`).join('\n\n');
    const revision = await postMarkdownRevision(app, group.slug, document.id, sessions.convener, source);
    const authors = await Promise.all(Array.from({ length: 40 }, (_, i) => createUser(app, { affiliation: `Member State ${i}` })));
    await app.prisma.comment.createMany({
      data: Array.from({ length: 1000 }, (_, i) => ({
        id: uuidv7(),
        documentId: document.id,
        revisionId: revision.id,
        clauseId: i % 25 === 0 ? null : revision.clauses[i % revision.clauses.length]!.id,
        authorId: authors[i % authors.length]!.id,
        type: (['GENERAL', 'TECHNICAL', 'EDITORIAL'] as const)[i % 3],
        body: `Comment ${i}`,
        bodyHtml: `<p>Comment ${i}</p>`,
      })),
    });
    const milestone = await app.prisma.milestone.create({
      data: { groupId: group.id, at: new Date(), kind: 'COMMENTS_CLOSE', label: 'Comments close', effect: 'CLOSE_COMMENTS', revisionId: revision.id },
    });
    const reached: ReachedMilestone = { tx: app.prisma as unknown as Tx, milestone, group, firedAt: new Date(), late: false };
    const counts = (await app.digestSources.read('commentCounts', reached))!;
    expect(counts.total).toBe(1000);
    expect(counts.byAffiliation).toHaveLength(40);
    const view = periodClosedDigest({
      group: digestGroup(group),
      links: groupLinks(app.config, group.slug),
      milestoneLabel: 'Comments close',
      closedAt: milestone.at,
      counts,
      next: null,
      url: null,
    });
    const { html } = app.mailer.render('digest', { ...view, recipientNote: 'List copy', unsubscribeUrl: false });
    expect(Buffer.byteLength(html)).toBeLessThan(100 * 1024);
    expect(html).toContain('1,000 comments');
    void people;
  });
});
