// JSON shape of a disposition (and of the comment it decides), for HTTP and socket events alike.
// People appear as {id, name, affiliation} — never an e-mail address (PII). An editor's draft is
// a working note for the conveners: everyone else sees the comment as undecided until a
// convener proposes it, so the presenter takes the audience.
import type { Disposition } from '../../generated/prisma/client.ts';

interface PersonLike {
  id: string;
  name: string;
  affiliation: string;
}
const person = (u: PersonLike | null | undefined) => (u ? { id: u.id, name: u.name, affiliation: u.affiliation } : null);
const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

export type DispositionWithPeople = Disposition & {
  assignee: PersonLike | null;
  draftedBy: PersonLike | null;
  proposedBy: PersonLike | null;
  finalisedBy: PersonLike | null;
  implementedIn: { id: string; sequence: number; label: string } | null;
};

export const dispositionInclude = {
  assignee: { select: { id: true, name: true, affiliation: true } },
  draftedBy: { select: { id: true, name: true, affiliation: true } },
  proposedBy: { select: { id: true, name: true, affiliation: true } },
  finalisedBy: { select: { id: true, name: true, affiliation: true } },
  implementedIn: { select: { id: true, sequence: true, label: true } },
} as const;

/** adjudicators: conveners, editors, operator (see drafts); members: everyone else. */
export type Audience = 'adjudicators' | 'members';

export function presentDisposition(d: DispositionWithPeople | null, ids: { commentId: string; documentId: string }, audience: Audience = 'members') {
  const hidden = d === null || (d.status === 'DRAFT' && audience !== 'adjudicators');
  if (hidden) {
    return {
      id: d?.id ?? null,
      commentId: ids.commentId,
      documentId: ids.documentId,
      disposition: null,
      status: 'undecided',
      rationale: '',
      adoptedText: '',
      version: d?.version ?? 0,
      assignee: audience === 'adjudicators' ? person(d?.assignee) : null,
      draftedBy: null,
      proposedBy: null,
      proposedAt: null,
      finalisedBy: null,
      finalisedAt: null,
      finalisedOver: null,
      respondBy: null,
      response: null,
      implementedIn: null,
    };
  }
  return {
    id: d.id,
    commentId: d.commentId,
    documentId: d.documentId,
    disposition: d.code ? d.code.toLowerCase() : null,
    status: d.status.toLowerCase(),
    rationale: d.rationale,
    adoptedText: d.adoptedText,
    version: d.version,
    // Who works on which comment is the conveners' and editors' business.
    assignee: audience === 'adjudicators' ? person(d.assignee) : null,
    draftedBy: audience === 'adjudicators' ? person(d.draftedBy) : null,
    proposedBy: person(d.proposedBy),
    proposedAt: iso(d.proposedAt),
    finalisedBy: person(d.finalisedBy),
    finalisedAt: iso(d.finalisedAt),
    finalisedOver: d.finalisedOver ? d.finalisedOver.toLowerCase() : null,
    respondBy: iso(d.respondBy),
    response: d.responseKind ? { kind: d.responseKind.toLowerCase(), text: d.responseText ?? '', at: iso(d.respondedAt)! } : null,
    implementedIn: d.implementedIn ? { id: d.implementedIn.id, sequence: d.implementedIn.sequence, label: d.implementedIn.label } : null,
  };
}

export type PresentedDisposition = ReturnType<typeof presentDisposition>;

export interface CommentForSummary {
  id: string;
  revision: { sequence: number };
  clause: { number: string; heading: string } | null;
  type: string | null;
  author: PersonLike;
  body: string;
  bodyHtml: string;
  proposedChange: string;
  quotedText: string | null;
  createdAt: Date;
}

export const commentSummaryInclude = {
  revision: { select: { sequence: true } },
  clause: { select: { number: true, heading: true } },
  author: { select: { id: true, name: true, affiliation: true } },
} as const;

export const presentCommentSummary = (c: CommentForSummary) => ({
  id: c.id,
  revision: c.revision.sequence,
  clauseNumber: c.clause?.number ?? null,
  clauseHeading: c.clause?.heading ?? null,
  type: (c.type ?? 'GENERAL').toLowerCase(),
  author: person(c.author)!,
  body: c.body,
  bodyHtml: c.bodyHtml,
  proposedChange: c.proposedChange,
  quotedText: c.quotedText,
  createdAt: c.createdAt.toISOString(),
});
