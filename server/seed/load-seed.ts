// Loads the demo groups. Idempotent: groups that exist (by URL name) are left as they are,
// so it is safe at every start and as `npm run db:seed`, also from several instances starting
// at once on a new database: each step holds a lock of its own for its transaction, so the
// second instance finds what the first created instead of failing on a unique constraint.
import type { Ctx } from '../lib/use-case.ts';
import { recordAudit } from '../lib/audit.ts';
import { transact, type Tx } from '../lib/use-case.ts';
import { readFile } from 'node:fs/promises';
import { importMarkdown } from '../modules/revisions/lib/import-markdown.ts';
import { CG_IOTSEC, LIVE_CG_IOTSEC, liveCgIotsec, SEED_DOCUMENT, SEED_GROUPS, type SeedGroup } from './seed-data.ts';
import { loadWorkProgramme, SG17 } from './seed-work-programme.ts';
import { loadConsultationSeed } from './load-consultation-seed.ts';

const SEED_LOCK_KEY = 7_268_001_418;
/** Seed transactions may wait for another instance's: give them longer than Prisma's 5 s. */
const SEED_TX = { timeoutMs: 60_000 };
const lockSeed = (tx: Tx) => tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEED_LOCK_KEY}::bigint)`;

export async function ensureOperator(ctx: Ctx) {
  return ctx.prisma.user.upsert({
    where: { email: ctx.config.operatorEmail },
    create: { email: ctx.config.operatorEmail, name: 'Operator', affiliation: 'Convene', isOperator: true },
    update: { isOperator: true },
  });
}

async function loadGroup(ctx: Ctx, operatorId: string, seed: SeedGroup): Promise<boolean> {
  return transact(
    ctx,
    async (tx) => {
      await lockSeed(tx);
      if (await tx.group.findUnique({ where: { slug: seed.slug } })) return false;
      const { people, milestones, ...fields } = seed;
      const group = await tx.group.create({ data: fields });
      await recordAudit(tx, {
        actorId: operatorId,
        groupId: group.id,
        action: 'groups.created',
        entityType: 'group',
        entityId: group.id,
        after: { ...fields, source: 'seed' },
      });
      for (const p of people) {
        const user = await tx.user.upsert({ where: { email: p.email }, create: { email: p.email, name: p.name, affiliation: p.affiliation }, update: {} });
        const m = await tx.membership.create({ data: { groupId: group.id, userId: user.id, role: p.role, invitedById: operatorId } });
        await recordAudit(tx, {
          actorId: operatorId,
          groupId: group.id,
          action: 'members.added',
          entityType: 'membership',
          entityId: m.id,
          after: { userId: user.id, role: p.role.toLowerCase() },
        });
      }
      await tx.milestone.createMany({ data: milestones.map((m) => ({ groupId: group.id, at: new Date(m.at), kind: m.kind, label: m.label })) });
      return true;
    },
    SEED_TX,
  );
}

/**
 * The X.iotsec-2 draft (seed 001) as revision 1 of a CG-IoTsec report, posted by a convener at
 * the timeframe's first milestone (1 April 2016 for the real group), with its comment period tied
 * to the timeframe's first two milestones (seed 000). Skipped when the group already has a
 * document of that title.
 */
async function loadDocument(ctx: Ctx, operatorId: string, slug: string): Promise<boolean> {
  const imported = importMarkdown(await readFile(SEED_DOCUMENT.source, 'utf8'));
  return transact(
    ctx,
    async (tx) => {
      await lockSeed(tx);
      const group = await tx.group.findUnique({ where: { slug } });
      if (!group || (await tx.document.findFirst({ where: { groupId: group.id, title: SEED_DOCUMENT.title } }))) return false;
      const poster = await tx.user.findUnique({ where: { email: SEED_DOCUMENT.postedBy } });
      const milestones = await tx.milestone.findMany({ where: { groupId: group.id } });
      const opening = milestones.find((m) => m.kind === 'DRAFT_POSTED');
      const closing = milestones.find((m) => m.kind === 'COMMENTS_CLOSE');
      const postedAt = opening?.at ?? new Date(SEED_DOCUMENT.postedAt);
      const document = await tx.document.create({
        data: { groupId: group.id, title: SEED_DOCUMENT.title, createdById: poster?.id ?? operatorId, createdAt: postedAt },
      });
      const revision = await tx.revision.create({
        data: {
          documentId: document.id,
          sequence: 1,
          label: SEED_DOCUMENT.label,
          format: 'MARKDOWN',
          notes: imported.notes,
          postedById: poster?.id ?? null,
          postedAt,
          clauses: {
            createMany: { data: imported.clauses.map((c, position) => ({ position, number: c.number, heading: c.heading, html: c.html, text: c.text })) },
          },
        },
      });
      if (opening && closing) {
        await tx.milestone.update({ where: { id: opening.id }, data: { effect: 'OPEN_COMMENTS', revisionId: revision.id } });
        await tx.milestone.update({ where: { id: closing.id }, data: { effect: 'CLOSE_COMMENTS', revisionId: revision.id } });
        await tx.commentPeriod.create({
          data: {
            documentId: document.id,
            revisionId: revision.id,
            opensAt: opening.at,
            closesAt: closing.at,
            openingMilestoneId: opening.id,
            closingMilestoneId: closing.id,
          },
        });
      }
      await recordAudit(tx, {
        actorId: poster?.id ?? operatorId,
        groupId: group.id,
        action: 'revisions.posted',
        entityType: 'revision',
        entityId: revision.id,
        after: { documentId: document.id, sequence: 1, label: SEED_DOCUMENT.label, clauses: imported.clauses.length, source: 'seed' },
      });
      return true;
    },
    SEED_TX,
  );
}

/** Returns the slugs of the groups it created. */
export async function loadSeed(ctx: Ctx): Promise<string[]> {
  const operator = await ensureOperator(ctx);
  const created: string[] = [];
  // The database's day, not this process's clock: the live copy starts the day the data does.
  const [{ now }] = await ctx.prisma.$queryRaw<[{ now: Date }]>`SELECT now() AS now`;
  for (const seed of [...SEED_GROUPS, liveCgIotsec(now)]) if (await loadGroup(ctx, operator.id, seed)) created.push(seed.slug);
  for (const slug of [CG_IOTSEC.slug, LIVE_CG_IOTSEC.slug]) await loadDocument(ctx, operator.id, slug);
  if (await loadGroup(ctx, operator.id, SG17)) created.push(SG17.slug);
  await loadWorkProgramme(ctx, operator.email);
  await loadConsultationSeed(ctx, operator.id);
  return created;
}
