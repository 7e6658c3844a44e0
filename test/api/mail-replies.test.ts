// Taking part by e-mail, end to end over real SMTP: Convene mails a member (notification with a
// reply address), the member's client replies to Convene's own SMTP receiver, and the reply becomes
// what the web would have made (through the same use cases), with an answer mail to the sender.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestReply, issueReply } from '../../server/modules/mailin/issue-reply.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { adjudicationScene, inHours, sessionFor, type Scene } from '../helpers/dispositions.ts';
import { createUser } from '../helpers/factories.ts';
import { deliver, mailTo, nextMail, processed, replyToOf } from '../helpers/mail-replies.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.ts';
import { until } from '../helpers/digests.ts';
import { startImapServer, type ImapServer } from '../helpers/imap.ts';

const DOMAIN = 'reply.convene.test';
const SECRET = 'pipe-secret-pipe-secret-0123456789';
// A domain that publishes DKIM, SPF and a DMARC reject policy in the stub DNS below.
const SIGNED = 'signed.example.test';
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const dkimTxt = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;

let app: TestApp;
let sink: SmtpSink;
let imap: ImapServer;
beforeAll(async () => {
  sink = await startSmtpSink();
  imap = await startImapServer();
  app = await createTestApp({
    env: {
      SMTP_URL: sink.url,
      MAIL_REPLY_DOMAIN: DOMAIN,
      MAIL_INBOUND_SMTP: 'on',
      MAIL_INBOUND_SMTP_PORT: '0',
      MAIL_INBOUND_SECRET: SECRET,
      // Polled by the test itself (pollOnce), not on a timer.
      IMAP_URL: imap.url,
      IMAP_POLL_SECONDS: '3600',
    },
  });
  // No DNS on this machine: a stub that knows SIGNED's records and nothing else.
  app.mailIntake.resolver = async (name: string, rrtype: string) => {
    const records: Record<string, string[][]> = {
      [`sel._domainkey.${SIGNED}`]: [[dkimTxt]],
      [`_dmarc.${SIGNED}`]: [['v=DMARC1; p=reject']],
      [SIGNED]: [['v=spf1 -all']],
    };
    const found = rrtype === 'TXT' ? records[name.toLowerCase()] : undefined;
    if (found) return found;
    throw Object.assign(new Error(`no ${rrtype} record for ${name}`), { code: 'ENOTFOUND' });
  };
});
afterAll(async () => {
  await app?.close();
  await sink?.close();
  await imap?.close();
});

const msgId = () => `<${randomBytes(8).toString('hex')}@client.example.test>`;
const answerTo = (to: string, inReplyTo: string) => nextMail(app, sink, to, (m) => m.inReplyTo === inReplyTo);

async function immediately(userId: string, kind: 'thread_reply' | 'disposition_awaiting_response') {
  await app.prisma.notificationSetting.upsert({
    where: { userId_kind: { userId, kind: kind.toUpperCase() as 'THREAD_REPLY' } },
    create: { userId, kind: kind.toUpperCase() as 'THREAD_REPLY', mode: 'IMMEDIATELY' },
    update: { mode: 'IMMEDIATELY' },
  });
}

/** A thread reply by commenter2 on c1, so that c1's author (participant) is mailed a reply address. */
async function threadNotification(scene: Scene) {
  await immediately(scene.participant.id, 'thread_reply');
  const s = await sessionFor(app, scene.commenter2);
  const res = await app.inject({
    method: 'POST',
    url: `${scene.commentUrl(scene.comments.c1.id)}/replies`,
    headers: s.headers,
    payload: { body: 'Which storage do you mean?' },
  });
  expect(res.statusCode).toBe(201);
  return nextMail(app, sink, scene.participant.email, (m) => /replied in a thread/.test(m.subject ?? ''));
}

