// Demo data of open consultations: the IS3C WG1 sub-group's draft report in an open public
// consultation (seed 003: "open external stakeholder consultations on the report's conclusions
// and recommendations", and its research questions), whose deadline is always ahead of the day
// the demo is seeded; and the liaison statement of seed 001 (SG17 "kindly seeking your comments on
// draft Rec. ITU-T X.iotsec-2") sent to ISO/IEC JTC 1/SC 27 on the CG-IoTsec draft. Idempotent:
// each part is skipped when its document or liaison exists. No mail is sent (addresses are made up).
import { readFile } from 'node:fs/promises';
import { recordAudit } from '../lib/audit.ts';
import { hashToken, randomToken } from '../lib/tokens.ts';
import { transact, type Ctx } from '../lib/use-case.ts';
import { importMarkdown } from '../modules/revisions/lib/import-markdown.ts';
import { CG_IOTSEC, IS3C_WG1_IOT, SEED_DOCUMENT } from './seed-data.ts';

export const IS3C_REPORT = {
  title: 'IoT security by design: research report and recommendations (draft)',
  label: 'Draft for open external stakeholder consultation',
  source: new URL('./is3c-wg1-iot-report.md', import.meta.url),
  postedBy: 'nicolas.fiumarelli@example.org',
  /** The consultation runs this long from the day the demo is seeded, closing at 23:59 UTC. */
  consultationDays: 60,
  intro: [
    "IS3C holds this open external stakeholder consultation on the report's conclusions and recommendations.",
    'Anyone may take part: confirm your e-mail address, tell us your stakeholder group and region, then comment on any section and answer the questions below.',
    "WG1 reviews the external stakeholders' responses before the final report is published.",
  ].join('\n\n'),
  questions: [
    {
      prompt: 'What are the main challenges to a unified approach towards IoT security and safety?',
      kind: 'MULTIPLE_CHOICE' as const,
      choices: [
        'Gaps in architecture',
        'Competing protocols',
        'Poor or deficient security specifications',
        'Lack of centralised ID management',
        'Need for a basic trust model',
      ],
    },
    {
      prompt: 'Would a global baseline of IoT security-by-design requirements (recommendation 6.1) be adopted in your country or economy?',
      kind: 'SINGLE_CHOICE' as const,
      choices: ['Yes, as it stands', 'Yes, with changes', 'No', 'Do not know'],
    },
    {
      prompt: 'What are the practicable avenues for communicating and deploying IoT security-by-design best practices?',
      kind: 'FREE_TEXT' as const,
      choices: [],
    },
  ],
};

export const X_IOTSEC_LIAISON = {
  title: 'LS on draft new Recommendation ITU-T X.iotsec-2, Security framework for Internet of Things',
  body: 'ISO/IEC JTC 1/SC 27',
  contact: { email: 'sc27.secretariat@example.org', name: 'SC 27 Secretariat' },
  text: [
    'ITU-T Study Group 17, Security, in its Question 6/17, Security aspects of ubiquitous telecommunication services, is pleased to inform you that we agreed to establish a new work item draft Recommendation ITU-T X.iotsec-2, security framework for Internet of Thing, at our April 2015 SG17 meeting (see Annex 1).',
    'This work item is to analyse security threats and challenges in the Internet of Things environment and to describe security capabilities that could mitigate these threats and address security challenges.',
    'We are kindly seeking your comments on draft Rec. ITU-T X.iotsec-2 (see Annex 2), and to provide us with information about relevant documents.',
    'Further, we would like to continue communication and cooperation with you.',
  ].join('\n\n'),
};

const endOfDayUtc = (from: Date, days: number) => {
  const d = new Date(from.getTime() + days * 86_400_000);
  d.setUTCHours(23, 59, 0, 0);
  return d;
};

export async function loadConsultationSeed(ctx: Ctx, operatorId: string) {
  await loadIs3cConsultation(ctx, operatorId);
  await loadXIotsecLiaison(ctx, operatorId);
}

