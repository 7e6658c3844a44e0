// What a consultation announces, and when. At issue, a digest to the group's list (created in the
// issuing transaction); before the deadline, at the group's reminder hours, a reminder digest and
// a mail to the focal points of every Administration that has not answered every draft; at the
// deadline, the result digest with the tally. The reminder and result are durable timed jobs
// enqueued with the consultation (the timeframe's TIMED_JOB settings); each handler re-checks the
// deadline (a job for a former deadline does nothing) and the digest key makes it announce once.
import type { FastifyInstance } from 'fastify';
import type { Consultation } from '../../generated/prisma/client.ts';
import { transact, type Ctx, type Tx } from '../../lib/use-case.ts';
import { queueMail } from '../../plugins/mail-queue.ts';
import { mailInstant, readerLocale } from '../../../emails/messages.ts';
import { createDigest, inGroupLanguages, type DigestDeps } from '../digests/create-digest.ts';
import { type Locale, translate, type Vars } from '../../lib/i18n.ts';
import type { DigestSection, DigestView } from '../digests/digest-content.ts';
import { showInstant } from '../digests/format-instant.ts';
import { groupLinks } from '../digests/build-milestone-digest.ts';
import { databaseNow, DEFAULT_REMINDER_HOURS, TIMED_JOB } from '../timeframe/schedule-milestone.ts';
import { tallyDraft } from './tally.ts';

export const REMIND_QUEUE = 'consultation-reminder';
export const RESULT_QUEUE = 'consultation-result';

interface TimedJob {
  consultationId: string;
  deadline: string;
}
interface ReminderJob extends TimedJob {
  hours: number;
}

export async function scheduleConsultation(ctx: Ctx, tx: Tx, c: Consultation): Promise<void> {
  if (!ctx.jobs) return; // scripts without durable jobs (seeding history) announce nothing
  const deadline = c.deadline.toISOString();
  await ctx.jobs.send(RESULT_QUEUE, { consultationId: c.id, deadline } satisfies TimedJob, { tx, startAfter: c.deadline });
  const now = await databaseNow(tx);
  const settings = await tx.groupDigestSettings.findUnique({ where: { groupId: c.groupId } });
  for (const hours of settings?.reminderHours ?? DEFAULT_REMINDER_HOURS) {
    const at = new Date(c.deadline.getTime() - hours * 3_600_000);
    if (at <= now) continue;
    await ctx.jobs.send(REMIND_QUEUE, { consultationId: c.id, deadline, hours } satisfies ReminderJob, { tx, startAfter: at });
  }
}

const section = (heading: string, parts: Partial<Omit<DigestSection, 'heading'>>): DigestSection => ({ heading, paragraphs: [], rows: [], more: '', ...parts });
const draftName = (w: { acronym: string; number: string | null }) => (w.number ? `${w.number} (${w.acronym})` : w.acronym);

async function load(tx: Tx, consultationId: string) {
  return tx.consultation.findUnique({
    where: { id: consultationId },
    include: {
      group: true,
      drafts: { orderBy: { position: 'asc' }, include: { workItem: { select: { acronym: true, number: true, title: true } } } },
      _count: { select: { invitees: true } },
    },
  });
}
type Loaded = NonNullable<Awaited<ReturnType<typeof load>>>;

/** The consultation digests' words, in one of the group's languages. */
const wordsIn = (locale: Locale) => (key: string, vars?: Vars) => translate(locale, 'emails', `consultationDigest.${key}`, vars);

function view(ctx: Ctx, c: Loaded, kind: 'milestone_reached' | 'reminder', subject: string, headline: string, locale: Locale): DigestView {
  const t = wordsIn(locale);
  const links = groupLinks(ctx.config, c.group.slug);
  const url = `${ctx.config.publicUrl}/groups/${c.group.slug}/consultations/${c.id}`;
  const shown = showInstant(c.deadline, c.group.timeZone, locale);
  return {
    kind,
    subject: `[${c.group.acronym}] ${subject}`,
    groupName: c.group.name,
    groupAcronym: c.group.acronym,
    headline,
    intro: [],
    late: false,
    deadline: { label: t('answersClose'), utc: shown.utc, local: shown.local },
    sections: [],
    actions: [{ label: t('open', { reference: c.reference }), url }],
    archiveUrl: links.archiveUrl,
  };
}

const depsOf = (app: FastifyInstance): DigestDeps => ({ ctx: app.ctx, mailer: app.mailer, jobs: app.jobs });

async function announceIssue(app: FastifyInstance, tx: Tx, consultationId: string) {
  const c = await load(tx, consultationId);
  if (!c) return;
  const languages = await inGroupLanguages(c.group, (locale) => {
    const t = wordsIn(locale);
    const v = view(app.ctx, c, 'milestone_reached', t('issued.subject', { reference: c.reference }), t('issued.headline'), locale);
    v.intro = [{ text: c.subject }, { text: t('issued.invited', { count: c._count.invitees }) }, { text: t('threshold', { percent: c.thresholdPercent }) }];
    v.sections = [section(t('drafts'), { rows: c.drafts.map((d) => ({ label: draftName(d.workItem), value: d.workItem.title })) })];
    return v;
  });
  await createDigest(depsOf(app), tx, {
    group: c.group,
    key: `consultation-issued:${c.id}`,
    kind: 'MILESTONE_REACHED',
    milestoneId: null,
    late: false,
    ...languages,
  });
}