describe('a reply to a thread notification', () => {
  it('becomes a reply in that thread, without the quoted mail (Gmail quoting), and the sender is told it is recorded', async () => {
    const scene = await adjudicationScene(app, { periodOpen: true });
    const note = await threadNotification(scene);
    const address = replyToOf(note)!;
    expect(address).toMatch(new RegExp(`^reply\\+[a-z2-7]{32}@${DOMAIN.replaceAll('.', '\\.')}$`));
    expect(address.split('@')[0]!.length).toBeLessThanOrEqual(64);
    expect(note.text).toContain('Reply to this e-mail to answer in the thread');
    const id = msgId();
    await deliver(app, {
      from: `Participant <${scene.participant.email}>`,
      to: address,
      subject: `Re: ${note.subject}`,
      messageId: id,
      text: `Secure elements, as in clause 8.\n\nOn Sun, 6 Dec 2026 at 08:00, Convene <convene@localhost> wrote:\n> Which storage do you mean?\n> --\n> You receive this because of your notification settings`,
    });
    const row = await processed(app, id);
    expect(row).toMatchObject({ outcome: 'accepted', purpose: 'thread_reply', source: 'smtp', answered: true });
    const reply = await app.prisma.comment.findUniqueOrThrow({ where: { id: row.id } });
    expect(reply).toMatchObject({ parentId: scene.comments.c1.id, authorId: scene.participant.id, body: 'Secure elements, as in clause 8.' });
    // The same audit entry as the web's.
    expect(await app.prisma.auditEntry.count({ where: { entityId: row.id, action: 'comments.created' } })).toBe(1);
    const answer = await answerTo(scene.participant.email, id);
    expect(answer.text).toContain('Your reply in the thread on clause 7.1 of "Report on security and privacy aspects of IoT" is recorded.');
    expect(answer.headers.get('auto-submitted')).toBe('auto-replied');
  });

  it('is refused when it comes from another address than the member’s (spoofed From), and nothing is posted', async () => {
    const scene = await adjudicationScene(app, { periodOpen: true });
    const address = replyToOf(await threadNotification(scene))!;
    const before = await app.prisma.comment.count({ where: { parentId: scene.comments.c1.id } });
    const id = msgId();
    await deliver(app, {
      from: `Mallory <${scene.commenter2.email}>`,
      to: address,
      subject: 'Re: thread',
      messageId: id,
      text: 'I am the participant, honestly.',
    });
    const row = await processed(app, id);
    expect(row).toMatchObject({ outcome: 'refused', reason: 'sender_mismatch' });
    expect(await app.prisma.comment.count({ where: { parentId: scene.comments.c1.id } })).toBe(before);
    const answer = await answerTo(scene.commenter2.email, id);
    expect(answer.text).toContain('is not the address this reply address was sent to');
  });

  it('is refused once the deadline has passed at receipt (database clock), with the deadline in the answer', async () => {
    const scene = await adjudicationScene(app, { periodOpen: true });
    const address = replyToOf(await threadNotification(scene))!;
    // The period closes a second ago by the database's clock.
    await app.prisma.$executeRaw`UPDATE "CommentPeriod" SET "closesAt" = now() - interval '1 second' WHERE id = ${scene.period.id}::uuid`;
    const before = await app.prisma.comment.count({ where: { parentId: scene.comments.c1.id } });
    const id = msgId();
    await deliver(app, { from: scene.participant.email, to: address, subject: 'Re: thread', messageId: id, text: 'Too late?' });
    const row = await processed(app, id);
    expect(row).toMatchObject({ outcome: 'refused', reason: 'deadline_passed' });
    expect(await app.prisma.comment.count({ where: { parentId: scene.comments.c1.id } })).toBe(before);
    const answer = await answerTo(scene.participant.email, id);
    expect(answer.text).toMatch(/not recorded: it was received .* after the deadline of what it answers \(.*UTC/);
  });

  it('is recorded once when the same message is delivered twice', async () => {
    const scene = await adjudicationScene(app, { periodOpen: true });
    const address = replyToOf(await threadNotification(scene))!;
    const id = msgId();
    const message = { from: scene.participant.email, to: address, subject: 'Re: thread', messageId: id, text: 'Said once, delivered twice.' };
    await deliver(app, message);
    await processed(app, id);
    await deliver(app, message);
    await app.ctx.events.drain();
    const row = await app.prisma.inboundMessage.findUniqueOrThrow({ where: { messageId: id } });
    expect(row.deliveries).toBe(2);
    expect(await app.prisma.comment.count({ where: { parentId: scene.comments.c1.id, body: 'Said once, delivered twice.' } })).toBe(1);
    await answerTo(scene.participant.email, id);
    expect(row.answered).toBe(true);
    expect(sink.messages.filter((m) => m.inReplyTo === id)).toHaveLength(1);
  });

  it('never answers nor posts an auto-reply (Auto-Submitted, Precedence bulk, mailer-daemon)', async () => {
    const scene = await adjudicationScene(app, { periodOpen: true });
    const address = replyToOf(await threadNotification(scene))!;
    const ids = [msgId(), msgId(), msgId()];
    await deliver(app, {
      from: scene.participant.email,
      to: address,
      subject: 'Out of office',
      messageId: ids[0],
      headers: { 'Auto-Submitted': 'auto-replied' },
      text: 'I am away.',
    });
    await deliver(app, { from: scene.participant.email, to: address, subject: 'Away', messageId: ids[1], headers: { Precedence: 'bulk' }, text: 'I am away.' });
    await deliver(app, { from: `MAILER-DAEMON@${SIGNED}`, to: address, subject: 'Undeliverable', messageId: ids[2], text: 'Could not deliver.' });
    for (const id of ids) expect(await processed(app, id)).toMatchObject({ outcome: 'ignored', reason: 'auto_generated', answered: false });
    expect(await app.prisma.comment.count({ where: { parentId: scene.comments.c1.id, body: { contains: 'away' } } })).toBe(0);
    expect(sink.messages.filter((m) => ids.includes(m.inReplyTo ?? ''))).toHaveLength(0);
  });
});

describe('answers', () => {
  it('are rate-limited per sender (counted in PostgreSQL): past the limit a message is recorded but not answered', async () => {
    const limits = app.ctx.config.limits;
    const saved = limits.mailAnswersPerSender;
    limits.mailAnswersPerSender = { max: 2, windowMs: 60_000 };
    try {
      const sender = `loop-${randomBytes(4).toString('hex')}@example.test`;
      const ids = [msgId(), msgId(), msgId()];
      // At once, as a loop would send them: stored and processed together or not, two are answered.
      await Promise.all(ids.map((id) => deliver(app, { from: sender, to: `hello@${DOMAIN}`, subject: 'Hello', messageId: id, text: 'Is anyone there?' })));
      const rows = await Promise.all(ids.map((id) => processed(app, id)));
      expect(rows.map((r) => r.reason)).toEqual(['no_reply_address', 'no_reply_address', 'no_reply_address']);
      expect(rows.filter((r) => r.answered)).toHaveLength(2);
      // The two answers queued (answered: true above) reach the SMTP server.
      const answers = await until(
        () => {
          const found = sink.messages.filter((m) => ids.includes(m.inReplyTo ?? ''));
          return found.length >= 2 ? found : null;
        },
        15_000,
        'two answers',
      );
      expect(answers).toHaveLength(2);
      expect(answers[0]!.text).toContain('reply to a notification or a digest Convene sent you');
    } finally {
      limits.mailAnswersPerSender = saved;
    }
  });
});

describe('a reply to a proposed disposition', () => {
  async function proposal(scene: Scene) {
    await immediately(scene.participant.id, 'disposition_awaiting_response');
    const convener = await sessionFor(app, scene.convener);
    const res = await app.inject({
      method: 'PUT',
      url: `${scene.commentUrl(scene.comments.c1.id)}/disposition`,
      headers: convener.headers,
      payload: { expectedVersion: 0, disposition: 'rejected', rationale: 'Out of scope.', respondBy: inHours(48) },
    });
    expect(res.statusCode).toBe(200);
    return nextMail(app, sink, scene.participant.email, (m) => /answer is awaited/.test(m.subject ?? ''));
  }

  it('"object" with reasons records the objection through the disposition use case (Outlook quoting)', async () => {
    const scene = await adjudicationScene(app);
    const mail = await proposal(scene);
    expect(mail.text).toContain('write "agree" on the first line, or "object" followed by your reasons');
    const id = msgId();
    await deliver(app, {
      from: scene.participant.email,
      to: replyToOf(mail)!,
      subject: `RE: ${mail.subject}`,
      messageId: id,
      text: `Object. Tamper resistance is in scope of clause 7.1.\r\n\r\n________________________________\r\nFrom: Convene <convene@localhost>\r\nSent: Sunday, December 6, 2026 8:00 AM\r\nTo: Participant\r\nSubject: Your answer is awaited\r\n\r\nDisposition: Rejected`,
    });
    expect(await processed(app, id)).toMatchObject({ outcome: 'accepted', purpose: 'disposition_response' });
    const d = await app.prisma.disposition.findUniqueOrThrow({ where: { commentId: scene.comments.c1.id } });
    expect(d).toMatchObject({ responseKind: 'OBJECT', responseText: 'Tamper resistance is in scope of clause 7.1.' });
    const answer = await answerTo(scene.participant.email, id);
    expect(answer.text).toContain('Your answer "object" to the proposed disposition "Rejected"');
  });

  it('"agree" (Thunderbird quoting) records the agreement; a second answer to the same proposal is refused as the web refuses it', async () => {
    const scene = await adjudicationScene(app);
    const mail = await proposal(scene);
    const [first, second] = [msgId(), msgId()];
    await deliver(app, {
      from: scene.participant.email,
      to: replyToOf(mail)!,
      subject: `Re: ${mail.subject}`,
      messageId: first,
      text: 'Agreed, thanks.\n\n-- \nPat Participant\n\nOn 06/12/2026 09:00, Convene wrote:\n> Disposition: Rejected',
    });
    expect(await processed(app, first)).toMatchObject({ outcome: 'accepted' });
    expect(await app.prisma.disposition.findUniqueOrThrow({ where: { commentId: scene.comments.c1.id } })).toMatchObject({
      responseKind: 'AGREE',
      responseText: 'thanks.',
    });
    await deliver(app, { from: scene.participant.email, to: replyToOf(mail)!, subject: 'Re: again', messageId: second, text: 'object after all' });
    const refusedRow = await processed(app, second);
    expect(refusedRow.outcome).toBe('refused');
    expect(await app.prisma.disposition.findUniqueOrThrow({ where: { commentId: scene.comments.c1.id } })).toMatchObject({ responseKind: 'AGREE' });
  });

  it('an objection written in the reader\'s language ("Pas d’accord", Gmail quoting) is recorded with its reasons', async () => {
    const scene = await adjudicationScene(app);
    const mail = await proposal(scene);
    const id = msgId();
    await deliver(app, {
      from: scene.participant.email,
      to: replyToOf(mail)!,
      subject: `Re: ${mail.subject}`,
      messageId: id,
      text: 'Pas d’accord : la résistance aux manipulations relève de 7.1.\n\nLe dim. 6 déc. 2026 à 09:00, Convene <convene@localhost> a écrit :\n> Disposition: Rejected',
    });
    expect(await processed(app, id)).toMatchObject({ outcome: 'accepted', purpose: 'disposition_response' });
    expect(await app.prisma.disposition.findUniqueOrThrow({ where: { commentId: scene.comments.c1.id } })).toMatchObject({
      responseKind: 'OBJECT',
      responseText: 'la résistance aux manipulations relève de 7.1.',
    });
  });

  it('answers a French member in French: the answer recorded, an unclear one, and the use case refusing a second one', async () => {
    const scene = await adjudicationScene(app);
    const mail = await proposal(scene);
    // French from here on (the notification's own words are the catalogue's: test/unit/mailin/reply-answer.test.ts).
    await app.prisma.user.update({ where: { id: scene.participant.id }, data: { locale: 'fr' } });
    const [first, unclear, second] = [msgId(), msgId(), msgId()];
    const send = (messageId: string, text: string) =>
      deliver(app, { from: scene.participant.email, to: replyToOf(mail)!, subject: `Re: ${mail.subject}`, messageId, text });
    await send(first, 'D’accord, merci.');
    expect(await processed(app, first)).toMatchObject({ outcome: 'accepted' });
    expect((await answerTo(scene.participant.email, first)).text).toContain('Votre réponse « d’accord » à la suite proposée « Rejeté »');
    await send(unclear, 'Peut-être.');
    expect(await processed(app, unclear)).toMatchObject({ outcome: 'refused', reason: 'unclear_answer' });
    expect((await answerTo(scene.participant.email, unclear)).text).toContain('sa première ligne doit être « d’accord »');
    await send(second, 'Objection finalement.');
    expect(await processed(app, second)).toMatchObject({ outcome: 'refused' });
    const refusal = (await answerTo(scene.participant.email, second)).text!;
    expect(refusal).toMatch(/^Votre réponse n’a pas été enregistrée : \S/m);
    expect(refusal).not.toContain('was not recorded');
  });

  it('a first line that is neither agree nor object is refused with the rule', async () => {
    const scene = await adjudicationScene(app);
    const mail = await proposal(scene);
    const id = msgId();
    await deliver(app, { from: scene.participant.email, to: replyToOf(mail)!, subject: 'Re: proposal', messageId: id, text: 'Let me think about it.' });
    expect(await processed(app, id)).toMatchObject({ outcome: 'refused', reason: 'unclear_answer' });
    const d = await app.prisma.disposition.findUniqueOrThrow({ where: { commentId: scene.comments.c1.id } });
    expect(d.responseKind).toBeNull();
    expect((await answerTo(scene.participant.email, id)).text).toContain('its first line must be "agree", or "object"');
  });
});

describe("the answer to a reply, in the reader's language", () => {
  it('tells a French member in French that the comment is recorded, and that the deadline had passed, with its instants', async () => {
    const scene = await adjudicationScene(app, { periodOpen: true });
    await app.prisma.user.update({ where: { id: scene.participant.id }, data: { locale: 'fr' } });
    const reply = await issueReply(app.ctx, scene.participant.id, { purpose: 'clause_comment', targetId: scene.revision.id });
    const recorded = msgId();
    await deliver(app, {
      from: scene.participant.email,
      to: reply!.address,
      subject: 'Comment on clause 7.2',
      messageId: recorded,
      text: 'Chiffrer les liaisons.',
    });
    const row = await processed(app, recorded);
    expect(row.outcome).toBe('accepted');
    // The operator's inbound log keeps the English sentence; the member reads French.
    expect(row.detail).toContain('Your comment on clause 7.2');
    expect((await answerTo(scene.participant.email, recorded)).text).toContain(
      `Votre commentaire sur l’article 7.2 de « ${scene.document.title} » est enregistré.`,
    );

    await app.prisma.commentPeriod.updateMany({ where: { revisionId: scene.revision.id }, data: { closesAt: new Date(Date.UTC(2026, 0, 15, 23, 59)) } });
    const late = msgId();
    await deliver(app, { from: scene.participant.email, to: reply!.address, subject: 'Comment on clause 7.1', messageId: late, text: 'Trop tard ?' });
    expect(await processed(app, late)).toMatchObject({ outcome: 'refused', reason: 'deadline_passed' });
    const text = (await answerTo(scene.participant.email, late)).text!;
    expect(text).toContain('Votre réponse n’a pas été enregistrée : elle a été reçue le ');
    expect(text).toContain('15 janvier 2026');
    expect(text).not.toMatch(/was not recorded|January/);
  });
});

describe('a new comment by mail', () => {
  it('lands on the clause named in the subject, with its Type and Proposed change lines (Apple Mail quoting)', async () => {
    const scene = await adjudicationScene(app, { periodOpen: true });
    const reply = await issueReply(app.ctx, scene.participant.id, { purpose: 'clause_comment', targetId: scene.revision.id });
    const id = msgId();
    await deliver(app, {
      from: scene.participant.email,
      to: reply!.address,
      subject: 'Comment on clause 7.2',
      messageId: id,
      text: `Eavesdropping needs a countermeasure.\nType: technical\nProposed change: Add "encrypt links".\n\nOn 6 Dec 2026, at 08:00, Convene <convene@localhost> wrote:\n\n> Comments close soon.`,
    });
    const row = await processed(app, id);
    expect(row).toMatchObject({ outcome: 'accepted', purpose: 'clause_comment' });
    const c = await app.prisma.comment.findUniqueOrThrow({ where: { id: row.id }, include: { clause: true } });
    expect(c).toMatchObject({ type: 'TECHNICAL', body: 'Eavesdropping needs a countermeasure.', proposedChange: 'Add "encrypt links".', parentId: null });
    expect(c.clause?.number).toBe('7.2');
  });

  it("a member's digest copy offers a mailto: per clause; replying through one comments on that clause; an observer's copy offers none", async () => {
    const scene = await adjudicationScene(app, { periodOpen: true });
    const view = { actions: [{ url: `http://localhost:3000/groups/${scene.slug}/documents/${scene.document.id}/revisions/1` }] };
    expect(await digestReply(app.ctx, scene.observer.email, view)).toBeNull();
    const offer = await digestReply(app.ctx, scene.participant.email.toUpperCase(), view);
    expect(offer!.clauses.map((c) => c.number)).toEqual(['1', '7.1', '7.2']);
    const link = new URL(offer!.clauses[1]!.mailto);
    expect(link.searchParams.get('subject')).toBe('Comment on clause 7.1');
    const id = msgId();
    await deliver(app, {
      from: scene.participant.email,
      to: link.pathname,
      subject: link.searchParams.get('subject')!,
      messageId: id,
      text: 'Captured devices leak keys.',
    });
    const row = await processed(app, id);
    expect(row).toMatchObject({ outcome: 'accepted' });
    const c = await app.prisma.comment.findUniqueOrThrow({ where: { id: row.id }, include: { clause: true } });
    expect(c).toMatchObject({ type: 'GENERAL', proposedChange: '', body: 'Captured devices leak keys.' });
    expect(c.clause?.number).toBe('7.1');
  });

  it('is refused, saying so, once the sender is no longer a member; an observer is told observers do not comment', async () => {
    const scene = await adjudicationScene(app, { periodOpen: true });
    const [left, observer] = await Promise.all(
      [scene.participant, scene.observer].map((u) => issueReply(app.ctx, u.id, { purpose: 'clause_comment', targetId: scene.revision.id })),
    );
    await app.prisma.membership.delete({ where: { groupId_userId: { groupId: scene.group.id, userId: scene.participant.id } } });
    const [a, b] = [msgId(), msgId()];
    await deliver(app, { from: scene.participant.email, to: left!.address, subject: 'Comment on clause 1', messageId: a, text: 'Still here?' });
    await deliver(app, { from: scene.observer.email, to: observer!.address, subject: 'Comment on clause 1', messageId: b, text: 'May I?' });
    expect(await processed(app, a)).toMatchObject({ outcome: 'refused', reason: 'not_a_member' });
    expect(await processed(app, b)).toMatchObject({ outcome: 'refused', reason: 'forbidden' });
    expect((await answerTo(scene.participant.email, a)).text).toContain('Your reply was not recorded: you are no longer a member of this group.');
    expect((await answerTo(scene.observer.email, b)).text).toContain('only participants, editors and conveners write them');
  });

  it('names an unknown clause in the refusal and stores nothing', async () => {
    const scene = await adjudicationScene(app, { periodOpen: true });
    const reply = await issueReply(app.ctx, scene.participant.id, { purpose: 'clause_comment', targetId: scene.revision.id });
    const id = msgId();
    await deliver(app, { from: scene.participant.email, to: reply!.address, subject: 'Comment on clause 9.9', messageId: id, text: 'Where is it?' });
    expect(await processed(app, id)).toMatchObject({ outcome: 'refused', reason: 'clause_not_found' });
    expect((await answerTo(scene.participant.email, id)).text).toContain('Clause 9.9 in revision 1');
  });
});

describe('trust', () => {
  it('DKIM-signed mail from a DMARC domain posts; the same From unsigned fails DMARC and is neither posted nor answered', async () => {
    const scene = await adjudicationScene(app, { periodOpen: true });
    const member = await createUser(app, { email: `${randomBytes(4).toString('hex')}@${SIGNED}` });
    await app.prisma.membership.create({ data: { groupId: scene.group.id, userId: member.id, role: 'PARTICIPANT' } });
    const reply = await issueReply(app.ctx, member.id, { purpose: 'clause_comment', targetId: scene.revision.id });
    const signed = msgId();
    await deliver(app, {
      from: member.email,
      to: reply!.address,
      subject: 'Comment on clause 1',
      messageId: signed,
      text: 'Signed by my domain.',
      dkim: { domainName: SIGNED, keySelector: 'sel', privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) },
    });
    expect(await processed(app, signed)).toMatchObject({ outcome: 'accepted', authentication: { by: 'mailauth', dkim: 'pass', dmarc: 'pass' } });
    const forged = msgId();
    await deliver(app, { from: member.email, to: reply!.address, subject: 'Comment on clause 1', messageId: forged, text: 'Not signed at all.' });
    expect(await processed(app, forged)).toMatchObject({ outcome: 'refused', reason: 'not_authenticated', answered: false, authentication: { dmarc: 'fail' } });
    expect(await app.prisma.comment.count({ where: { body: 'Not signed at all.' } })).toBe(0);
  });

  it('the MTA pipe believes its Authentication-Results: dmarc=fail is refused, a pass is posted', async () => {
    const scene = await adjudicationScene(app, { periodOpen: true });
    const reply = await issueReply(app.ctx, scene.participant.id, { purpose: 'clause_comment', targetId: scene.revision.id });
    const raw = (id: string, dmarc: string, text: string) =>
      [
        `Authentication-Results: mx.convene.test; dkim=none; spf=fail smtp.mailfrom=example.test; dmarc=${dmarc} header.from=example.test`,
        `From: ${scene.participant.email}`,
        `To: ${reply!.address}`,
        'Subject: Comment on clause 1',
        `Message-ID: ${id}`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        text,
      ].join('\r\n');
    const pipe = (body: string, auth = `Bearer ${SECRET}`) =>
      app.inject({ method: 'POST', url: '/api/mail/inbound', headers: { authorization: auth, 'content-type': 'message/rfc822' }, payload: body });
    const failing = msgId();
    expect((await pipe(raw(failing, 'fail', 'Forged through the MTA.'), 'Bearer wrong')).json()).toMatchObject({ code: 'invalid_pipe_secret' });
    const res = await pipe(raw(failing, 'fail', 'Forged through the MTA.'));
    expect(res.statusCode).toBe(202);
    expect(await processed(app, failing)).toMatchObject({ outcome: 'refused', reason: 'not_authenticated', source: 'http' });
    const passing = msgId();
    expect((await pipe(raw(passing, 'pass', 'Through the MTA.'))).statusCode).toBe(202);
    expect(await processed(app, passing)).toMatchObject({ outcome: 'accepted', authentication: { by: 'authentication-results', dmarc: 'pass' } });
    expect(await app.prisma.inboundMessage.count({ where: { messageId: failing } })).toBe(1);
  });
});

