// JSON shape of work items, for the programme list, the work item page and the public read.
// People appear by name and affiliation, never by address.
import type { WorkItem, WorkItemStatusChange } from '../../generated/prisma/client.ts';
import { lower } from '../../lib/enum-case.ts';
import { nextStatuses } from './work-item-state.ts';

export interface EditorRow {
  affiliation: string;
  user: { id: string; name: string; affiliation: string };
}
export type WorkItemWithEditors = WorkItem & { editors: EditorRow[] };

export const editorsInclude = {
  editors: { orderBy: { position: 'asc' as const }, include: { user: { select: { id: true, name: true, affiliation: true } } } },
};

export function presentWorkItemSummary(w: WorkItemWithEditors) {
  return {
    id: w.id,
    acronym: w.acronym,
    number: w.number,
    title: w.title,
    question: w.question,
    approvalProcess: lower(w.approvalProcess),
    timing: w.timing,
    status: lower(w.status),
    statusChangedAt: w.statusChangedAt.toISOString(),
    version: w.version,
    // The affiliation A.1 prints for the editor, else the person's own.
    editors: w.editors.map((e) => ({ id: e.user.id, name: e.user.name, affiliation: e.affiliation || e.user.affiliation })),
  };
}

export interface WorkItemPage {
  item: WorkItemWithEditors;
  history: (WorkItemStatusChange & { actor: { id: string; name: string } | null })[];
  documents: {
    id: string;
    title: string;
    state: 'DRAFT' | 'PUBLISHED';
    group: { slug: string; acronym: string };
    revisions: { sequence: number; label: string; postedAt: Date }[];
    periods: { id: string; revision: { sequence: number }; opensAt: Date; closesAt: Date }[];
    comments: number;
    decided: number;
    finalReport: { revision: { sequence: number }; publishedAt: Date } | null;
  }[];
  consultations: { id: string; reference: string; deadline: Date }[];
}

export function presentWorkItem(page: WorkItemPage, abilities: { manage: boolean }) {
  const w = page.item;
  return {
    ...presentWorkItemSummary(w),
    scope: w.scope,
    summary: w.summary,
    baseText: w.baseText,
    relations: w.relations,
    liaisons: w.liaisons,
    supportingMembers: w.supportingMembers,
    createdAt: w.createdAt.toISOString(),
    nextStatuses: nextStatuses(w.status, w.approvalProcess).map(lower),
    history: page.history.map((h) => ({
      id: h.id,
      from: h.from ? lower(h.from) : null,
      to: lower(h.to),
      note: h.note,
      at: h.at.toISOString(),
      by: h.actor ? { id: h.actor.id, name: h.actor.name } : null,
    })),
    documents: page.documents.map((d) => ({
      id: d.id,
      title: d.title,
      group: d.group,
      state: lower(d.state),
      revisions: d.revisions.map((r) => ({ sequence: r.sequence, label: r.label, postedAt: r.postedAt.toISOString() })),
      periods: d.periods.map((p) => ({ id: p.id, revision: p.revision.sequence, opensAt: p.opensAt.toISOString(), closesAt: p.closesAt.toISOString() })),
      dispositions: { comments: d.comments, decided: d.decided },
      finalReport: d.finalReport ? { revision: d.finalReport.revision.sequence, publishedAt: d.finalReport.publishedAt.toISOString() } : null,
    })),
    consultations: page.consultations.map((c) => ({ id: c.id, reference: c.reference, deadline: c.deadline.toISOString() })),
    abilities,
  };
}