/** A reminder's job: the list's reminder digest and a mail to each focal point of an Administration that has not answered every draft. */
export async function remindConsultation(app: FastifyInstance, job: ReminderJob) {
  const ctx = app.ctx;
  await transact(ctx, async (tx, emit) => {
    const c = await load(tx, job.consultationId);
    const now = await databaseNow(tx);
    if (!c || c.deadline.toISOString() !== job.deadline || now >= c.deadline) return;
    const key = `consultation-reminder:${c.id}:${job.deadline}:${job.hours}h`;
    if (await tx.digest.findUnique({ where: { key }, select: { id: true } })) return;
    const pending = await tx.$queryRaw<{ administration: string; answered: number; email: string; name: string; locale: string }[]>`
      SELECT ad.name AS administration, u.email, u.name, u.locale,
             (SELECT count(*)::int FROM "ConsultationAnswer" a WHERE a."consultationId" = fp."consultationId" AND a."administrationId" = fp."administrationId") AS answered
      FROM "ConsultationFocalPoint" fp
      JOIN "Administration" ad ON ad.id = fp."administrationId"
      JOIN "User" u ON u.id = fp."userId"
      WHERE fp."consultationId" = ${c.id}::uuid`;
    const behind = pending.filter((p) => p.answered < c.drafts.length);
    const languages = await inGroupLanguages(c.group, (locale) => {
      const t = wordsIn(locale);
      const v = view(
        ctx,
        c,
        'reminder',
        t('reminder.subject', { reference: c.reference, deadline: mailInstant(locale, c.deadline) }),
        t('reminder.headline'),
        locale,
      );
      v.intro = [
        { text: c.subject },
        { text: t('reminder.behind', { behind: new Set(behind.map((b) => b.administration)).size, invited: c._count.invitees }) },
      ];
      return v;
    });
    await createDigest(depsOf(app), tx, { group: c.group, key, kind: 'REMINDER', milestoneId: null, late: false, ...languages });
    for (const p of behind) {
      await queueMail(ctx, tx, emit, {
        to: p.email,
        template: 'consultation-reminder',
        props: {
          name: p.name,
          administration: p.administration,
          reference: c.reference,
          subject: c.subject,
          drafts: c.drafts.length,
          answered: p.answered,
          deadline: mailInstant(readerLocale(p.locale), c.deadline),
          url: `${ctx.config.publicUrl}/groups/${c.group.slug}/consultations/${c.id}`,
        },
        locale: readerLocale(p.locale),
      });
    }
  });
}

/** The deadline's job: the result digest with the tally of every draft. */
export async function announceConsultationResult(app: FastifyInstance, job: TimedJob) {
  const ctx = app.ctx;
  await transact(ctx, async (tx) => {
    const c = await load(tx, job.consultationId);
    const now = await databaseNow(tx);
    if (!c || c.deadline.toISOString() !== job.deadline || now < c.deadline) return;
    const key = `consultation-result:${c.id}:${job.deadline}`;
    if (await tx.digest.findUnique({ where: { key }, select: { id: true } })) return;
    const counts = await tx.$queryRaw<{ draftId: string; replies: number; inSupport: number }[]>`
      SELECT "draftId", count(*)::int AS replies, count(*) FILTER (WHERE position = 'ASSIGNS_AUTHORITY')::int AS "inSupport"
      FROM "ConsultationAnswer" WHERE "consultationId" = ${c.id}::uuid GROUP BY "draftId"`;
    const countOf = new Map(counts.map((r) => [r.draftId, r]));
    const languages = await inGroupLanguages(c.group, (locale) => {
      const words = wordsIn(locale);
      const v = view(ctx, c, 'milestone_reached', words('result.subject', { reference: c.reference }), words('result.headline'), locale);
      v.deadline = false;
      v.intro = [{ text: c.subject }, { text: words('threshold', { percent: c.thresholdPercent }) }];
      v.sections = [
        section(words('result.perDraft'), {
          rows: c.drafts.map((d) => {
            const n = countOf.get(d.id);
            const t = tallyDraft(d.id, n?.inSupport ?? 0, n?.replies ?? 0, c.thresholdPercent, true);
            const share = t.percentInSupport === null ? '' : words('result.share', { percent: t.percentInSupport });
            return {
              label: draftName(d.workItem),
              value: words('result.row', { replies: t.replies, inSupport: t.inSupport, share, outcome: words(`outcome.${t.outcome!}`) }),
            };
          }),
        }),
      ];
      return v;
    });
    await createDigest(depsOf(app), tx, {
      group: c.group,
      key,
      kind: 'MILESTONE_REACHED',
      milestoneId: null,
      late: now.getTime() - c.deadline.getTime() > 3_600_000,
      ...languages,
    });
  });
}

export function registerConsultationJobs(app: FastifyInstance) {
  // The issue digest commits with the consultation, or not at all (as the extension digest does).
  app.ctx.events.beforeCommit(async (tx, events) => {
    for (const event of events) {
      if (event.name === 'consultations.issued') await announceIssue(app, tx, (event.payload as { consultationId: string }).consultationId);
    }
  });
  app.jobs.define<ReminderJob>(REMIND_QUEUE, { queue: TIMED_JOB, handler: (job) => remindConsultation(app, job.data) });
  app.jobs.define<TimedJob>(RESULT_QUEUE, { queue: TIMED_JOB, handler: (job) => announceConsultationResult(app, job.data) });
}
