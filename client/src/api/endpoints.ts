// Typed calls to the API. The types come from the server's own zod schemas (import type only:
// nothing from the server is bundled), so a changed response shape fails `npm run typecheck`.
import type { z } from 'zod';
import type { SelfSchema, SessionItem, SessionList, SessionState, SignInBody } from '../../../server/modules/auth/auth.schemas.ts';
import type {
  GroupList,
  GroupSchema,
  GroupSummarySchema,
  InviteBody,
  InviteResult,
  MemberList,
  MemberSchema,
  RoleBody,
  RoleName,
  UpdateGroupBody,
} from '../../../server/modules/groups/groups.schemas.ts';
import type { MilestoneSchema } from '../../../server/modules/timeframe/timeframe.schemas.ts';
import type { MailboxList, MailboxMessage, MailboxSummary } from '../../../server/modules/mailbox/mailbox.schemas.ts';
import type { INBOUND_OUTCOMES, InboundLogSchema } from '../../../server/modules/mailin/mailin.schemas.ts';
import type { Locale, ProfileBody } from '../../../server/modules/users/users.schemas.ts';
import type { Message } from '../../../server/lib/schemas.ts';
import type { DocumentSchema } from '../../../server/modules/revisions/revisions.schemas.ts';
import { request } from './http.ts';
import { ROUTES } from './routes.ts';

type Out<S extends z.ZodType> = z.output<S>;
type In<S extends z.ZodType> = z.input<S>;

export type Self = Out<typeof SelfSchema>;
export type SessionInfo = Out<typeof SessionItem>;
export type GroupSummary = Out<typeof GroupSummarySchema>;
export type MyGroup = Out<typeof GroupList>['groups'][number];
export type Group = Out<typeof GroupSchema>;
export type Member = Out<typeof MemberSchema>;
export type Milestone = Out<typeof MilestoneSchema>;
export type Role = Out<typeof RoleName>;
export type LocaleCode = Out<typeof Locale>;
export type InviteOutcome = Out<typeof InviteResult>;
export type MailSummary = Out<typeof MailboxSummary>;
export type Mail = Out<typeof MailboxMessage>;
export type DocumentSummary = Out<typeof DocumentSchema>;

export const api = {
  session: () => request<Out<typeof SessionState>>(ROUTES.session),
  signIn: (body: In<typeof SignInBody>) => request<Out<typeof Message>>(ROUTES.signIn, { body }),
  signOut: () => request<void>(ROUTES.signOut),
  signOutEverywhere: () => request<void>(ROUTES.signOutEverywhere),
  sessions: () => request<Out<typeof SessionList>>(ROUTES.sessions),
  revokeSession: (sessionId: string) => request<void>(ROUTES.revokeSession, { params: { sessionId } }),
  updateMe: (body: In<typeof ProfileBody>) => request<Self>(ROUTES.updateMe, { body }),
  groups: () => request<Out<typeof GroupList>>(ROUTES.groups),
  group: (slug: string) => request<Group>(ROUTES.group, { params: { slug } }),
  updateGroup: (slug: string, body: In<typeof UpdateGroupBody>) => request<Group>(ROUTES.updateGroup, { params: { slug }, body }),
  members: (slug: string) => request<Out<typeof MemberList>>(ROUTES.members, { params: { slug } }),
  invite: (slug: string, body: In<typeof InviteBody>) => request<InviteOutcome>(ROUTES.invite, { params: { slug }, body }),
  changeRole: (slug: string, userId: string, body: In<typeof RoleBody>) => request<Member>(ROUTES.changeRole, { params: { slug, userId }, body }),
  removeMember: (slug: string, userId: string) => request<void>(ROUTES.removeMember, { params: { slug, userId } }),
  mailbox: (query: { to?: string; limit?: number } = {}) => request<Out<typeof MailboxList>>(ROUTES.mailbox, { query }),
  mailboxMessage: (id: string) => request<Mail>(ROUTES.mailboxMessage, { params: { id } }),
  inboundMail: (query: { outcome?: (typeof INBOUND_OUTCOMES)[number]; limit?: number } = {}) =>
    request<Out<typeof InboundLogSchema>>(ROUTES.inboundMail, { query }),
  // The group home lists documents; everything else about them is in document-endpoints.ts (lazy).
  documents: (slug: string) => request<{ documents: DocumentSummary[] }>(ROUTES.documents, { params: { slug } }),
  createDocument: (slug: string, title: string) => request<DocumentSummary>(ROUTES.createDocument, { params: { slug }, body: { title } }),
};
