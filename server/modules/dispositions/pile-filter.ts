// The filters of the working pile, as one Prisma `where` on top-level comments. Pure: the same
// query string always gives the same where, tested without a database.
import type { Prisma } from '../../generated/prisma/client.ts';

export interface PileFilter {
  state?: 'undecided' | 'draft' | 'proposed' | 'objected' | 'final' | undefined;
  clause?: string | undefined;
  type?: 'general' | 'technical' | 'editorial' | undefined;
  affiliation?: string | undefined;
  assignee?: string | undefined;
  revision?: number | undefined;
}

/** The comments a disposition is made on: top-level (replies have none) and not withdrawn. */
export const adjudicableComments = (documentId: string): Prisma.CommentWhereInput => ({ documentId, parentId: null, status: 'OPEN' });

const STATE: Record<NonNullable<PileFilter['state']>, Prisma.CommentWhereInput> = {
  // Not yet proposed to the commenter: no row, an assignment only, or an editor's draft.
  undecided: { OR: [{ disposition: null }, { disposition: { status: { in: ['UNDECIDED', 'DRAFT'] } } }] },
  draft: { disposition: { status: 'DRAFT' } },
  proposed: { disposition: { status: 'PROPOSED' } },
  // Kept on record after finalising, so "objected" spans proposed and final.
  objected: { disposition: { responseKind: 'OBJECT', status: { in: ['PROPOSED', 'FINAL'] } } },
  final: { disposition: { status: 'FINAL' } },
};

export function pileWhere(documentId: string, filter: PileFilter, viewerId: string): Prisma.CommentWhereInput {
  const and: Prisma.CommentWhereInput[] = [adjudicableComments(documentId)];
  if (filter.state) and.push(STATE[filter.state]);
  if (filter.clause !== undefined) {
    and.push(filter.clause.toLowerCase() === 'general' ? { clauseId: null } : { clause: { number: filter.clause } });
  }
  if (filter.type) and.push({ type: filter.type.toUpperCase() as 'GENERAL' | 'TECHNICAL' | 'EDITORIAL' });
  if (filter.affiliation) and.push({ author: { affiliation: { equals: filter.affiliation, mode: 'insensitive' } } });
  if (filter.assignee === 'none') and.push({ OR: [{ disposition: null }, { disposition: { assigneeId: null } }] });
  else if (filter.assignee) and.push({ disposition: { assigneeId: filter.assignee === 'me' ? viewerId : filter.assignee } });
  if (filter.revision !== undefined) and.push({ revision: { sequence: filter.revision } });
  return { AND: and };
}

/** Document order: by revision, then clause position (whole-document comments last), then time. */
export const pileOrder: Prisma.CommentOrderByWithRelationInput[] = [
  { revision: { sequence: 'asc' } },
  { clause: { position: 'asc' } },
  { createdAt: 'asc' },
  { id: 'asc' },
];
