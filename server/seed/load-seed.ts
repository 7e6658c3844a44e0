// Loads the demo groups. Idempotent: groups that exist (by URL name) are left as they are,
// so it is safe at every start and as `npm run db:seed`, also from several instances starting
// at once on a new database: each step holds a lock of its own for its transaction, so the
// second instance finds what the first created instead of failing on a unique constraint.
import type { Ctx } from '../lib/use-case.ts';
import { recordAudit } from '../lib/audit.ts';
import { transact, type Tx } from '../lib/use-case.ts';
import { readFile } from 'node:fs/promises';
import { importMarkdown } from '../modules/revisions/lib/import-markdown.ts';
import { CG_IOTSEC, SEED_DOCUMENT, SEED_GROUPS, type SeedGroup } from './seed-data.ts';
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
 * The X.iotsec-2 draft (seed 001) as revision 1 of the CG-IoTsec report, posted by a convener on
 * 1 April 2016, with its comment period tied to the timeframe's first two milestones (seed 000).
 * Skipped when the group already has a document of that title.
 */
async function loadDocument(ctx: Ctx, operatorId: string): Promise<boolean> {
  const imported = importMarkdown(await readFile(SEED_DOCUMENT.source, 'utf8'));
  return transact(
    ctx,
    async (tx) => {
      await lockSeed(tx);
      const group = await tx.group.findUnique({ where: { slug: CG_IOTSEC.slug } });
      if (!group || (await tx.document.findFirst({ where: { groupId: group.id, title: SEED_DOCUMENT.title } }))) return false;
      const poster = await tx.user.findUnique({ where: { email: SEED_DOCUMENT.postedBy } });
      const document = await tx.document.create({
        data: { groupId: group.id, title: SEED_DOCUMENT.title, createdById: poster?.id ?? operatorId, createdAt: new Date(SEED_DOCUMENT.postedAt) },
      });
      const revision = await tx.revision.create({
        data: {
          documentId: document.id,
          sequence: 1,
          label: SEED_DOCUMENT.label,
          format: 'MARKDOWN',
          notes: imported.notes,
          postedById: poster?.id ?? null,
          postedAt: new Date(SEED_DOCUMENT.postedAt),
          clauses: {
            createMany: { data: imported.clauses.map((c, position) => ({ position, number: c.number, heading: c.heading, html: c.html, text: c.text })) },
          },
        },
      });
      const milestones = await tx.milestone.findMany({ where: { groupId: group.id } });
      const opening = milestones.find((m) => m.kind === 'DRAFT_POSTED');
      const closing = milestones.find((m) => m.kind === 'COMMENTS_CLOSE');
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
  for (const seed of SEED_GROUPS) if (await loadGroup(ctx, operator.id, seed)) created.push(seed.slug);
  await loadDocument(ctx, operator.id);
  await loadConsultationSeed(ctx, operator.id);
  return created;
}
