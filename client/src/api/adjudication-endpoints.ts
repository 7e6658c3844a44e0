// Typed calls of the lazily loaded adjudication screens (the board, "awaiting my response", the
// disposition of comments, the final report): kept apart from endpoints.ts so the sign-in and
// group-home bundle stays small. Types come from the server's own schemas (import type only).
import type { z } from 'zod';
import type {
  AwaitingSchema,
  BulkBody,
  BulkResultSchema,
  CommentSummarySchema,
  DecidedSchema,
  DecisionBody,
  DispositionSchema,
  FinalReportSchema,
  PileItemSchema,
  PileQuery,
  PileSchema,
  ProgressSchema,
  ResponseBody,
  StatisticsSchema,
  TableSchema,
} from '../../../server/modules/dispositions/dispositions.schemas.ts';
import { request, urlOf } from './http.ts';
import { ROUTES } from './routes.ts';

type Out<S extends z.ZodType> = z.output<S>;
type In<S extends z.ZodType> = z.input<S>;

export type Disposition = Out<typeof DispositionSchema>;
export type CommentSummary = Out<typeof CommentSummarySchema>;
export type PileItem = Out<typeof PileItemSchema>;
export type Pile = Out<typeof PileSchema>;
export type Progress = Out<typeof ProgressSchema>;
export type PileFilter = In<typeof PileQuery>;
export type Decision = Omit<In<typeof DecisionBody>, 'expectedVersion'>;
export type BulkAction = In<typeof BulkBody>['action'];
export type BulkResult = Out<typeof BulkResultSchema>;
export type Awaiting = Out<typeof AwaitingSchema>;
export type Decided = Out<typeof DecidedSchema>;
export type AwaitingItem = Awaiting['items'][number];
export type ResponseKind = In<typeof ResponseBody>['response'];
export type DispositionTable = Out<typeof TableSchema>;
export type TableRow = DispositionTable['rows'][number];
export type Statistics = Out<typeof StatisticsSchema>;
export type FinalReport = Out<typeof FinalReportSchema>;

export const DISPOSITION_CODES = ['accepted', 'accepted_with_modification', 'rejected', 'noted', 'deferred'] as const;
export type DispositionCode = (typeof DISPOSITION_CODES)[number];

const doc = (slug: string, documentId: string) => ({ slug, documentId });
const one = (slug: string, documentId: string, commentId: string) => ({ slug, documentId, commentId });

export const adjudicationApi = {
  pile: (slug: string, documentId: string, filter: PileFilter = {}) =>
    request<Pile>(ROUTES.pile, { params: doc(slug, documentId), query: filter as Record<string, string | number | undefined> }),
  /** The proposed and final dispositions of the comments made on one revision, as every member sees them. */
  decided: (slug: string, documentId: string, revision: number) =>
    request<Decided>(ROUTES.decidedDispositions, { params: doc(slug, documentId), query: { revision } }),
  bulk: (slug: string, documentId: string, items: { commentId: string; expectedVersion: number }[], action: BulkAction) =>
    request<BulkResult>(ROUTES.bulkDispositions, { params: doc(slug, documentId), body: { items, action } }),
  item: (slug: string, documentId: string, commentId: string) => request<PileItem>(ROUTES.disposition, { params: one(slug, documentId, commentId) }),
  decide: (slug: string, documentId: string, commentId: string, expectedVersion: number, decision: Decision) =>
    request<Disposition>(ROUTES.decide, { params: one(slug, documentId, commentId), body: { ...decision, expectedVersion } }),
  confirm: (slug: string, documentId: string, commentId: string, expectedVersion: number, respondBy?: string) =>
    request<Disposition>(ROUTES.confirmDisposition, {
      params: one(slug, documentId, commentId),
      body: { expectedVersion, ...(respondBy ? { respondBy } : {}) },
    }),
  finalise: (slug: string, documentId: string, commentId: string, expectedVersion: number) =>
    request<Disposition>(ROUTES.finaliseDisposition, { params: one(slug, documentId, commentId), body: { expectedVersion } }),
  assign: (slug: string, documentId: string, commentId: string, expectedVersion: number, assigneeId: string | null) =>
    request<Disposition>(ROUTES.assignDisposition, { params: one(slug, documentId, commentId), body: { expectedVersion, assigneeId } }),
  respond: (slug: string, documentId: string, commentId: string, expectedVersion: number, response: ResponseKind, text: string) =>
    request<Disposition>(ROUTES.respondToDisposition, { params: one(slug, documentId, commentId), body: { expectedVersion, response, text } }),
  awaiting: () => request<Awaiting>(ROUTES.awaitingMyResponse),
  table: (slug: string, documentId: string) => request<DispositionTable>(ROUTES.dispositionTable, { params: doc(slug, documentId) }),
  publish: (slug: string, documentId: string, revision: number, label?: string) =>
    request<FinalReport>(ROUTES.publishFinalReport, { params: doc(slug, documentId), body: { revision, ...(label ? { label } : {}) } }),
  finalReport: (slug: string, documentId: string) => request<FinalReport>(ROUTES.finalReport, { params: doc(slug, documentId) }),
  publicFinalReport: (slug: string, documentId: string) => request<FinalReport>(ROUTES.publicFinalReport, { params: doc(slug, documentId) }),
  publicTable: (slug: string, documentId: string) => request<DispositionTable>(ROUTES.publicDispositions, { params: doc(slug, documentId) }),
};

/** Download links (plain anchors: the browser saves the attachment with the server's file name). */
export const exportUrls = (slug: string, documentId: string) => ({
  docx: urlOf(ROUTES.dispositionTableDocx, { params: doc(slug, documentId) }),
  csv: urlOf(ROUTES.dispositionTableCsv, { params: doc(slug, documentId) }),
  json: urlOf(ROUTES.dispositionTableJson, { params: doc(slug, documentId) }),
});
export const publicExportUrls = (slug: string, documentId: string) => ({
  docx: urlOf(ROUTES.publicDispositionsDocx, { params: doc(slug, documentId) }),
  csv: urlOf(ROUTES.publicDispositionsCsv, { params: doc(slug, documentId) }),
});

/** The 409 of a stale write carries the disposition as it now stands. */
export function conflictCurrent(error: unknown): Disposition | null {
  const body = error as { code?: string; body?: unknown } | null;
  if (body?.code !== 'disposition_version_conflict') return null;
  const details = body.body as { current?: Disposition; details?: { current?: Disposition } } | undefined;
  return details?.current ?? details?.details?.current ?? null;
}
