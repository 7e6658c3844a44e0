// Milestone digests end to end: a real SMTP server receives them, mailparser reads them back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedMail } from 'mailparser';
import { createTestApp, randomIp, type TestApp } from '../helpers/app.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.ts';
import { createUser, signIn } from '../helpers/factories.ts';
import { accessOf, addMilestone, createListGroup, deliveriesSettled, until } from '../helpers/digests.ts';
import { deleteMilestone, updateMilestone } from '../../server/modules/timeframe/manage-milestones.ts';
import { countComments } from '../../server/modules/digests/digest-content.ts';
import { unsubscribeToken } from '../../server/modules/digests/digest-mail.ts';
import { fireMilestone } from '../../server/modules/timeframe/fire-milestone.ts';
import type { Tx } from '../../server/lib/use-case.ts';

let app: TestApp;
let sink: SmtpSink;

const HOSTILE = 'Threats <mj-text>{{#x}}</mj-text><script>alert(1)</script>';

beforeAll(async () => {
  sink = await startSmtpSink();
  app = await createTestApp({ env: { SMTP_URL: sink.url, PUBLIC_URL: 'https://convene.example.org' }, limits: { milestoneLateAfterMs: 1500 } });
  // A clause title typed by a participant, hostile on purpose: the digest must escape it.
  app.digestSources.provide('commentCounts', async () =>
    countComments([
      { clause: '7.1', clauseTitle: HOSTILE, type: 'technical', affiliation: 'SG17 / Testland', replies: 2 },
      { clause: '7.1', clauseTitle: HOSTILE, type: 'editorial', affiliation: 'SG20', replies: 0 },
      { clause: '', clauseTitle: '', type: 'general', affiliation: '', replies: 1 },
    ]),
  );
});
afterAll(async () => {
  await app?.close();
  await sink?.close();
});

const to = (m: ParsedMail) => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address?.toLowerCase();
const mailTo = (address: string) => sink.messages.filter((m) => to(m) === address.toLowerCase());
const _header = (m: ParsedMail, name: string) => {
  const v = m.headers.get(name);
  return typeof v === 'string' ? v : JSON.stringify(v);
};

