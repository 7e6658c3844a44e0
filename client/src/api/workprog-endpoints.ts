// Typed calls for the work programme and consultation screens. Types come from the server's own
// schemas (import type only); test/api/client.test.ts checks each route exists on the server.
import type { z } from 'zod';
import type { ConsultationSchema, ConsultationSummarySchema, TallySchema, AnswerSchema } from '../../../server/modules/consultations/consultations.schemas.ts';
import type {
  CreateWorkItemBody,
  UpdateWorkItemBody,
  WorkItemListSchema,
  WorkItemSchema,
} from '../../../server/modules/work-programme/work-programme.schemas.ts';
import type { AddInviteesBody, AttachmentSchema, CreateConsultationBody } from '../../../server/modules/consultations/consultations.schemas.ts';
import { request } from './http.ts';
import type { Route } from './routes.ts';

export type WorkItemList = z.output<typeof WorkItemListSchema>;
export type WorkItem = z.output<typeof WorkItemSchema>;
export type Consultation = z.output<typeof ConsultationSchema>;
export type ConsultationSummary = z.output<typeof ConsultationSummarySchema>;
export type Tally = z.output<typeof TallySchema>;
export type Answer = z.output<typeof AnswerSchema>;
export type Attachment = z.output<typeof AttachmentSchema>;
export type WorkItemFields = z.input<typeof CreateWorkItemBody>;
export type WorkItemChanges = z.input<typeof UpdateWorkItemBody>;
export type NewConsultation = z.input<typeof CreateConsultationBody>;
export type AdministrationFields = z.input<typeof AddInviteesBody>['administrations'][number];
export interface AnswerInput {
  draftId: string;
  position: 'assigns_authority' | 'does_not_assign_authority';
  option?: 'no_comments' | 'comments_attached';
  text?: string;
  expectedVersion: number;
}

export const WORKPROG_ROUTES = {
  workItems: ['GET', '/api/groups/:slug/work-items'],
  workItemsCsv: ['GET', '/api/groups/:slug/work-items.csv'],
  workItem: ['GET', '/api/groups/:slug/work-items/:workItemId'],
  moveWorkItem: ['POST', '/api/groups/:slug/work-items/:workItemId/status'],
  createWorkItem: ['POST', '/api/groups/:slug/work-items'],
  updateWorkItem: ['PATCH', '/api/groups/:slug/work-items/:workItemId'],
  createConsultation: ['POST', '/api/groups/:slug/consultations'],
  inviteAdministrations: ['POST', '/api/groups/:slug/consultations/:consultationId/invitees'],
  attach: ['POST', '/api/groups/:slug/consultations/:consultationId/drafts/:draftId/attachments'],
  attachment: ['GET', '/api/groups/:slug/consultations/:consultationId/attachments/:attachmentId'],
  removeAttachment: ['DELETE', '/api/groups/:slug/consultations/:consultationId/attachments/:attachmentId'],
  extendDeadline: ['POST', '/api/groups/:slug/consultations/:consultationId/deadline'],
  consultations: ['GET', '/api/groups/:slug/consultations'],
  myConsultations: ['GET', '/api/consultations/mine'],
  consultation: ['GET', '/api/groups/:slug/consultations/:consultationId'],
  answer: ['PUT', '/api/groups/:slug/consultations/:consultationId/answers'],
  tally: ['GET', '/api/groups/:slug/consultations/:consultationId/tally'],
  resultsCsv: ['GET', '/api/groups/:slug/consultations/:consultationId/results.csv'],
  resultsDocx: ['GET', '/api/groups/:slug/consultations/:consultationId/results.docx'],
} as const satisfies Record<string, Route>;

export const workprogApi = {
  workItems: (slug: string, query: Record<string, string | undefined>) => request<WorkItemList>(WORKPROG_ROUTES.workItems, { params: { slug }, query }),
  workItem: (slug: string, workItemId: string) => request<WorkItem>(WORKPROG_ROUTES.workItem, { params: { slug, workItemId } }),
  moveWorkItem: (slug: string, workItemId: string, body: { to: string; note?: string; expectedVersion: number }) =>
    request<WorkItem>(WORKPROG_ROUTES.moveWorkItem, { params: { slug, workItemId }, body }),
  createWorkItem: (slug: string, body: WorkItemFields) => request<WorkItem>(WORKPROG_ROUTES.createWorkItem, { params: { slug }, body }),
  updateWorkItem: (slug: string, workItemId: string, body: WorkItemChanges) =>
    request<WorkItem>(WORKPROG_ROUTES.updateWorkItem, { params: { slug, workItemId }, body }),
  createConsultation: (slug: string, body: NewConsultation) => request<Consultation>(WORKPROG_ROUTES.createConsultation, { params: { slug }, body }),
  invite: (slug: string, consultationId: string, administrations: AdministrationFields[]) =>
    request<Consultation>(WORKPROG_ROUTES.inviteAdministrations, { params: { slug, consultationId }, body: { administrations } }),
  attach: (slug: string, consultationId: string, draftId: string, file: File) => {
    const form = new FormData();
    form.append('file', file);
    return request<Attachment>(WORKPROG_ROUTES.attach, { params: { slug, consultationId, draftId }, form });
  },
  removeAttachment: (slug: string, consultationId: string, attachmentId: string) =>
    request<void>(WORKPROG_ROUTES.removeAttachment, { params: { slug, consultationId, attachmentId } }),
  extendDeadline: (slug: string, consultationId: string, deadline: string) =>
    request<Consultation>(WORKPROG_ROUTES.extendDeadline, { params: { slug, consultationId }, body: { deadline } }),
  consultations: (slug: string) =>
    request<{ consultations: ConsultationSummary[]; abilities: { manage: boolean } }>(WORKPROG_ROUTES.consultations, { params: { slug } }),
  mine: () => request<{ consultations: ConsultationSummary[] }>(WORKPROG_ROUTES.myConsultations),
  consultation: (slug: string, consultationId: string) => request<Consultation>(WORKPROG_ROUTES.consultation, { params: { slug, consultationId } }),
  answer: (slug: string, consultationId: string, body: { answers: AnswerInput[]; signedName: string; signedRole: string }) =>
    request<{ answers: Answer[] }>(WORKPROG_ROUTES.answer, { params: { slug, consultationId }, body }),
  tally: (slug: string, consultationId: string) => request<Tally>(WORKPROG_ROUTES.tally, { params: { slug, consultationId } }),
};
