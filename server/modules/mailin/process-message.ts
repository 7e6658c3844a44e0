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
//
// Messages are processed in batches (a burst of replies to one digest): what they share is read once
// (reply addresses' targets, periods, revisions, clauses), what each made before a crash is read in
// one statement, their comments go to the database together (the comment writer's group commit),
// and they are recorded, answered and their jobs completed in one transaction. One message's
// failure leaves it to its job and does not hold back the others.
import type pg from 'pg';
import type { InboundMessage, User } from '../../generated/prisma/client.ts';
import { AppError } from '../../lib/app-error.ts';
import { describeInstant } from '../../lib/instant.ts';
import { hasOwnMessage } from '../../lib/i18n.ts';
import { hitRateLimitMany } from '../../lib/rate-limit.ts';
import type { DomainEvent } from '../../lib/domain-events.ts';
import type { Ctx } from '../../lib/use-case.ts';
import { readerLocale } from '../../../emails/messages.ts';
import { queueMails } from '../../plugins/mail-queue.ts';
import type { OutgoingMail } from '../../plugins/mailer.ts';
import type { EmailTemplateName } from '../../../emails/registry.ts';
import { authenticationRefusal, fromAuthenticationResults, type Authentication } from './authentication.ts';
import type { MailReader } from './mail-reader.ts';
import { attachedFiles, automaticReason, fromAddress, hardBounces, headerRecipients, type ReadableMail } from './read-mail.ts';
import { findReplyToken, verifyReplyToken, verifyReplyTokens } from './reply-address.ts';
import { freshReads, replyTarget, type BatchReads, type ReplyTarget } from './reply-targets.ts';
import { answerSentence, type AnswerWords, type RefusalError } from './answer-words.ts';

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
  /** `detail` and `notes` in catalogue terms, or the use case's refusal, for the answer in the reader's language. */
  words?: AnswerWords;
  error?: RefusalError;
  noteWords?: AnswerWords[];
}

const refused = (reason: string, detail: string, extra: Partial<Decision> = {}): Decision => ({
  outcome: 'refused',
  reason,
  detail,
  answer: true,
  words: { key: `mailAnswer.refused.${reason}` },
  ...extra,
});

/**
 * Processes stored messages together (those already processed are skipped), on `db`: the
 * connection that holds their locks, which also reads them and writes their records (a batch's
 * own statements, outside Prisma's pool). Resolves with the ids now processed (by this call or
 * before it); one that failed is logged and left to its job. `reader` parses and authenticates
 * (mail-reader.ts: in worker threads).
 */
export async function processInboundMessages(ctx: Ctx, db: pg.PoolClient, ids: string[], options: { reader: MailReader }): Promise<Set<string>> {
  const { rows } = await db.query<Row>(
    `SELECT id, "messageId", source, "envelopeFrom", "envelopeTo", "remoteAddress", helo, raw, "receivedAt", authentication
     FROM "InboundMessage" WHERE id = ANY($1::uuid[]) AND "processedAt" IS NULL`,
    [ids],
  );
  const done = new Set(ids);
  for (const row of rows) done.delete(row.id);
  if (!rows.length) return done;
  const reads = freshReads();
  const mails = settled(
    ctx,
    await Promise.allSettled(
      rows.map(async (row) => {
        // The checks of mail that came straight to the embedded receiver are asked with the read,
        // in the same message to the reading thread: one trip for the batch, and the thread checks
        // while the event loop reads the batch's reply addresses.
        const raw = Buffer.from(row.raw);
        const checked = row.source === 'smtp' ? options.reader.authenticate(raw, envelopeOf(row), ctx.config.mailIn.replyDomain) : null;
        // Awaited in decide() (or not at all, for a bounce or a machine's mail).
        checked?.catch(() => {});
        const { mail, text } = await options.reader.read(raw);
        return { row, mail, text, checked };
      }),
    ),
  );
  await primeGrants(ctx, reads, mails);
  const parsed = await Promise.allSettled(
    mails.map(async ({ row, mail, text, checked }) => ({ row, mail, step: await decide(ctx, row, mail, text, checked, { reads }) })),
  );
  const ready = settled(ctx, parsed);
  // What each message's first attempt made, if it made anything (one read per purpose).
  const made = new Map<string, Set<string>>();
  for (const step of new Set(ready.map((r) => r.step).filter((s): s is Application => 'apply' in s))) {
    if (!step.target.made || made.has(step.target.purpose)) continue;
    const keys = ready.filter((r) => 'apply' in r.step && r.step.target === step.target).map((r) => r.row.id);
    made.set(step.target.purpose, await step.target.made(ctx, keys));
  }
  const decided = settled(
    ctx,
    await Promise.allSettled(
      ready.map(async ({ row, mail, step }) => ({
        row,
        mail,
        decision: 'apply' in step ? await step.apply(made.get(step.target.purpose)?.has(row.id)) : step,
      })),
    ),
  );
  for (const id of await record(ctx, db, decided)) done.add(id);
  return done;
}

