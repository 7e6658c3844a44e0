// The job that reads one stored message and does what it asks, exactly once in effect: a retried
// job finds what its first attempt made (the reply's comment carries the message's id), and the
// message is marked processed in the transaction that queues the answer to its sender.
//
// In order: a delivery status notification marks the failed addresses bouncing; mail written by a
// machine is recorded and left alone; otherwise the reply address must verify, the sender must pass
// the authentication checks and be the member the address was given to, the target's deadline must
// not have passed when the message was received (database clock), and then the target's use case
// decides. The sender is always answered — recorded, or why not — unless the mail was a machine's,
// a bounce, or forged (failing DMARC: answering it would write to someone who never sent it).
import { simpleParser, type ParsedMail } from 'mailparser';
import type { User } from '../../generated/prisma/client.ts';
import { AppError } from '../../lib/app-error.ts';
import { describeInstant } from '../../lib/instant.ts';
import { hitRateLimit } from '../../lib/rate-limit.ts';
import { transact, type Ctx } from '../../lib/use-case.ts';
import { readerLocale } from '../../../emails/messages.ts';
import { queueMail } from '../../plugins/mail-queue.ts';
import { authenticationRefusal, checkWithMailauth, fromAuthenticationResults, type Authentication, type DnsResolver } from './authentication.ts';
import { attachedFiles, automaticReason, fromAddress, hardBounces, headerRecipients, replyText } from './read-mail.ts';
import { findReplyToken, verifyReplyToken } from './reply-address.ts';
import { replyTarget } from './reply-targets.ts';

type Outcome = 'accepted' | 'refused' | 'ignored' | 'bounce';

interface Decision {
  outcome: Outcome;
  reason: string | null;
  detail: string;
  purpose?: string;
  targetId?: string;
  userId?: string;
  resultUrl?: string;
  authentication?: Authentication;
  /** Whether the sender is answered (not machines, bounces or forged mail). */
  answer: boolean;
  notes?: string[];
}

const refused = (reason: string, detail: string, extra: Partial<Decision> = {}): Decision => ({ outcome: 'refused', reason, detail, answer: true, ...extra });

export async function processInboundMessage(ctx: Ctx, inboundId: string, options: { resolver?: DnsResolver } = {}): Promise<void> {
  const row = await ctx.prisma.inboundMessage.findUnique({ where: { id: inboundId } });
  if (!row || row.processedAt) return;
  const mail = await simpleParser(Buffer.from(row.raw), { skipImageLinks: true, skipTextToHtml: true });
  const decision = await decide(ctx, row, mail, options);
  await record(ctx, row, mail, decision);
}

type Row = NonNullable<Awaited<ReturnType<Ctx['prisma']['inboundMessage']['findUnique']>>>;

async function decide(ctx: Ctx, row: Row, mail: ParsedMail, options: { resolver?: DnsResolver }): Promise<Decision> {
  const bounced = hardBounces(mail, Buffer.from(row.raw));
  if (bounced) {
    for (const b of bounced) {
      const reason = `${b.status} ${b.diagnostic}`.trim().slice(0, 500);
      await ctx.prisma.$executeRaw`INSERT INTO "BouncingAddress" (email, reason) VALUES (${b.address}, ${reason}) ON CONFLICT (email) DO NOTHING`;
    }
    return {
      outcome: 'bounce',
      reason: bounced.length ? 'hard_bounce' : 'delivery_report',
      detail: bounced.length
        ? `Marked bouncing: ${bounced.map((b) => `${b.address} (${b.status})`).join(', ')}`
        : 'A delivery report with no permanent failure.',
      answer: false,
    };
  }
  const automatic = automaticReason(mail, row.envelopeFrom);
  if (automatic)
    return { outcome: 'ignored', reason: 'auto_generated', detail: `Written by a machine (${automatic}): neither posted nor answered.`, answer: false };

  const token = findReplyToken(ctx, [...row.envelopeTo, ...headerRecipients(mail)]);
  if (!token) {
    return refused(
      'no_reply_address',
      'Convene could not tell what your message answers: to take part by e-mail, reply to a notification or a digest Convene sent you (its reply address says what the reply is for).',
    );
  }
  const grant = await verifyReplyToken(ctx, token);
  const target = grant ? replyTarget(grant.purpose) : undefined;
  if (!grant || !target) {
    return refused(
      'unknown_reply_address',
      'The address you wrote to is not one Convene gave out (or it was altered): reply to the notification itself, or use the link in it.',
    );
  }
  const scope = { purpose: grant.purpose, targetId: grant.targetId, userId: grant.userId };

  const authentication =
    row.source === 'smtp'
      ? await checkWithMailauth(
          Buffer.from(row.raw),
          { ip: row.remoteAddress, helo: row.helo, sender: row.envelopeFrom },
          ctx.config.mailIn.replyDomain,
          options.resolver,
        )
      : ((row.authentication as Authentication | null) ?? fromAuthenticationResults(mail, ctx.config));
  const unauthenticated = authenticationRefusal(authentication, ctx.config);
  if (unauthenticated) {
    // Forged or unverifiable: nothing is posted, and the address in From (maybe not the sender's) is not written to.
    return { outcome: 'refused', reason: 'not_authenticated', detail: `Not posted: ${unauthenticated}.`, answer: false, authentication, ...scope };
  }

  const from = fromAddress(mail);
  const user = await ctx.prisma.user.findUnique({ where: { id: grant.userId } });
  if (!user || !from || user.email.toLowerCase() !== from) {
    return refused(
      'sender_mismatch',
      `Your reply was not recorded: it came from ${from ?? 'no address'}, which is not the address this reply address was sent to. Reply from the address your Convene account uses.`,
      { authentication, ...scope },
    );
  }

  // The target's deadline when the message was received (database clock), as it stands now: an
  // extension since the mail was sent counts, and the use case judges once more when it writes.
  const live = await target.deadline(ctx, grant.targetId);
  const deadline = live ?? grant.expiresAt;
  if (deadline <= row.receivedAt) {
    const group = await groupZone(ctx, user);
    return refused(
      'deadline_passed',
      `Your reply was not recorded: it was received ${describeInstant(row.receivedAt, group)}, after the deadline of what it answers (${describeInstant(deadline, group)}). The reply address expired with that deadline.`,
      { authentication, ...scope },
    );
  }

  const text = replyText(mail);
  const files = attachedFiles(mail);
  const notes = files.length
    ? [`Attachments are not kept: ${files.join(', ')} ${files.length === 1 ? 'was' : 'were'} left out; only the text of your mail is used.`]
    : [];
  if (!text) {
    return refused(
      'empty_reply',
      'Your reply was not recorded: once the quoted mail and signature were removed, nothing was left. Write your text above the quoted mail.',
      {
        authentication,
        notes,
        ...scope,
      },
    );
  }
  try {
    const done = await target.apply(ctx, {
      user,
      targetId: grant.targetId,
      tag: grant.tag,
      reply: { subject: mail.subject ?? '', text },
      key: row.id,
      receivedAt: row.receivedAt,
    });
    return { outcome: 'accepted', reason: null, detail: done.sentence, resultUrl: done.url, answer: true, authentication, notes, ...scope };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    // The web answers a non-member "not found" so as to reveal nothing; the member the address was
    // given to knows the group, and is told the actual reason.
    const message = err.code === 'group_not_found' ? 'you are no longer a member of this group.' : err.message;
    const sentence = /not recorded/.test(message) ? message : `Your reply was not recorded: ${message}`;
    return refused(err.code === 'group_not_found' ? 'not_a_member' : err.code, sentence, { authentication, notes, ...scope });
  }
}

