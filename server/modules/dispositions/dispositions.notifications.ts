// Comments are resolved "in consultation with the commenters" (seed 000), and many commenters work
// from their mailbox: each is told, by their own notification settings, when the conveners propose
// a disposition of their comment (with the proposal, the rationale, the deadline to answer and
// where to agree or object), once more a day before that deadline if they have not answered, and
// when the disposition becomes final. An outside respondent (open consultation, liaison body) is
// consulted the same way, but their mail links to the public consultation page where they answer:
// they cannot open the group.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../../lib/use-case.ts';
import { emailText, mailInstant, readerLocale } from '../../../emails/messages.ts';
import { notify, type NotificationPayload } from '../notifications/notify.ts';
import { documentUrl } from '../periods/periods.digests.ts';
import { consultationPath } from '../open-consultation/consultation-access.ts';
import { htmlToPlainText } from '../revisions/lib/markdown.ts';
import type { DispositionCode } from './export/disposition-table.ts';

export const RESPONSE_REMINDER_QUEUE = 'disposition-response-reminder';
/** How long before the response deadline an unanswered proposal is recalled to its commenter. */
export const RESPONSE_REMINDER_HOURS = 24;

export interface ResponseReminderJob {
  dispositionId: string;
  respondBy: string;
}

const excerpt = (text: string, max = 300) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * The disposition with what its commenter's mail names, and where the commenter answers (the
 * consultation page for an outside respondent); null when the commenter is neither a member nor
 * the still-identified outside respondent who wrote it.
 */
async function loadForCommenter(ctx: Ctx, dispositionId: string) {
  const d = await ctx.prisma.disposition.findUnique({
    where: { id: dispositionId },
    include: {
      comment: {
        select: {
          id: true,
          authorId: true,
          bodyHtml: true,
          clause: { select: { number: true } },
          document: { select: { id: true, title: true, group: { select: { id: true, slug: true, timeZone: true } } } },
          outside: { select: { periodId: true, participant: { select: { userId: true, liaisonContactId: true } } } },
        },
      },
    },
  });
  if (!d) return null;
  const { comment } = d;
  // Each notice is written in its commenter's language when it is made.
  const author = await ctx.prisma.user.findUnique({ where: { id: comment.authorId }, select: { locale: true } });
  const locale = readerLocale(author?.locale);
  // An anonymised profile has no account (userId null): nobody to consult any more.
  const outside = comment.outside?.participant.userId === comment.authorId ? comment.outside : null;
  if (outside) {
    const consultation = { url: `${ctx.config.publicUrl}${consultationPath(outside.periodId)}`, liaison: outside.participant.liaisonContactId !== null };
    return { ...d, consultation, locale };
  }
  const member = await ctx.prisma.membership.findUnique({
    where: { groupId_userId: { groupId: comment.document.group.id, userId: comment.authorId } },
    select: { userId: true },
  });
  return member ? { ...d, consultation: null, locale } : null;
}
type Loaded = NonNullable<Awaited<ReturnType<typeof loadForCommenter>>>;

const wordsFor = (d: Loaded) => emailText(d.locale);
const codeLabel = (d: Loaded) => wordsFor(d)(`notices.code.${d.code ? (d.code.toLowerCase() as DispositionCode) : 'undecided'}`);
const where = (d: Loaded) => {
  const t = wordsFor(d);
  const part = d.comment.clause?.number ? t('notices.clause', { number: d.comment.clause.number }) : t('notices.wholeDocument');
  return t('notices.where', { where: part, document: d.comment.document.title });
};
const commentLink = (ctx: Ctx, d: Loaded) =>
  d.consultation ? d.consultation.url : `${documentUrl(ctx.config, d.comment.document.group.slug, d.comment.document.id)}?comment=${d.comment.id}`;

function decisionLines(d: Loaded): string[] {
  const t = wordsFor(d);
  return [
    t('notices.line.disposition', { code: codeLabel(d) }),
    ...(d.rationale.trim() ? [t('notices.line.rationale', { text: excerpt(d.rationale.trim(), 1000) })] : []),
    ...(d.adoptedText.trim() ? [t('notices.line.adopted', { text: excerpt(d.adoptedText.trim(), 1000) })] : []),
    t('notices.line.comment', { text: excerpt(htmlToPlainText(d.comment.bodyHtml)) }),
  ];
}