/** The fulfilled ones; a rejected one (not an AppError: a lost connection, a bug) is logged and left to its job. */
function settled<T extends { row: Row }>(ctx: Ctx, results: PromiseSettledResult<T>[]): T[] {
  const ok: T[] = [];
  for (const r of results) {
    if (r.status === 'fulfilled') ok.push(r.value);
    else ctx.log.warn({ err: r.reason }, 'inbound message not processed; its job will retry');
  }
  return ok;
}

/** The reply addresses the batch's messages were sent to, and their members: two statements for the batch. */
async function primeGrants(ctx: Ctx, reads: ReturnType<typeof freshReads>, mails: { row: Row; mail: ReadableMail }[]): Promise<void> {
  const tokens = mails.map(({ row, mail }) => findReplyToken(ctx, [...row.envelopeTo, ...headerRecipients(mail)])).filter((t): t is string => t !== null);
  if (!tokens.length) return;
  const grants = await verifyReplyTokens(ctx, tokens);
  const userIds = [...new Set([...grants.values()].flatMap((g) => (g ? [g.userId] : [])))];
  const users = userIds.length ? await ctx.prisma.user.findMany({ where: { id: { in: userIds } } }) : [];
  for (const [token, grant] of grants) reads.prime(`grant:${token}`, grant);
  for (const id of userIds) reads.prime(`user:${id}`, users.find((u) => u.id === id) ?? null);
}

/** A reply that passed every check: what remains is the target's use case. */
interface Application {
  target: ReplyTarget;
  apply(made: boolean | undefined): Promise<Decision>;
}

type Row = Pick<
  InboundMessage,
  'id' | 'messageId' | 'source' | 'envelopeFrom' | 'envelopeTo' | 'remoteAddress' | 'helo' | 'raw' | 'receivedAt' | 'authentication'
>;

const envelopeOf = (row: Row) => ({ ip: row.remoteAddress, helo: row.helo, sender: row.envelopeFrom });

