// Domain event → stream, presenter, read permission. One line makes an event live on sockets,
// recorded with a sequence number for catch-up. Dispositions (issue 4) add theirs here, e.g.
//   'dispositions.published': { stream: inPublicOutputs, present: presentDispositionTable, read: 'public' },
import type { RealtimeTable } from './realtime.registry.ts';
import { inDocument, inGroup } from './realtime.registry.ts';
import { presentGroupUpdated, presentMemberChanged, presentMemberRemoved, presentMilestoneChanged } from '../groups/groups.realtime.ts';
import { presentCommentEvent } from '../comments/comments.realtime.ts';
import { presentDocumentEvent, presentDocumentPublished, presentRevisionPosted } from '../revisions/revisions.realtime.ts';
import { presentPeriodEvent, presentPhaseChanged } from '../periods/periods.realtime.ts';

export const realtimeEvents: RealtimeTable = {
  'groups.updated': { stream: inGroup, present: presentGroupUpdated, read: 'group.read' },
  'milestones.changed': { stream: inGroup, present: presentMilestoneChanged, read: 'group.read' },
  'members.invited': { stream: inGroup, present: presentMemberChanged, read: 'members.read' },
  'members.role_changed': { stream: inGroup, present: presentMemberChanged, read: 'members.read' },
  'members.removed': { stream: inGroup, present: presentMemberRemoved, read: 'members.read' },
  // A milestone reached (digests fire it) moves the group into its next phase.
  'milestones.reached': { stream: inGroup, present: presentPhaseChanged, read: 'group.read' },
  // A new document is news for the group: nobody follows its own stream yet.
  'documents.created': { stream: inGroup, present: presentDocumentEvent, read: 'documents.read' },

  // A document's stream: its revisions, comment periods and comments (replies are comments.created with parentId).
  'documents.published': { stream: inDocument, present: presentDocumentPublished, read: 'documents.read' },
  'revisions.posted': { stream: inDocument, present: presentRevisionPosted, read: 'documents.read' },
  'periods.created': { stream: inDocument, present: presentPeriodEvent, read: 'documents.read' },
  'periods.extended': { stream: inDocument, present: presentPeriodEvent, read: 'documents.read' },
  'periods.closed': { stream: inDocument, present: presentPeriodEvent, read: 'documents.read' },
  'comments.created': { stream: inDocument, present: presentCommentEvent, read: 'comments.read' },
  'comments.updated': { stream: inDocument, present: presentCommentEvent, read: 'comments.read' },
  'comments.withdrawn': { stream: inDocument, present: presentCommentEvent, read: 'comments.read' },
};