/** The zone of the member's first group, for the instants in a refusal (UTC is always beside it). */
async function groupZone(ctx: Ctx, user: User): Promise<string> {
  const m = await ctx.prisma.membership.findFirst({ where: { userId: user.id }, select: { group: { select: { timeZone: true } } } });
  return m?.group.timeZone ?? 'UTC';
}

async function record(ctx: Ctx, row: Row, mail: ParsedMail, d: Decision): Promise<void> {
  const to = fromAddress(mail);
  let answer = d.answer && to !== null;
  if (answer && to) {
    const bouncing = await ctx.prisma.bouncingAddress.findUnique({ where: { email: to }, select: { email: true } });
    // A sender (or a robot that slipped through) writing again and again is answered a bounded number of times.
    answer = !bouncing && (await hitRateLimit(ctx, `mail-answer:${to}`, ctx.config.limits.mailAnswersPerSender)).allowed;
  }
  await transact(ctx, async (tx, emit) => {
    const updated = await tx.inboundMessage.updateMany({
      where: { id: row.id, processedAt: null },
      data: {
        processedAt: new Date(),
        fromAddress: to,
        subject: mail.subject?.slice(0, 500) ?? null,
        outcome: d.outcome,
        reason: d.reason,
        detail: [d.detail, ...(d.notes ?? [])].join(' ').slice(0, 2000),
        purpose: d.purpose ?? null,
        targetId: d.targetId ?? null,
        userId: d.userId ?? null,
        resultUrl: d.resultUrl ?? null,
        ...(d.authentication ? { authentication: d.authentication as object } : {}),
        answered: answer,
      },
    });
    if (!updated.count) return;
    emit('mailin.processed', { inboundId: row.id, outcome: d.outcome, reason: d.reason });
    if (!answer || !to) return;
    const subject = mail.subject?.trim() ? (/^re:/i.test(mail.subject.trim()) ? mail.subject.trim() : `Re: ${mail.subject.trim()}`) : 'Your reply to Convene';
    const original = row.messageId.startsWith('<') ? row.messageId : undefined;
    const sender = d.userId ? await tx.user.findUnique({ where: { id: d.userId }, select: { locale: true } }) : null;
    await queueMail(
      ctx,
      tx,
      emit,
      {
        to,
        template: 'mail-answer',
        props: { subject, accepted: d.outcome === 'accepted', sentence: d.detail, url: d.resultUrl ?? '', notes: d.notes ?? [] },
        locale: readerLocale(sender?.locale),
        options: {
          // RFC 3834: an answer to a person's mail, so their auto-responder does not answer it in turn.
          headers: { 'Auto-Submitted': 'auto-replied' },
          ...(original ? { inReplyTo: original, references: [original] } : {}),
        },
      },
      { background: true },
    );
  });
}