describe('the IMAP intake', () => {
  it('reads unseen replies from a real IMAP mailbox (Dovecot), once each, with the provider’s Authentication-Results', async () => {
    const scene = await adjudicationScene(app, { periodOpen: true });
    const reply = await issueReply(app.ctx, scene.participant.id, { purpose: 'clause_comment', targetId: scene.revision.id });
    const id = msgId();
    const raw = [
      'Authentication-Results: imap.provider.test; dkim=pass header.d=example.test; spf=pass; dmarc=pass header.from=example.test',
      `From: ${scene.participant.email}`,
      `To: ${reply!.address}`,
      'Subject: Comment on clause 1',
      `Message-ID: ${id}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Read from the mailbox.',
    ].join('\n');
    await imap.deliver(raw);
    expect(await app.mailIntake.imap!.pollOnce()).toBe(1);
    expect(await processed(app, id)).toMatchObject({ outcome: 'accepted', source: 'imap', authentication: { by: 'authentication-results', dmarc: 'pass' } });
    // Seen now: the next poll reads nothing; a second copy of the message is counted, not posted again.
    expect(await app.mailIntake.imap!.pollOnce()).toBe(0);
    await imap.deliver(raw);
    expect(await app.mailIntake.imap!.pollOnce()).toBe(1);
    await app.ctx.events.drain();
    expect(await app.prisma.inboundMessage.findUniqueOrThrow({ where: { messageId: id } })).toMatchObject({ deliveries: 2 });
    expect(await app.prisma.comment.count({ where: { body: 'Read from the mailbox.' } })).toBe(1);
  });
});

describe('bounces', () => {
  it('a delivery status notification marks the address bouncing, and nothing more is mailed to it', async () => {
    const scene = await adjudicationScene(app, { periodOpen: true });
    const id = msgId();
    const dsn = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.example.test>',
      'To: convene@localhost',
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: ${id}`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      '--b1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.test',
      '',
      `Final-Recipient: rfc822; ${scene.participant.email}`,
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 No such user',
      '',
      '--b1--',
      '',
    ].join('\r\n');
    const transport = (await import('nodemailer')).default.createTransport({
      host: '127.0.0.1',
      port: app.mailIntake.smtpPort!,
      secure: false,
      ignoreTLS: true,
    });
    await transport.sendMail({ envelope: { from: '', to: 'convene@localhost' }, raw: dsn });
    transport.close();
    expect(await processed(app, id)).toMatchObject({ outcome: 'bounce', reason: 'hard_bounce', answered: false });
    expect(await app.prisma.bouncingAddress.findUnique({ where: { email: scene.participant.email } })).toMatchObject({
      reason: expect.stringContaining('5.1.1'),
    });
    // A notification to the bouncing address is not mailed.
    await immediately(scene.participant.id, 'thread_reply');
    const s = await sessionFor(app, scene.commenter2);
    await app.inject({ method: 'POST', url: `${scene.commentUrl(scene.comments.c1.id)}/replies`, headers: s.headers, payload: { body: 'Anyone?' } });
    await app.ctx.events.drain();
    await app.jobs.attempted([]);
    const n = await app.prisma.notification.findFirst({ where: { userId: scene.participant.id, kind: 'THREAD_REPLY' } });
    expect(n).not.toBeNull();
    expect(sink.messages.filter((m) => mailTo(m) === scene.participant.email.toLowerCase())).toHaveLength(0);
  });
});
