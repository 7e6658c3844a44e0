// Typed calls of the lazily loaded screens (documents, comments, revisions, digests,
// notifications): kept apart from endpoints.ts so the sign-in and group-home bundle stays small.
// Types come from the server's own schemas (import type only).
import type { z } from 'zod';
import type {
  ComparisonSchema,
  DocumentSchema,
  PreviewSchema,
  PostedRevisionSchema,
  RevisionSchema,
  RevisionSummarySchema,
} from '../../../server/modules/revisions/revisions.schemas.ts';
import type { CommentSchema, CreateCommentBody, EditCommentBody } from '../../../server/modules/comments/comments.schemas.ts';
import type { PeriodSchema } from '../../../server/modules/periods/periods.presenter.ts';
import type { PhaseSchema } from '../../../server/modules/timeframe/timeframe.schemas.ts';
import type { DeliverySchema, DigestDetailSchema, DigestListSchema, SubscriptionSchema } from '../../../server/modules/digests/digests.schemas.ts';
import type { NotificationSettings as NotificationSettingsSchema } from '../../../server/modules/notifications/notifications.schemas.ts';
import type { ResolvedByRevisionSchema } from '../../../server/modules/dispositions/dispositions.schemas.ts';
import { request } from './http.ts';
import { ROUTES } from './routes.ts';

type Out<S extends z.ZodType> = z.output<S>;
type In<S extends z.ZodType> = z.input<S>;

export type Document = Out<typeof DocumentSchema> & { revisions: RevisionSummary[] };
export type RevisionSummary = Out<typeof RevisionSummarySchema>;
export type Revision = Out<typeof RevisionSchema>;
export type Clause = Revision['clauses'][number];
export type Preview = Out<typeof PreviewSchema>;
export type PostedRevision = Out<typeof PostedRevisionSchema>;
export type Comparison = Out<typeof ComparisonSchema>;
export type ClauseComparison = Comparison['clauses'][number];
export type Period = Out<typeof PeriodSchema>;
export type Phase = Out<typeof PhaseSchema>;
export type Comment = Out<typeof CommentSchema>;
export type NewComment = In<typeof CreateCommentBody>;
export type CommentEdit = In<typeof EditCommentBody>;
export type DigestList = Out<typeof DigestListSchema>;
export type Digest = Out<typeof DigestDetailSchema>;
export type Delivery = Out<typeof DeliverySchema>;
export type Subscription = Out<typeof SubscriptionSchema>;
export type NotificationSettings = Out<typeof NotificationSettingsSchema>;
export type ResolvedByRevision = Out<typeof ResolvedByRevisionSchema>;

/** A revision's source: Markdown text, or a .docx file (sent as multipart). */
export type RevisionSource = { label: string; markdown: string } | { label: string; file: File };

function revisionBody(source: RevisionSource): { body?: unknown; form?: FormData } {
  if ('markdown' in source) return { body: { label: source.label, format: 'markdown', source: source.markdown } };
  const form = new FormData();
  form.append('label', source.label);
  form.append('file', source.file, source.file.name);
  return { form };
}

const doc = (slug: string, documentId: string) => ({ slug, documentId });

export const docsApi = {
  document: (slug: string, documentId: string) => request<Document>(ROUTES.document, { params: doc(slug, documentId) }),
  revision: (slug: string, documentId: string, sequence: number) =>
    request<Revision>(ROUTES.revision, { params: { ...doc(slug, documentId), sequence: String(sequence) } }),
  preview: (slug: string, documentId: string, source: RevisionSource) =>
    request<Preview>(ROUTES.previewRevision, { params: doc(slug, documentId), ...revisionBody(source) }),
  postRevision: (slug: string, documentId: string, source: RevisionSource) =>
    request<PostedRevision>(ROUTES.postRevision, { params: doc(slug, documentId), ...revisionBody(source) }),
  compare: (slug: string, documentId: string, from: number, to: number) =>
    request<Comparison>(ROUTES.compare, { params: doc(slug, documentId), query: { from, to } }),
  /** Per clause of a revision, the comments whose dispositions it implements. */
  resolvedComments: (slug: string, documentId: string, sequence: number) =>
    request<ResolvedByRevision>(ROUTES.resolvedComments, { params: { ...doc(slug, documentId), sequence: String(sequence) } }),
  periods: (slug: string, documentId: string) => request<{ periods: Period[] }>(ROUTES.periods, { params: doc(slug, documentId) }),
  phase: (slug: string) => request<Phase>(ROUTES.phase, { params: { slug } }),
  createComment: (slug: string, documentId: string, sequence: number, body: NewComment) =>
    request<Comment>(ROUTES.createComment, { params: { ...doc(slug, documentId), sequence: String(sequence) }, body }),
  reply: (slug: string, documentId: string, commentId: string, body: string) =>
    request<Comment>(ROUTES.replyToComment, { params: { ...doc(slug, documentId), commentId }, body: { body } }),
  editComment: (slug: string, documentId: string, commentId: string, body: CommentEdit) =>
    request<Comment>(ROUTES.editComment, { params: { ...doc(slug, documentId), commentId }, body }),
  withdrawComment: (slug: string, documentId: string, commentId: string) =>
    request<Comment>(ROUTES.withdrawComment, { params: { ...doc(slug, documentId), commentId } }),
  digests: (slug: string) => request<DigestList>(ROUTES.digests, { params: { slug } }),
  digest: (slug: string, digestId: string) => request<Digest>(ROUTES.digest, { params: { slug, digestId } }),
  subscription: (slug: string) => request<Subscription>(ROUTES.digestSubscription, { params: { slug } }),
  setSubscription: (slug: string, subscribed: boolean) => request<Subscription>(ROUTES.setDigestSubscription, { params: { slug }, body: { subscribed } }),
  notificationSettings: () => request<NotificationSettings>(ROUTES.notificationSettings),
  updateNotificationSettings: (body: Partial<NotificationSettings>) => request<NotificationSettings>(ROUTES.updateNotificationSettings, { body }),
};

/**
 * Every comment of a document, replies included, in one request (the export route: one SQL
 * statement, where 200-comment pages would cost a round trip each); the view keeps its revision's.
 */
export const loadAllComments = (slug: string, documentId: string) =>
  request<{ documentId: string; comments: Comment[] }>(ROUTES.allComments, { params: doc(slug, documentId) }).then((r) => r.comments);