/** `checked`: the DKIM/SPF/DMARC verdict of mail received by the embedded receiver (asked with the read). */
async function decide(
  ctx: Ctx,
  row: Row,
  mail: ReadableMail,
  text: string,
  checked: Promise<Authentication> | null,
  options: { reads: BatchReads },
): Promise<Decision | Application> {
  const { reads } = options;
  const bounced = hardBounces(mail, row.raw);
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
  const grant = await reads.once(`grant:${token}`, () => verifyReplyToken(ctx, token));
  const target = grant ? replyTarget(grant.purpose) : undefined;
  if (!grant || !target) {
    return refused(
      'unknown_reply_address',
      'The address you wrote to is not one Convene gave out (or it was altered): reply to the notification itself, or use the link in it.',
    );
  }
  const scope = { purpose: grant.purpose, targetId: grant.targetId, userId: grant.userId };

  const authentication = checked ? await checked : ((row.authentication as Authentication | null) ?? fromAuthenticationResults(mail, ctx.config));
  const unauthenticated = authenticationRefusal(authentication, ctx.config);
  if (unauthenticated) {
    // Forged or unverifiable: nothing is posted, and the address in From (maybe not the sender's) is not written to.
    return { outcome: 'refused', reason: 'not_authenticated', detail: `Not posted: ${unauthenticated}.`, answer: false, authentication, ...scope };
  }

  const from = fromAddress(mail);
  const user = await reads.once(`user:${grant.userId}`, () => ctx.prisma.user.findUnique({ where: { id: grant.userId } }));
  if (!user || !from || user.email.toLowerCase() !== from) {
    return refused(
      'sender_mismatch',
      `Your reply was not recorded: it came from ${from ?? 'no address'}, which is not the address this reply address was sent to. Reply from the address your Convene account uses.`,
      { authentication, ...scope, words: { key: 'mailAnswer.refused.sender_mismatch', vars: { from: from ?? '—' } } },
    );
  }

  // The target's deadline when the message was received (database clock), as it stands now: an
  // extension since the mail was sent counts, and the use case judges once more when it writes.
  const live = await reads.once(`deadline:${grant.purpose}:${grant.targetId}`, () => target.deadline(ctx, grant.targetId, reads));
  const deadline = live ?? grant.expiresAt;
  if (deadline <= row.receivedAt) {
    const group = await groupZone(ctx, user);
    return refused(
      'deadline_passed',
      `Your reply was not recorded: it was received ${describeInstant(row.receivedAt, group)}, after the deadline of what it answers (${describeInstant(deadline, group)}). The reply address expired with that deadline.`,
      {
        authentication,
        ...scope,
        words: {
          key: 'mailAnswer.refused.deadline_passed',
          vars: { receivedAt: row.receivedAt.toISOString(), deadlineAt: deadline.toISOString() },
          timeZone: group,
        },
      },
    );
  }

  const files = attachedFiles(mail);
  const notes = files.length
    ? [`Attachments are not kept: ${files.join(', ')} ${files.length === 1 ? 'was' : 'were'} left out; only the text of your mail is used.`]
    : [];
  const noteWords = files.length ? [{ key: 'mailAnswer.attachments', vars: { files: files.join(', '), count: files.length } }] : [];
  if (!text) {
    return refused(
      'empty_reply',
      'Your reply was not recorded: once the quoted mail and signature were removed, nothing was left. Write your text above the quoted mail.',
      {
        authentication,
        notes,
        noteWords,
        ...scope,
      },
    );
  }
  return {
    target,
    async apply(made) {
      try {
        const done = await target.apply(ctx, {
          user,
          targetId: grant.targetId,
          tag: grant.tag,
          reply: { subject: mail.subject ?? '', text },
          key: row.id,
          receivedAt: row.receivedAt,
          reads,
          made,
        });
        return {
          outcome: 'accepted',
          reason: null,
          detail: done.sentence,
          resultUrl: done.url,
          answer: true,
          authentication,
          notes,
          noteWords,
          ...(done.words ? { words: done.words } : {}),
          ...scope,
        };
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        // The web answers a non-member "not found" so as to reveal nothing; the member the address was
        // given to knows the group, and is told the actual reason.
        const message = err.code === 'group_not_found' ? 'you are no longer a member of this group.' : err.message;
        const sentence = /not recorded/.test(message) ? message : `Your reply was not recorded: ${message}`;
        if (err.code === 'group_not_found') return refused('not_a_member', sentence, { authentication, notes, noteWords, ...scope });
        // The target's own refusals ("unclear_answer") have their mail sentence; the use cases' are their errors'.
        const own = hasOwnMessage('en', 'emails', `mailAnswer.refused.${err.code}`);
        return refused(err.code, sentence, {
          authentication,
          notes,
          noteWords,
          ...scope,
          ...(own ? {} : { words: undefined, error: { code: err.code, message: err.message, details: err.details } }),
        });
      }
    },
  };
}

/** The zone of the member's first group, for the instants in a refusal (UTC is always beside it). */
async function groupZone(ctx: Ctx, user: User): Promise<string> {
  const m = await ctx.prisma.membership.findFirst({ where: { userId: user.id }, select: { group: { select: { timeZone: true } } } });
  return m?.group.timeZone ?? 'UTC';
}

/**
 * The messages' records and their answers, in one transaction on `db`; answers the ids it recorded
 * (or found recorded meanwhile). Its events (mailin.processed, mail.queued) have in-process
 * subscribers only (checked at start): they are published after the commit.
 */