describe('a milestone reached', () => {
  it('mails one digest to the list and each subscriber with list headers, threading and both parts', async () => {
    const { group, convener, subscribers, listAddress } = await createListGroup(app, { subscribers: 2 });
    await addMilestone(app, { group, actor: convener, inMs: 800, label: 'Document closed for adjudication' });
    await deliveriesSettled(app, group.id);
    await sink.waitFor(sink.messages.length); // parsed
    const list = mailTo(listAddress);
    const personal = mailTo(subscribers[0]!);
    expect(list).toHaveLength(1);
    expect(personal).toHaveLength(1);
    expect(mailTo(subscribers[1]!)).toHaveLength(1);

    const mail = personal[0]!;
    // Unfolded header block (long headers are folded onto continuation lines).
    const raw = sink.raw[sink.messages.indexOf(mail)]!.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
    expect(mail.subject).toBe(`[${group.acronym}] Comment period closed: 3 comments received`);
    expect(mail.messageId).toMatch(/^<digest-[0-9a-f-]{36}\.[0-9a-f]{20}@convene\.example\.org>$/);
    expect(mail.inReplyTo).toBe(`<digests-${group.id}@convene.example.org>`);
    expect(mail.references).toContain(`<digests-${group.id}@convene.example.org>`);
    expect(mail.replyTo?.value[0]?.address).toBe(listAddress);
    expect(raw).toMatch(new RegExp(`^List-Id: "Correspondence group ${group.slug}" <${group.slug}\\.convene\\.example\\.org>$`, 'mi'));
    expect(raw).toMatch(
      /^List-Unsubscribe: <https:\/\/convene\.example\.org\/digests\/unsubscribe\?token=[\w.-]+>, <mailto:convene@localhost\?subject=unsubscribe%20[\w.-]+>$/m,
    );
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
    expect(raw).toMatch(/^List-Archive: <https:\/\/convene\.example\.org\/groups\/.+\/digests\/[0-9a-f-]{36}>/m);
    // Both parts, with the deadline in UTC and the group's zone.
    expect(mail.text).toContain('UTC');
    expect(mail.text).toContain('Europe/Zurich');
    expect(mail.text).toContain('Technical (te): 1');
    expect(mail.html).toContain('By affiliation');
    expect(mail.html).toContain('Unsubscribe</a>');
    // The list's copy has no personal unsubscribe link (the list server has its own).
    expect(list[0]!.headers.get('list-unsubscribe')).toBeUndefined();
    expect(list[0]!.messageId).not.toBe(mail.messageId);
  });

  // The rest wait on their milestones' instants, each on its own group: they wait together.
  it.concurrent('is published by the timeframe as milestones.reached, once, and its digest is made in that transaction', async () => {
    const { group, convener } = await createListGroup(app);
    const reached: Array<{ milestoneId: string; at: string }> = [];
    app.ctx.events.on('milestones.reached', (e) => {
      if (e.groupId === group.id) reached.push(e);
    });
    const milestone = await addMilestone(app, { group, actor: convener, inMs: 800 });
    await deliveriesSettled(app, group.id);
    await app.ctx.events.drain();
    const job = { milestoneId: milestone.id, at: milestone.at.toISOString() };
    expect(reached).toEqual([expect.objectContaining(job)]);
    const digest = await app.prisma.digest.findUniqueOrThrow({ where: { key: `milestone:${milestone.id}:${job.at}` } });
    // The reaching and its digest were one transaction: a second run of the job does neither again.
    expect(await fireMilestone(app.ctx, job)).toBeNull();
    await app.ctx.events.drain();
    expect(reached).toHaveLength(1);
    expect(await app.prisma.digest.findMany({ where: { milestoneId: milestone.id }, select: { id: true } })).toEqual([{ id: digest.id }]);
  });

  it.concurrent("reads this app's digest sources even after another app is built in the same process", async () => {
    const { group, convener } = await createListGroup(app);
    const milestone = await addMilestone(app, { group, actor: convener, inMs: 3_600_000 });
    const other = await createTestApp();
    try {
      const reached = {
        tx: app.prisma as unknown as Tx,
        milestone,
        group: await app.prisma.group.findUniqueOrThrow({ where: { id: group.id } }),
        firedAt: new Date(),
        late: false,
      };
      // This app's stand-in (beforeAll) stays; the other app has the real source (no revision here: nothing to count).
      expect((await app.digestSources.read('commentCounts', reached))?.total).toBe(3);
      expect(await other.digestSources.read('commentCounts', reached)).toBeNull();
    } finally {
      await other.close();
    }
  });

  it.concurrent('escapes comment text with MJML, HTML and template syntax in the HTML part and keeps it literal in the text part', async () => {
    const { group, convener, listAddress } = await createListGroup(app);
    await addMilestone(app, { group, actor: convener, inMs: 600 });
    await deliveriesSettled(app, group.id);
    const [mail] = await until(async () => mailTo(listAddress).length && mailTo(listAddress));
    expect(mail!.html).not.toContain('<script>');
    expect(mail!.html).not.toContain('<mj-text>{{');
    expect(mail!.html).toContain('&lt;mj-text&gt;{{#x}}&lt;&#x2F;mj-text&gt;&lt;script&gt;');
    expect(mail!.text).toContain(HOSTILE);
  });

  it.concurrent('threads a group’s second digest under the first', async () => {
    const { group, convener, subscribers } = await createListGroup(app, { subscribers: 1 });
    await addMilestone(app, { group, actor: convener, inMs: 500, kind: 'meeting', label: 'Electronic meeting' });
    await deliveriesSettled(app, group.id, 1);
    await addMilestone(app, { group, actor: convener, inMs: 400, kind: 'final_report_published', label: 'Final report' });
    await deliveriesSettled(app, group.id, 2);
    const [first, second] = await until(async () => mailTo(subscribers[0]!).length === 2 && mailTo(subscribers[0]!));
    expect(second!.inReplyTo).toBe(first!.messageId);
    expect(second!.references).toEqual([`<digests-${group.id}@convene.example.org>`, first!.messageId]);
  });

  it.concurrent('never fires a deleted milestone', async () => {
    const { group, convener } = await createListGroup(app);
    const m = await addMilestone(app, { group, actor: convener, inMs: 700 });
    await deleteMilestone(app.ctx, { access: await accessOf(app, group, convener), milestoneId: m.id });
    await new Promise((r) => setTimeout(r, 2000));
    expect(await app.prisma.digest.count({ where: { groupId: group.id } })).toBe(0);
  });

  it.concurrent('fires a rescheduled milestone only at its new time', async () => {
    const { group, convener } = await createListGroup(app);
    const m = await addMilestone(app, { group, actor: convener, inMs: 600 });
    const newAt = new Date(Date.now() + 2500);
    await updateMilestone(app.ctx, { access: await accessOf(app, group, convener), milestoneId: m.id, at: newAt.toISOString() });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await app.prisma.digest.count({ where: { groupId: group.id } })).toBe(0);
    const [digest] = await until(async () => {
      const d = await app.prisma.digest.findMany({ where: { groupId: group.id } });
      return d.length && d;
    });
    expect(digest!.createdAt.getTime()).toBeGreaterThanOrEqual(newAt.getTime());
    await new Promise((r) => setTimeout(r, 800));
    expect(await app.prisma.digest.count({ where: { groupId: group.id } })).toBe(1);
  });

  it.concurrent('sends the reminder a configured time before a comment deadline', async () => {
    const { group, convener, listAddress } = await createListGroup(app);
    // Default reminders are 7 days and 24 hours before: the 24-hour one is due in a moment.
    await addMilestone(app, { group, actor: convener, inMs: 24 * 3_600_000 + 700, label: 'Comments on the draft close' });
    const [mail] = await until(async () => mailTo(listAddress).length && mailTo(listAddress));
    expect(mail!.subject).toBe(`[${group.acronym}] 1 day left: Comments on the draft close`);
    expect(mail!.text).toMatch(/Deadline:\n\s+\w+ \d+ \w+ \d{4}, \d\d:\d\d UTC\n\s+.* Europe\/Zurich/);
    const digests = await app.prisma.digest.findMany({ where: { groupId: group.id } });
    expect(digests.map((d) => d.kind)).toEqual(['REMINDER']);
  });
});

