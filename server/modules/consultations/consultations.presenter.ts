// JSON shape of consultations, answers and the tally. Focal points appear by name; their
// addresses only for the secretariat (conveners) and the operator.
import type { Consultation, ConsultationAnswer } from '../../generated/prisma/client.ts';
import { lower } from '../../lib/enum-case.ts';

export const answerInclude = { answeredBy: { select: { id: true, name: true } } } as const;
type AnswerWithPerson = ConsultationAnswer & { answeredBy: { id: string; name: string } | null };

export const presentAnswer = (a: AnswerWithPerson) => ({
  draftId: a.draftId,
  position: lower(a.position),
  option: a.option ? lower(a.option) : null,
  text: a.text,
  signedName: a.signedName,
  signedRole: a.signedRole,
  version: a.version,
  answeredAt: a.answeredAt.toISOString(),
  answeredBy: a.answeredBy,
});

export const presentConsultationSummary = (c: Consultation, group: { slug: string; acronym: string; name: string }, now: Date) => ({
  id: c.id,
  reference: c.reference,
  issuedOn: c.issuedOn.toISOString().slice(0, 10),
  subject: c.subject,
  deadline: c.deadline.toISOString(),
  thresholdPercent: c.thresholdPercent,
  closed: now.getTime() >= c.deadline.getTime(),
  group: { slug: group.slug, acronym: group.acronym, name: group.name },
});