async function record(ctx: Ctx, db: pg.PoolClient, decided: { row: Row; mail: ReadableMail; decision: Decision }[]): Promise<string[]> {
  if (!decided.length) return [];
  const senders = [...new Set(decided.map(({ mail }) => fromAddress(mail)).filter((a): a is string => a !== null))];
  const bouncing = new Set((await ctx.prisma.bouncingAddress.findMany({ where: { email: { in: senders } }, select: { email: true } })).map((b) => b.email));
  // A sender (or a robot that slipped through) writing again and again is answered a bounded number
  // of times: the batch's answers to each sender are counted together, in one statement.
  const wanted = decided.map(({ mail, decision: d }) => {
    const to = fromAddress(mail);
    return { to, wants: d.answer && to !== null && !bouncing.has(to) };
  });
  const perSender = new Map<string, number>();
  for (const { to, wants } of wanted) if (wants) perSender.set(`mail-answer:${to}`, (perSender.get(`mail-answer:${to}`) ?? 0) + 1);
  const allowed = await hitRateLimitMany(ctx, perSender, ctx.config.limits.mailAnswersPerSender);
  const lines = decided.map(({ row, mail, decision: d }, i) => {
    const { to, wants } = wanted[i]!;
    let answer = false;
    if (wants) {
      const key = `mail-answer:${to}`;
      const left = allowed.get(key) ?? 0;
      answer = left > 0;
      allowed.set(key, left - 1);
    }
    return { row, mail, d, to, answer };
  });
  // The answer is written in the sender's language when they are a member (else English, which the
  // refusal sentences from the pipeline are written in).
  const userIds = [...new Set(lines.filter((l) => l.answer && l.d.userId).map((l) => l.d.userId!))];
  const locales = new Map(
    userIds.length ? (await ctx.prisma.user.findMany({ where: { id: { in: userIds } }, select: { id: true, locale: true } })).map((u) => [u.id, u.locale]) : [],
  );
  const records = lines.map(({ row, mail, d, to, answer }) => ({
    id: row.id,
    fromAddress: to,
    subject: mail.subject?.slice(0, 500) ?? null,
    outcome: d.outcome,
    reason: d.reason,
    detail: [d.detail, ...(d.notes ?? [])].join(' ').slice(0, 2000),
    purpose: d.purpose ?? null,
    targetId: d.targetId ?? null,
    userId: d.userId ?? null,
    resultUrl: d.resultUrl ?? null,
    authentication: d.authentication ?? null,
    answered: answer,
  }));
  const events: DomainEvent[] = [];
  await db.query('BEGIN');
  try {
    // Only those still unprocessed: a message another processor recorded meanwhile is neither recorded nor answered twice.
    const { rows: updated } = await db.query<{ id: string }>(
      `UPDATE "InboundMessage" m SET
         "processedAt" = now(), "fromAddress" = r."fromAddress", subject = r.subject, outcome = r.outcome, reason = r.reason,
         detail = r.detail, purpose = r.purpose, "targetId" = r."targetId", "userId" = r."userId", "resultUrl" = r."resultUrl",
         authentication = COALESCE(r.authentication, m.authentication), answered = r.answered
       FROM jsonb_to_recordset($1::jsonb) AS r (
         id uuid, "fromAddress" text, subject text, outcome text, reason text, detail text, purpose text, "targetId" uuid,
         "userId" uuid, "resultUrl" text, authentication jsonb, answered boolean)
       WHERE m.id = r.id AND m."processedAt" IS NULL
       RETURNING m.id`,
      [JSON.stringify(records)],
    );
    const recorded = new Set(updated.map((u) => u.id));
    const answers: OutgoingMail<EmailTemplateName>[] = [];
    for (const { row, mail, d, to, answer } of lines) {
      if (!recorded.has(row.id)) continue;
      events.push({ name: 'mailin.processed', payload: { inboundId: row.id, outcome: d.outcome, reason: d.reason } });
      if (!answer || !to) continue;
      const subject = mail.subject?.trim() ? (/^re:/i.test(mail.subject.trim()) ? mail.subject.trim() : `Re: ${mail.subject.trim()}`) : 'Your reply to Convene';
      const original = row.messageId.startsWith('<') ? row.messageId : undefined;
      const locale = readerLocale(d.userId ? locales.get(d.userId) : undefined);
      answers.push({
        to,
        template: 'mail-answer',
        props: {
          subject,
          accepted: d.outcome === 'accepted',
          sentence: answerSentence(locale, d.detail, d.words, d.error),
          url: d.resultUrl ?? '',
          notes: (d.notes ?? []).map((note, n) => answerSentence(locale, note, d.noteWords?.[n])),
        },
        locale,
        options: {
          // RFC 3834: an answer to a person's mail, so their auto-responder does not answer it in turn.
          headers: { 'Auto-Submitted': 'auto-replied' },
          ...(original ? { inReplyTo: original, references: [original] } : {}),
        },
      });
    }
    events.push(...(await queueMails(ctx, { executeSql: (text, params) => db.query(text, params) }, answers)));
    await db.query('COMMIT');
  } catch (err) {
    await db.query('ROLLBACK').catch(() => {});
    throw err;
  }
  ctx.events.publish(events, []);
  // Those another processor recorded meanwhile are processed too.
  return lines.map((l) => l.row.id);
}