describe('the digest archive', () => {
  it('shows a public group’s digests exactly as sent, with delivery status, without signing in', async () => {
    const { group, convener } = await createListGroup(app, { subscribers: 1 });
    await addMilestone(app, { group, actor: convener, inMs: 400, kind: 'meeting', label: 'Meeting' });
    await deliveriesSettled(app, group.id);
    const list = await app.inject({ url: `/api/groups/${group.slug}/digests` });
    expect(list.statusCode).toBe(200);
    const [summary] = list.json().digests;
    expect(summary.delivery).toEqual({ total: 2, sent: 2, pending: 0, failed: 0, dead: 0 });
    const one = await app.inject({ url: `/api/groups/${group.slug}/digests/${summary.id}` });
    const stored = await app.prisma.digest.findUniqueOrThrow({ where: { id: summary.id } });
    expect(one.json().html).toBe(stored.html);
    expect(one.json().deliveries).toBeUndefined(); // addresses are not public
    const sent = sink.messages.find((m) => m.messageId?.startsWith(`<digest-${summary.id}.`) && to(m) === group.mailingList);
    expect(sent?.html).toBe(stored.html);
    const page = await app.inject({ url: `/api/groups/${group.slug}/digests/${summary.id}/html` });
    expect(page.headers['content-security-policy']).toContain('sandbox');
  });

  it('answers 404 for a private group’s archive without signing in and for non-members', async () => {
    const { group } = await createListGroup(app, { visibility: 'PRIVATE' });
    expect((await app.inject({ url: `/api/groups/${group.slug}/digests` })).statusCode).toBe(404);
  });
});