function answerLines(ctx: Ctx, d: Loaded): string[] {
  const t = wordsFor(d);
  const deadline = d.respondBy
    ? t('notices.answerBy', { deadline: mailInstant(d.locale, d.respondBy, d.comment.document.group.timeZone) })
    : t('notices.answerBeforeFinal');
  if (d.consultation) {
    const signIn = d.consultation.liaison ? t('notices.liaisonSignIn') : t('notices.outsideSignIn');
    return [deadline, t('notices.onConsultationPage', { url: d.consultation.url }), signIn];
  }
  return [deadline, t('notices.answerWhere', { commentUrl: commentLink(ctx, d), awaitingUrl: `${ctx.config.publicUrl}/me/awaiting` })];
}

export function proposalNotice(ctx: Ctx, d: Loaded, reminder: boolean): NotificationPayload {
  return {
    title: wordsFor(d)(reminder ? 'notices.proposal.reminderTitle' : 'notices.proposal.title', { code: codeLabel(d), where: where(d) }),
    body: [...decisionLines(d), '', ...answerLines(ctx, d)].join('\n'),
    url: commentLink(ctx, d),
    // Bound to this version of the proposal: an answer to it is not taken for one to a later proposal.
    reply: { purpose: 'disposition_response', targetId: d.id, tag: String(d.version) },
  };
}

export function decisionNotice(ctx: Ctx, d: Loaded): NotificationPayload {
  const t = wordsFor(d);
  return {
    title: t('notices.decision.title', { where: where(d), code: codeLabel(d) }),
    body: [...decisionLines(d), '', t(d.responseKind === 'OBJECT' ? 'notices.finalisedOverObjection' : 'notices.finalised')].join('\n'),
    url: commentLink(ctx, d),
  };
}

/**
 * The reminder job's work: only while the same proposal still awaits an answer with the same
 * deadline (a re-proposal or a new deadline schedules its own reminder). Returns the notification id.
 */
export async function remindResponse(ctx: Ctx, job: ResponseReminderJob, key?: string): Promise<string | null> {
  const d = await loadForCommenter(ctx, job.dispositionId);
  if (d?.status !== 'PROPOSED' || d.responseKind || !d.respondBy || d.respondBy.toISOString() !== job.respondBy) return null;
  const [clock] = await ctx.prisma.$queryRaw<{ now: Date }[]>`SELECT now() AS now`;
  if (d.respondBy <= clock!.now) return null;
  return notify(ctx, 'disposition_awaiting_response', d.comment.authorId, proposalNotice(ctx, d, true), { key });
}

/** A job id fixed by the delivery that schedules it, so a retried delivery schedules no second reminder. */
const reminderJobId = (key: string) => {
  const h = createHash('sha256').update(`response-reminder:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

async function scheduleReminder(app: FastifyInstance, dispositionId: string, respondBy: string | null, key: string) {
  if (!respondBy) return;
  const remindAt = new Date(new Date(respondBy).getTime() - RESPONSE_REMINDER_HOURS * 3_600_000);
  // A deadline less than a day away is in the proposal's own mail: no second one.
  if (remindAt.getTime() <= Date.now()) return;
  await app.jobs.send(RESPONSE_REMINDER_QUEUE, { dispositionId, respondBy } satisfies ResponseReminderJob, { startAfter: remindAt, id: reminderJobId(key) });
}

export function subscribeDispositionNotifications(app: FastifyInstance) {
  const { ctx } = app;
  app.jobs.define<ResponseReminderJob>(RESPONSE_REMINDER_QUEUE, {
    // Deadlines may be weeks away: keep the job until well after.
    queue: { retryLimit: 10, retryDelay: 30, retryBackoff: true, retryDelayMax: 3600, retentionSeconds: 400 * 86_400 },
    handler: async (job) => {
      await remindResponse(ctx, job.data, job.id);
    },
  });

  // Durable subscribers: each runs at least once after commit, on any instance; the delivery key
  // makes a retry find the notification and the reminder job it made before.
  ctx.events.durable('dispositions.proposed', 'notify-commenter', async (e, { key }) => {
    const d = await loadForCommenter(ctx, e.dispositionId);
    // A newer change already happened: its own event tells the commenter what is current.
    if (!d || d.version !== e.version) return;
    await notify(ctx, 'disposition_awaiting_response', e.commenterId, proposalNotice(ctx, d, false), { key });
    await scheduleReminder(app, e.dispositionId, e.respondBy, key);
  });

  ctx.events.durable('dispositions.deadline_set', 'schedule-reminder', async (e, { key }) => {
    await scheduleReminder(app, e.dispositionId, e.respondBy, key);
  });

  ctx.events.durable('dispositions.finalised', 'notify-commenter', async (e, { key }) => {
    const d = await loadForCommenter(ctx, e.dispositionId);
    if (d?.status !== 'FINAL') return;
    await notify(ctx, 'comment_decided', e.commenterId, decisionNotice(ctx, d), { key });
  });
}
