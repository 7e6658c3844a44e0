// The extension API of realtime. A module makes one of its domain events live with one row of the
// table in its own `<domain>.realtime.ts`, registered by its index.ts (`app.realtime.register`):
// which stream the event belongs to, how it is presented (inside the change's transaction, with the
// same presenters as HTTP), and which group action a reader needs.
import type { DomainEventMap, DomainEventName } from '../../lib/domain-events.ts';
import type { Tx } from '../../lib/use-case.ts';
import type { PrismaClient, Role } from '../../generated/prisma/client.ts';
import { rolesAllowed, type GroupAction } from '../groups/groups.policy.ts';

/**
 * A stream is what a client follows and what sequence numbers count: a group (group-level events),
 * a document (its revisions, comments, dispositions), or a public group's published outputs.
 */
export type StreamKind = 'group' | 'document' | 'public';
export interface StreamRef {
  kind: StreamKind;
  id: string;
  groupId: string;
}
export const streamKey = (s: Pick<StreamRef, 'kind' | 'id'>) => `${s.kind}:${s.id}`;

/** Who may read the event: a group action (checked against the reader's role), or anyone for public outputs. */
export type ReadPermission = GroupAction | 'public';

export interface RealtimeEventDefinition<K extends DomainEventName> {
  stream: (payload: DomainEventMap[K]) => StreamRef;
  /** The JSON clients receive; null sends nothing (e.g. the row is already gone). Never e-mail addresses. */
  present: (tx: Tx, payload: DomainEventMap[K]) => Promise<unknown>;
  read: ReadPermission;
}

export type RealtimeTable = { [K in DomainEventName]?: RealtimeEventDefinition<K> };

// Stream helpers, so that a table row stays one line.
export const inGroup = (p: { groupId: string }): StreamRef => ({ kind: 'group', id: p.groupId, groupId: p.groupId });
export const inDocument = (p: { documentId: string; groupId: string }): StreamRef => ({ kind: 'document', id: p.documentId, groupId: p.groupId });
export const inPublicOutputs = (p: { groupId: string }): StreamRef => ({ kind: 'public', id: p.groupId, groupId: p.groupId });

/**
 * Where a document lives, for subscribe checks. The revisions module provides it with
 * `app.realtime.resolveDocuments(fn)`; `readAction` defaults to 'group.read'. Null: no such document.
 */
export type DocumentResolver = (prisma: PrismaClient, documentId: string) => Promise<{ groupId: string; readAction?: GroupAction } | null>;

/**
 * A follower's audience within a stream: their role (lower-case), `operator`, or `public` for
 * followers of published outputs. Rooms are per audience so one emit reaches exactly those allowed.
 */
export type Audience = Lowercase<Role> | 'operator' | 'public';

export function audienceMayRead(audience: Audience, read: ReadPermission | null): boolean {
  if (read === null || read === 'public') return true;
  if (audience === 'operator') return true;
  if (audience === 'public') return false;
  return rolesAllowed(read).includes(audience.toUpperCase() as Role);
}

/** The audience rooms of a stream that may read an event. */
export function roomsAllowed(stream: string, read: ReadPermission | null): string[] {
  if (read === null || read === 'public') return [stream];
  return [...rolesAllowed(read).map((r) => `${stream}#${r.toLowerCase()}`), `${stream}#operator`];
}

export const audienceRoom = (stream: string, audience: Audience) => (audience === 'public' ? stream : `${stream}#${audience}`);
