// Posting a revision: an immutable snapshot of clauses, numbered in sequence per document, and
// carry-forward of every earlier comment to the clause it now concerns (or orphaned), all in
// one transaction so a revision never exists without its links.
import type { Ctx, Tx } from '../../lib/use-case.ts';
import { recordAudit } from '../../lib/audit.ts';
import { transact } from '../../lib/use-case.ts';
import type { CarryForwardReason, RevisionFormat } from '../../generated/prisma/client.ts';
import type { GroupAccess } from '../groups/groups.policy.ts';
import { findDocument } from './documents.ts';
import { readRevision } from './read-revisions.ts';
import { revisionPolicy } from './revisions.policy.ts';
import { matchClauses, type MatchReason } from './lib/carry-forward.ts';
import { changeNote, type Clause, type ImportResult } from './lib/clause.ts';

declare module '../../lib/domain-events.ts' {
  interface DomainEventMap {
    'revisions.posted': { groupId: string; documentId: string; revisionId: string; sequence: number };
  }
}

const REASON: Record<MatchReason, CarryForwardReason> = {
  same_number_and_heading: 'SAME_NUMBER_AND_HEADING',
  same_heading: 'SAME_HEADING',
  text_similarity: 'TEXT_SIMILARITY',
};

export interface PostRevisionInput {
  access: GroupAccess;
  documentId: string;
  label: string;
  format: RevisionFormat;
  imported: ImportResult;
}

/** What a request carries for a revision; read only once the poster may post, so a refused upload is never parsed. */
type ReadRevision = () => Promise<Omit<PostRevisionInput, 'access' | 'documentId'>>;

/** The clauses and notes a revision would have, nothing stored. */
export async function previewRevision(ctx: Ctx, input: { access: GroupAccess; documentId: string; read: ReadRevision }) {
  revisionPolicy.authorize(input.access, 'revisions.post');
  await findDocument(ctx.prisma, input.access.group.id, input.documentId);
  return (await input.read()).imported;
}

/** Posts the revision a request carries and reads it back as the document view shows it. */
export async function postRequestedRevision(ctx: Ctx, input: { access: GroupAccess; documentId: string; read: ReadRevision }) {
  revisionPolicy.authorize(input.access, 'revisions.post');
  await findDocument(ctx.prisma, input.access.group.id, input.documentId);
  const { revision, carried } = await postRevision(ctx, { access: input.access, documentId: input.documentId, ...(await input.read()) });
  return { revision: await readRevision(ctx, revision.documentId, revision.sequence), carried };
}

export async function postRevision(ctx: Ctx, input: PostRevisionInput) {
  const { group, user } = input.access;
  return transact(ctx, async (tx, emit) => {
    const document = await findDocument(tx, group.id, input.documentId);
    // Serialises concurrent posts on one document, so sequence numbers never collide.
    await tx.$executeRaw`SELECT 1 FROM "Document" WHERE id = ${document.id}::uuid FOR UPDATE`;
    const last = await tx.revision.findFirst({ where: { documentId: document.id }, orderBy: { sequence: 'desc' }, select: { sequence: true } });
    const sequence = (last?.sequence ?? 0) + 1;
    const revision = await tx.revision.create({
      data: {
        documentId: document.id,
        sequence,
        label: input.label,
        format: input.format,
        notes: [...input.imported.notes, ...input.imported.changes.map(changeNote)],
        postedById: user.id,
        clauses: {
          createMany: { data: input.imported.clauses.map((c, position) => ({ position, number: c.number, heading: c.heading, html: c.html, text: c.text })) },
        },
      },
      include: { clauses: { orderBy: { position: 'asc' } } },
    });
    const carried = await carryCommentsForward(tx, document.id, revision);
    await recordAudit(tx, {
      actorId: user.id,
      groupId: group.id,
      action: 'revisions.posted',
      entityType: 'revision',
      entityId: revision.id,
      after: { documentId: document.id, sequence, label: input.label, format: input.format.toLowerCase(), clauses: revision.clauses.length, ...carried },
    });
    emit('revisions.posted', { groupId: group.id, documentId: document.id, revisionId: revision.id, sequence });
    return { revision, carried };
  });
}

type StoredClause = Clause & { id: string };

/**
 * Links every top-level comment of the document to the new revision. A comment's current place
 * is its own clause, or its link into the latest revision it has been carried to; that
 * revision's clauses are matched against the new ones with matchClauses (number and heading,
 * then unambiguous heading, then text similarity ≥ CARRY_FORWARD_THRESHOLD).
 */
export async function carryCommentsForward(tx: Tx, documentId: string, target: { id: string; sequence: number; clauses: StoredClause[] }) {
  const comments = await tx.comment.findMany({
    where: { documentId, parentId: null, revision: { sequence: { lt: target.sequence } } },
    select: {
      id: true,
      clauseId: true,
      revisionId: true,
      revision: { select: { sequence: true } },
      carriedTo: { orderBy: { revision: { sequence: 'desc' } }, take: 1, select: { revisionId: true, clauseId: true, reason: true } },
    },
  });
  const matchesByRevision = new Map<string, Map<string, { clauseId: string; reason: CarryForwardReason; similarity: number }>>();
  async function matchesFrom(revisionId: string) {
    let found = matchesByRevision.get(revisionId);
    if (!found) {
      const from = await tx.clause.findMany({ where: { revisionId }, orderBy: { position: 'asc' } });
      found = new Map();
      for (const m of matchClauses(from, target.clauses)) {
        if (m.toIndex !== null)
          found.set(from[m.fromIndex]!.id, { clauseId: target.clauses[m.toIndex]!.id, reason: REASON[m.reason!], similarity: m.similarity });
      }
      matchesByRevision.set(revisionId, found);
    }
    return found;
  }

  const links: Array<{ commentId: string; revisionId: string; clauseId: string | null; reason: CarryForwardReason; similarity: number }> = [];
  for (const c of comments) {
    const latest = c.carriedTo[0];
    const place = latest
      ? { revisionId: latest.revisionId, clauseId: latest.clauseId, orphaned: latest.reason === 'ORPHANED' }
      : { revisionId: c.revisionId, clauseId: c.clauseId, orphaned: false };
    if (place.orphaned) {
      links.push({ commentId: c.id, revisionId: target.id, clauseId: null, reason: 'ORPHANED', similarity: 0 });
    } else if (place.clauseId === null) {
      links.push({ commentId: c.id, revisionId: target.id, clauseId: null, reason: 'DOCUMENT_LEVEL', similarity: 1 });
    } else {
      const match = (await matchesFrom(place.revisionId)).get(place.clauseId);
      links.push(
        match
          ? { commentId: c.id, revisionId: target.id, ...match }
          : { commentId: c.id, revisionId: target.id, clauseId: null, reason: 'ORPHANED', similarity: 0 },
      );
    }
  }
  if (links.length) await tx.commentCarryForward.createMany({ data: links });
  const orphaned = links.filter((l) => l.reason === 'ORPHANED').length;
  return { carriedComments: links.length - orphaned, orphanedComments: orphaned };
}
