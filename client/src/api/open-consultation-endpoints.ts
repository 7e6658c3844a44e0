// Typed calls of the open consultation screens: the public page and what a respondent does there,
// and the conveners' settings, moderation queue and analysis.
import type { z } from 'zod';
import type {
  AnalysisSchema,
  AnswersBody,
  ConsultationSchema,
  ModeratedSchema,
  ModerateBody,
  MyCommentSchema,
  OpennessBody,
  OpennessSchema,
  OutsideCommentBody,
  ParticipantBody,
  ParticipantSchema,
  QueueSchema,
} from '../../../server/modules/open-consultation/open-consultation.schemas.ts';
import { request, urlOf } from './http.ts';
import { ROUTES } from './routes.ts';

export type Consultation = z.output<typeof ConsultationSchema>;
export type MyOutsideComment = z.output<typeof MyCommentSchema>;
export type OutsideParticipant = z.output<typeof ParticipantSchema>;
export type ParticipantInput = z.input<typeof ParticipantBody>;
export type OutsideCommentInput = z.input<typeof OutsideCommentBody>;
export type AnswersInput = z.input<typeof AnswersBody>;
export type Openness = z.output<typeof OpennessSchema>;
export type OpennessInput = z.input<typeof OpennessBody>;
export type ModerationQueue = z.output<typeof QueueSchema>;
export type ModerateInput = z.input<typeof ModerateBody>;
export type ConsultationAnalysis = z.output<typeof AnalysisSchema>;

const period = (periodId: string) => ({ periodId });
const inGroup = (slug: string, documentId: string, periodId: string) => ({ slug, documentId, periodId });

export const consultationApi = {
  page: (periodId: string) => request<Consultation>(ROUTES.consultationPage, { params: period(periodId) }),
  verifyEmail: (periodId: string, email: string) => request<{ message: string }>(ROUTES.consultationVerifyEmail, { params: period(periodId), body: { email } }),
  enterByLiaisonLink: (periodId: string, token: string) =>
    request<{ csrfToken: string }>(ROUTES.consultationLiaisonLink, { params: period(periodId), body: { token } }),
  saveProfile: (periodId: string, body: ParticipantInput) => request<OutsideParticipant>(ROUTES.consultationParticipant, { params: period(periodId), body }),
  comment: (periodId: string, body: OutsideCommentInput) => request<MyOutsideComment>(ROUTES.consultationComment, { params: period(periodId), body }),
  withdraw: (periodId: string, outsideCommentId: string) => request<MyOutsideComment>(ROUTES.consultationWithdraw, { params: { periodId, outsideCommentId } }),
  respond: (periodId: string, outsideCommentId: string, body: { expectedVersion: number; response: 'agree' | 'object'; text?: string }) =>
    request<MyOutsideComment>(ROUTES.consultationRespond, { params: { periodId, outsideCommentId }, body }),
  answer: (periodId: string, body: AnswersInput) => request<{ answers: unknown[] }>(ROUTES.consultationAnswers, { params: period(periodId), body }),
  anonymise: (periodId: string) => request<OutsideParticipant>(ROUTES.consultationAnonymise, { params: period(periodId) }),
  openness: (slug: string, documentId: string, periodId: string) => request<Openness>(ROUTES.periodOpenness, { params: inGroup(slug, documentId, periodId) }),
  setOpenness: (slug: string, documentId: string, periodId: string, body: OpennessInput) =>
    request<Openness>(ROUTES.setPeriodOpenness, { params: inGroup(slug, documentId, periodId), body }),
  queue: (slug: string, documentId: string, periodId: string) =>
    request<ModerationQueue>(ROUTES.moderationQueue, { params: inGroup(slug, documentId, periodId) }),
  moderate: (slug: string, documentId: string, periodId: string, outsideCommentId: string, body: ModerateInput) =>
    request<z.output<typeof ModeratedSchema>>(ROUTES.moderate, { params: { ...inGroup(slug, documentId, periodId), outsideCommentId }, body }),
  analysis: (slug: string, documentId: string, periodId: string, query: { stakeholderGroup?: string; region?: string }) =>
    request<ConsultationAnalysis>(ROUTES.consultationAnalysis, { params: inGroup(slug, documentId, periodId), query }),
  csvUrl: (slug: string, documentId: string, periodId: string) => urlOf(ROUTES.consultationCsv, { params: inGroup(slug, documentId, periodId) }),
};