async function loadIs3cConsultation(ctx: Ctx, operatorId: string) {
  const imported = importMarkdown(await readFile(IS3C_REPORT.source, 'utf8'));
  await transact(
    ctx,
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(7268001419::bigint)`;
      const group = await tx.group.findUnique({ where: { slug: IS3C_WG1_IOT.slug } });
      if (!group || (await tx.document.findFirst({ where: { groupId: group.id, title: IS3C_REPORT.title } }))) return;
      const poster = await tx.user.findUnique({ where: { email: IS3C_REPORT.postedBy } });
      const [{ now }] = await tx.$queryRaw<[{ now: Date }]>`SELECT now() AS now`;
      const document = await tx.document.create({ data: { groupId: group.id, title: IS3C_REPORT.title, createdById: poster?.id ?? operatorId } });
      const revision = await tx.revision.create({
        data: {
          documentId: document.id,
          sequence: 1,
          label: IS3C_REPORT.label,
          format: 'MARKDOWN',
          notes: imported.notes,
          postedById: poster?.id ?? null,
          clauses: {
            createMany: { data: imported.clauses.map((c, position) => ({ position, number: c.number, heading: c.heading, html: c.html, text: c.text })) },
          },
        },
      });
      const closesAt = endOfDayUtc(now, IS3C_REPORT.consultationDays);
      const opening = await tx.milestone.create({
        data: {
          groupId: group.id,
          at: now,
          kind: 'DRAFT_POSTED',
          label: 'Open external stakeholder consultation opens',
          effect: 'OPEN_COMMENTS',
          revisionId: revision.id,
        },
      });
      const closing = await tx.milestone.create({
        data: {
          groupId: group.id,
          at: closesAt,
          kind: 'COMMENTS_CLOSE',
          label: 'Open external stakeholder consultation closes',
          effect: 'CLOSE_COMMENTS',
          revisionId: revision.id,
        },
      });
      const period = await tx.commentPeriod.create({
        data: {
          documentId: document.id,
          revisionId: revision.id,
          opensAt: now,
          closesAt,
          openingMilestoneId: opening.id,
          closingMilestoneId: closing.id,
          openness: 'ANYONE',
          outsideModeration: 'AFTER_REVIEW',
          consultationIntro: IS3C_REPORT.intro,
          questions: { createMany: { data: IS3C_REPORT.questions.map((q, position) => ({ ...q, position })) } },
        },
      });
      await recordAudit(tx, {
        actorId: poster?.id ?? operatorId,
        groupId: group.id,
        action: 'periods.openness_changed',
        entityType: 'comment_period',
        entityId: period.id,
        after: { openness: 'ANYONE', closesAt: closesAt.toISOString(), source: 'seed' },
      });
    },
    { timeoutMs: 60_000 },
  );
}

async function loadXIotsecLiaison(ctx: Ctx, operatorId: string) {
  await transact(
    ctx,
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(7268001419::bigint)`;
      const group = await tx.group.findUnique({ where: { slug: CG_IOTSEC.slug } });
      const document = group && (await tx.document.findFirst({ where: { groupId: group.id, title: SEED_DOCUMENT.title }, include: { periods: true } }));
      const period = document?.periods[0];
      if (!group || !document || !period || (await tx.liaison.findFirst({ where: { documentId: document.id, title: X_IOTSEC_LIAISON.title } }))) return;
      const convener = await tx.user.findUnique({ where: { email: SEED_DOCUMENT.postedBy } });
      await tx.commentPeriod.update({ where: { id: period.id }, data: { openness: 'INVITED_ORGANISATIONS' } });
      const liaison = await tx.liaison.create({
        data: {
          groupId: group.id,
          documentId: document.id,
          periodId: period.id,
          title: X_IOTSEC_LIAISON.title,
          purpose: 'COMMENT',
          text: X_IOTSEC_LIAISON.text,
          deadline: period.closesAt,
          sentAt: period.opensAt,
          createdById: convener?.id ?? operatorId,
          bodies: {
            create: {
              name: X_IOTSEC_LIAISON.body,
              stakeholderGroup: 'TECHNICAL_COMMUNITY',
              // The demo's link was never mailed: its token is thrown away.
              contacts: { create: { ...X_IOTSEC_LIAISON.contact, tokenHash: hashToken(ctx.config.sessionSecret, randomToken()) } },
            },
          },
        },
      });
      await recordAudit(tx, {
        actorId: convener?.id ?? operatorId,
        groupId: group.id,
        action: 'liaisons.sent',
        entityType: 'liaison',
        entityId: liaison.id,
        after: { title: X_IOTSEC_LIAISON.title, bodies: [X_IOTSEC_LIAISON.body], source: 'seed' },
      });
    },
    { timeoutMs: 60_000 },
  );
}
