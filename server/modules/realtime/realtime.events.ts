// Domain event → stream, presenter, read permission. One line makes an event live on sockets,
// recorded with a sequence number for catch-up. Documents (issue 3) and dispositions (issue 4)
// add theirs here, e.g.
//   'comments.created': { stream: inDocument, present: presentCommentCreated, read: 'group.read' },
//   'dispositions.published': { stream: inPublicOutputs, present: presentDispositionTable, read: 'public' },
import type { RealtimeTable } from './realtime.registry.ts';
import { inDocument, inGroup, inPublicOutputs } from './realtime.registry.ts';
import { presentGroupUpdated, presentMemberChanged, presentMemberRemoved } from '../groups/groups.realtime.ts';
import { presentDispositionEvent, presentPublishedEvent } from '../dispositions/dispositions.realtime.ts';
import { presentDocumentCreated } from '../revisions/revisions.realtime.ts';

export const realtimeEvents: RealtimeTable = {
  'groups.updated': { stream: inGroup, present: presentGroupUpdated, read: 'group.read' },
  'members.invited': { stream: inGroup, present: presentMemberChanged, read: 'members.read' },
  'members.role_changed': { stream: inGroup, present: presentMemberChanged, read: 'members.read' },
  'members.removed': { stream: inGroup, present: presentMemberRemoved, read: 'members.read' },
  // A new document is news for the group: nobody follows its own stream yet.
  'documents.created': { stream: inGroup, present: presentDocumentCreated, read: 'documents.read' },
  // Dispositions are presented as members see them (drafts as undecided, no assignee), so every member may read them.
  'dispositions.drafted': { stream: inDocument, present: presentDispositionEvent, read: 'comments.read' },
  'dispositions.proposed': { stream: inDocument, present: presentDispositionEvent, read: 'comments.read' },
  'dispositions.responded': { stream: inDocument, present: presentDispositionEvent, read: 'comments.read' },
  'dispositions.finalised': { stream: inDocument, present: presentDispositionEvent, read: 'comments.read' },
  'dispositions.assigned': { stream: inDocument, present: presentDispositionEvent, read: 'comments.read' },
  'dispositions.deadline_set': { stream: inDocument, present: presentDispositionEvent, read: 'comments.read' },
  'dispositions.implemented': { stream: inDocument, present: presentDispositionEvent, read: 'comments.read' },
  // A final report published with its table; null (nothing sent) unless the group's outputs are public.
  'documents.published': { stream: inPublicOutputs, present: presentPublishedEvent, read: 'public' },
};
