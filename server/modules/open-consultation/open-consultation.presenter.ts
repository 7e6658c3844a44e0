// JSON of open consultations. Outside comments carry the attribution their authors agreed to; an
// address appears only in the moderators' queue (conveners) and in the caller's own `me`.
import type { CommentPeriod, ConsultationQuestion, OutsideParticipant } from '../../generated/prisma/client.ts';
import { lower } from '../../lib/enum-case.ts';
import { presentInstant } from '../../lib/instant.ts';
import type { ConsultationAccess } from './consultation-access.ts';
import { attributionOf } from './attribution.ts';
import { consultationPath } from './outside-participation.ts';
import type { ConsultationView } from './read-consultation.ts';
import type { listModerationQueue } from './moderation.ts';

export const presentQuestion = (q: ConsultationQuestion) => ({ id: q.id, prompt: q.prompt, kind: lower(q.kind), choices: q.choices, required: q.required });

export function presentOpenness(p: CommentPeriod & { questions: ConsultationQuestion[] }, publicUrl: string, questionsAnswered: boolean) {
  return {
    periodId: p.id,
    openness: lower(p.openness),
    outsideModeration: lower(p.outsideModeration),
    publishMemberComments: p.publishMemberComments,
    consultationIntro: p.consultationIntro,
    questions: p.questions.map(presentQuestion),
    questionsAnswered,
    publicUrl: p.openness === 'ANYONE' ? `${publicUrl}${consultationPath(p.id)}` : null,
  };
}

export function presentParticipant(p: OutsideParticipant) {
  return {
    id: p.id,
    name: p.name,
    organisation: p.organisation,
    stakeholderGroup: lower(p.stakeholderGroup),
    countryCode: p.countryCode,
    region: p.region ? lower(p.region) : null,
    publishName: p.publishName,
    liaison: p.liaisonContactId !== null,
    anonymised: p.anonymisedAt !== null,
  };
}

const presentAttribution = (p: OutsideParticipant) => {
  const a = attributionOf(p);
  return { ...a, stakeholderGroup: lower(a.stakeholderGroup), region: a.region ? lower(a.region) : null };
};

export function presentConsultation(access: ConsultationAccess, v: ConsultationView) {
  const { period } = access;
  const tz = period.document.group.timeZone;
  const outside = v.published.map((c) => ({
    id: c.commentId ?? c.id,
    clauseId: c.clauseId,
    type: lower(c.type),
    bodyHtml: c.comment?.bodyHtml ?? '',
    proposedChange: c.proposedChange,
    quotedText: c.quotedText,
    createdAt: (c.comment?.createdAt ?? c.createdAt).toISOString(),
    by: presentAttribution(c.participant),
  }));
  const members = v.memberComments.map((c) => ({
    id: c.id,
    clauseId: c.clauseId,
    type: c.type ? lower(c.type) : null,
    bodyHtml: c.bodyHtml,
    proposedChange: c.proposedChange,
    quotedText: c.quotedText,
    createdAt: c.createdAt.toISOString(),
    by: { origin: 'member' as const, name: c.author.name, organisation: c.author.affiliation, named: true, stakeholderGroup: null, region: null },
  }));
  return {
    periodId: period.id,
    group: { name: period.document.group.name, acronym: period.document.group.acronym },
    document: { id: period.document.id, title: period.document.title },
    revision: { sequence: v.revision.sequence, label: v.revision.label },
    openness: lower(period.openness),
    moderation: lower(period.outsideModeration),
    opensAt: presentInstant(period.opensAt, tz),
    closesAt: presentInstant(period.closesAt, tz),
    open: period.opensAt <= v.now && v.now < period.closesAt,
    intro: period.consultationIntro,
    clauses: v.revision.clauses,
    questions: v.questions.map(presentQuestion),
    comments: [...members, ...outside].sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    liaisons: v.liaisons.map((l) => ({ id: l.id, title: l.title, purpose: lower(l.purpose), text: l.text, deadline: l.deadline.toISOString() })),
    me: {
      kind: access.kind,
      email: access.user && !access.user.email.endsWith('@invalid') ? access.user.email : null,
      participant: access.participant ? presentParticipant(access.participant) : null,
      comments: v.mine.map((c) => {
        const d = c.comment?.disposition;
        // Drafts and undecided rows are the adjudicators' own; the commenter sees what was proposed to them.
        const shared = d && (d.status === 'PROPOSED' || d.status === 'FINAL');
        return {
          id: c.id,
          clauseId: c.clauseId,
          type: lower(c.type),
          body: c.body,
          proposedChange: c.proposedChange,
          quotedText: c.quotedText,
          state: lower(c.state),
          withdrawn: c.withdrawnAt !== null,
          createdAt: c.createdAt.toISOString(),
          commentId: c.commentId,
          disposition: shared
            ? {
                code: d.code ? lower(d.code) : null,
                status: lower(d.status),
                rationale: d.rationale,
                version: d.version,
                respondBy: d.respondBy?.toISOString() ?? null,
                response: d.responseKind ? lower(d.responseKind) : null,
              }
            : null,
        };
      }),
      answers: v.answers.map((a) => ({ questionId: a.questionId, text: a.text, choices: a.choices })),
    },
  };
}

export function presentQueue(q: Awaited<ReturnType<typeof listModerationQueue>>, limit: number) {
  return {
    total: q.total,
    items: q.items.map((c) => ({
      id: c.id,
      clauseId: c.clauseId,
      type: lower(c.type),
      body: c.body,
      proposedChange: c.proposedChange,
      quotedText: c.quotedText,
      state: lower(c.state),
      rejectionReason: c.rejectionReason ? lower(c.rejectionReason) : null,
      moderationNote: c.moderationNote,
      createdAt: c.createdAt.toISOString(),
      participant: {
        id: c.participant.id,
        name: c.participant.name,
        organisation: c.participant.organisation,
        email: c.participant.user?.email ?? null,
        stakeholderGroup: lower(c.participant.stakeholderGroup),
        region: c.participant.region ? lower(c.participant.region) : null,
        countryCode: c.participant.countryCode,
        publishName: c.participant.publishName,
        liaison: c.participant.liaisonContactId !== null,
      },
    })),
    nextAfter: q.items.length === limit ? q.items[q.items.length - 1]!.id : null,
  };
}