describe('subscribing without an account', () => {
  const subscribe = (slug: string, email: unknown) =>
    app.inject({ method: 'POST', url: `/api/groups/${slug}/digests/subscribe`, payload: { email }, remoteAddress: randomIp() });

  it('refuses a malformed address with 400 and a private group with 404', async () => {
    const { group } = await createListGroup(app);
    const bad = await subscribe(group.slug, 'not an address\r\nBcc: x@y');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('invalid_request');
    const priv = await createListGroup(app, { visibility: 'PRIVATE' });
    expect((await subscribe(priv.group.slug, 'someone@example.test')).statusCode).toBe(404);
    expect(await app.prisma.digestSubscription.count({ where: { groupId: { in: [group.id, priv.group.id] } } })).toBe(0);
  });

  it('confirms by the e-mailed link once; a reused, expired or bad link shows a page and changes nothing', async () => {
    const { group } = await createListGroup(app);
    const email = `reader-${Date.now()}@example.test`;
    expect((await subscribe(group.slug, email)).statusCode).toBe(202);
    const mail = await until(async () => {
      await app.ctx.events.drain();
      return mailTo(email)[0];
    });
    const link = mail.text!.match(/https:\/\/\S+\/digests\/confirm\?token=[\w-]+/)![0];
    const token = new URL(link).searchParams.get('token')!;
    // Opening the link (mail scanners do) changes nothing.
    const opened = await app.inject({ url: `/digests/confirm?token=${token}` });
    expect(opened.statusCode).toBe(200);
    expect(opened.body).toContain('Confirm');
    expect((await app.prisma.digestSubscription.findFirstOrThrow({ where: { groupId: group.id, email } })).state).toBe('PENDING');
    const confirmed = await app.inject({
      method: 'POST',
      url: '/digests/confirm',
      payload: `token=${token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.body).toContain('You are subscribed');
    const reused = await app.inject({
      method: 'POST',
      url: '/digests/confirm',
      payload: `token=${token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(reused.statusCode).toBe(410);
    expect(reused.body).toContain('already used');
    const bad = await app.inject({ url: '/digests/confirm?token=nonsense' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('not valid');

    const other = `late-${Date.now()}@example.test`;
    await subscribe(group.slug, other);
    const lateMail = await until(async () => {
      await app.ctx.events.drain();
      return mailTo(other)[0];
    });
    const lateToken = new URL(lateMail.text!.match(/https:\/\/\S+\/digests\/confirm\?token=[\w-]+/)![0]).searchParams.get('token')!;
    await app.prisma.digestSubscription.updateMany({ where: { groupId: group.id, email: other }, data: { confirmExpiresAt: new Date(Date.now() - 1000) } });
    const expired = await app.inject({ method: 'POST', url: '/digests/confirm', payload: { token: lateToken } });
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('expired');
    expect((await app.prisma.digestSubscription.findFirstOrThrow({ where: { groupId: group.id, email: other } })).state).toBe('PENDING');
  });
});

describe('one-click unsubscribe (RFC 8058)', () => {
  it('unsubscribes without cookies, idempotently; a bad token changes nothing', async () => {
    const { group, subscribers } = await createListGroup(app, { subscribers: 2 });
    const sub = await app.prisma.digestSubscription.findFirstOrThrow({ where: { groupId: group.id, email: subscribers[0]! } });
    const token = unsubscribeToken(app.config, sub.id);
    const opened = await app.inject({ url: `/digests/unsubscribe?token=${token}` });
    expect(opened.statusCode).toBe(200);
    expect((await app.prisma.digestSubscription.findUniqueOrThrow({ where: { id: sub.id } })).state).toBe('CONFIRMED');

    const oneClick = () =>
      app.inject({
        method: 'POST',
        url: `/digests/unsubscribe?token=${token}`,
        payload: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        remoteAddress: randomIp(),
      });
    const first = await oneClick();
    expect(first.statusCode).toBe(200);
    expect(first.headers['set-cookie']).toBeUndefined();
    expect((await app.prisma.digestSubscription.findUniqueOrThrow({ where: { id: sub.id } })).state).toBe('UNSUBSCRIBED');
    const again = await oneClick();
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain('already unsubscribed');

    const forged = await app.inject({
      method: 'POST',
      url: `/digests/unsubscribe?token=${token.slice(0, -2)}xx`,
      payload: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(forged.statusCode).toBe(400);
    const other = await app.prisma.digestSubscription.findFirstOrThrow({ where: { groupId: group.id, email: subscribers[1]! } });
    expect(other.state).toBe('CONFIRMED');
  });

  it('is rate-limited per address', async () => {
    const ip = randomIp();
    const answers = [];
    for (let i = 0; i < app.config.limits.listRequestsPerIp + 1; i++) {
      answers.push((await app.inject({ method: 'POST', url: '/digests/unsubscribe?token=bad', remoteAddress: ip })).statusCode);
    }
    expect(answers.at(-1)).toBe(429);
  });
});

describe('members and settings', () => {
  it('lets a member opt in to individual digests and a convener change reminder times', async () => {
    const { group, convener } = await createListGroup(app, { visibility: 'PRIVATE' });
    const member = await createUser(app);
    await app.prisma.membership.create({ data: { groupId: group.id, userId: member.id, role: 'PARTICIPANT' } });
    const memberSession = await signIn(app, member.email, async (e) => {
      const m = await until(async () => {
        await app.ctx.events.drain();
        return mailTo(e).at(-1);
      });
      return m.text!.match(/https?:\/\/\S+\/sign-in\/verify\?token=[\w-]+/)![0];
    });
    const opted = await app.inject({
      method: 'PUT',
      url: `/api/groups/${group.slug}/digests/subscription`,
      payload: { subscribed: true },
      headers: memberSession.headers,
    });
    expect(opted.json()).toEqual({ subscribed: true });
    const denied = await app.inject({
      method: 'PUT',
      url: `/api/groups/${group.slug}/digest-settings`,
      payload: { reminderHours: [48] },
      headers: memberSession.headers,
    });
    expect(denied.statusCode).toBe(403);

    const convenerSession = await signIn(app, convener.email, async (e) => {
      const m = await until(async () => {
        await app.ctx.events.drain();
        return mailTo(e).at(-1);
      });
      return m.text!.match(/https?:\/\/\S+\/sign-in\/verify\?token=[\w-]+/)![0];
    });
    const changed = await app.inject({
      method: 'PUT',
      url: `/api/groups/${group.slug}/digest-settings`,
      payload: { reminderHours: [24, 72, 24] },
      headers: convenerSession.headers,
    });
    expect(changed.json()).toEqual({ reminderHours: [72, 24] });
    const bad = await app.inject({
      method: 'PUT',
      url: `/api/groups/${group.slug}/digest-settings`,
      payload: { reminderHours: [0] },
      headers: convenerSession.headers,
    });
    expect(bad.statusCode).toBe(400);
  });
});
