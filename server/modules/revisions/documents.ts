// Documents of a group: create, find (scoped to the group: another group's document is a 404),
// list, publish.
import type { Ctx, Tx } from '../../lib/use-case.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../../lib/audit.ts';
import { transact } from '../../lib/use-case.ts';
import { GROUP_ACCESS_COLUMNS, toGroupAccess, type GroupAccess } from '../groups/groups.policy.ts';
import { revisionPolicy } from './revisions.policy.ts';
import type { EmitFn } from '../../lib/domain-events.ts';
import type { Document, Group, Revision, Role, User } from '../../generated/prisma/client.ts';

declare module '../../lib/domain-events.ts' {
  interface DomainEventMap {
    'documents.created': { groupId: string; documentId: string };
    'documents.published': { groupId: string; documentId: string; revisionId: string; milestoneId: string };
  }
}

export async function createDocument(ctx: Ctx, input: { access: GroupAccess; title: string }) {
  const { group, user } = input.access;
  revisionPolicy.authorize(input.access, 'documents.create');
  return transact(ctx, async (tx, emit) => {
    const document = await tx.document.create({ data: { groupId: group.id, title: input.title, createdById: user.id } });
    await recordAudit(tx, {
      actorId: user.id,
      groupId: group.id,
      action: 'documents.created',
      entityType: 'document',
      entityId: document.id,
      after: { title: document.title },
    });
    emit('documents.created', { groupId: group.id, documentId: document.id });
    return document;
  });
}

export async function findDocument(db: Tx, groupId: string, documentId: string) {
  const document = await db.document.findFirst({ where: { id: documentId, groupId } });
  if (!document) throw AppError.notFound('That document', 'document_not_found');
  return document;
}

/**
 * The group the user may see (404 otherwise) and one of its documents (null when it is not in
 * that group): one statement, for read routes that need both (the 2,000-comment export).
 */
export async function loadDocumentAccess(
  ctx: Ctx,
  input: { slug: string; user: User; documentId: string },
): Promise<{ access: GroupAccess; document: () => Document }> {
  type Row = Group & { memberRole: Role | null; document: Document | null };
  const rows = await ctx.prisma.$queryRaw<Row[]>`
    SELECT ${GROUP_ACCESS_COLUMNS},
           CASE WHEN d.id IS NULL THEN NULL ELSE json_build_object('id', d.id, 'groupId', d."groupId", 'title', d.title, 'state', d.state,
             'createdById', d."createdById", 'createdAt', d."createdAt", 'updatedAt', d."updatedAt") END AS document
    FROM "Group" g
    LEFT JOIN "Membership" m ON m."groupId" = g.id AND m."userId" = ${input.user.id}::uuid
    LEFT JOIN "Document" d ON d.id = ${input.documentId}::uuid AND d."groupId" = g.id
    WHERE g.slug = ${input.slug}`;
  const row = rows[0];
  const { document, ...groupRow } = row ?? ({} as Row);
  const access = toGroupAccess(row ? groupRow : undefined, input.user);
  return {
    access,
    // Its 404 comes after the route's role check, as with findDocument.
    document: () => {
      if (!document) throw AppError.notFound('That document', 'document_not_found');
      return { ...document, createdAt: new Date(document.createdAt), updatedAt: new Date(document.updatedAt) };
    },
  };
}

export async function findRevision(db: Tx, documentId: string, sequence: number) {
  const revision = await db.revision.findUnique({ where: { documentId_sequence: { documentId, sequence } } });
  if (!revision) throw AppError.notFound(`Revision ${sequence} of that document`, 'revision_not_found');
  return revision;
}

export async function listDocuments(ctx: Ctx, input: { access: GroupAccess }) {
  revisionPolicy.authorize(input.access, 'documents.read');
  return ctx.prisma.document.findMany({
    where: { groupId: input.access.group.id },
    orderBy: { createdAt: 'asc' },
    include: { revisions: { orderBy: { sequence: 'desc' }, take: 1, include: { postedBy: true } } },
  });
}

/**
 * Publishes a revision as the document's final text: a PUBLISH_REVISION milestone at the
 * database's now, and the document's state PUBLISHED. Comment periods are not touched.
 */
/**
 * Publishes a revision as the document's final text, inside the caller's transaction: the final
 * report (dispositions/final-report.ts) publishes it together with its frozen disposition table.
 */
export async function publishRevision(
  tx: Tx,
  emit: EmitFn,
  input: { access: GroupAccess; document: Document; revision: Revision; label?: string | undefined },
) {
  const { group, user } = input.access;
  const { document, revision } = input;
  const [{ now }] = await tx.$queryRaw<[{ now: Date }]>`SELECT now() AS now`;
  // The timeframe usually plans this step ("6 June: conveners publish the final report"). The
  // publication is that milestone reached (now), not a second one: one step, one digest.
  const planned = await tx.milestone.findFirst({
    where: { groupId: group.id, kind: 'FINAL_REPORT_PUBLISHED', revisionId: null, at: { gt: now } },
    orderBy: { at: 'asc' },
  });
  const fields = { at: now, effect: 'PUBLISH_REVISION' as const, revisionId: revision.id };
  const milestone = planned
    ? await tx.milestone.update({ where: { id: planned.id }, data: { ...fields, sequence: { increment: 1 } } })
    : await tx.milestone.create({
        data: {
          ...fields,
          groupId: group.id,
          kind: 'FINAL_REPORT_PUBLISHED',
          label: input.label ?? `${document.title}: revision ${revision.sequence} (${revision.label}) published`,
        },
      });
  await tx.document.update({ where: { id: document.id }, data: { state: 'PUBLISHED' } });
  await recordAudit(tx, {
    actorId: user.id,
    groupId: group.id,
    action: 'documents.published',
    entityType: 'document',
    entityId: document.id,
    before: { state: document.state.toLowerCase() },
    after: { state: 'published', revision: revision.sequence, milestoneId: milestone.id },
  });
  emit('documents.published', { groupId: group.id, documentId: document.id, revisionId: revision.id, milestoneId: milestone.id });
  emit('milestones.changed', { groupId: group.id, milestoneId: milestone.id, change: planned ? 'updated' : 'created' });
  return { document: { ...document, state: 'PUBLISHED' as const }, revision, milestone };
}
