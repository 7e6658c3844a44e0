// Domain event → stream, presenter, read permission. One line makes an event live on sockets,
// recorded with a sequence number for catch-up. Documents (issue 3) and dispositions (issue 4)
// add theirs here, e.g.
//   'comments.created': { stream: inDocument, present: presentCommentCreated, read: 'group.read' },
//   'dispositions.published': { stream: inPublicOutputs, present: presentDispositionTable, read: 'public' },
import type { RealtimeTable } from './realtime.registry.ts';
import { inGroup } from './realtime.registry.ts';
import { presentGroupUpdated, presentMemberChanged, presentMemberRemoved, presentMilestoneChanged } from '../groups/groups.realtime.ts';

export const realtimeEvents: RealtimeTable = {
  'groups.updated': { stream: inGroup, present: presentGroupUpdated, read: 'group.read' },
  'milestones.changed': { stream: inGroup, present: presentMilestoneChanged, read: 'group.read' },
  'members.invited': { stream: inGroup, present: presentMemberChanged, read: 'members.read' },
  'members.role_changed': { stream: inGroup, present: presentMemberChanged, read: 'members.read' },
  'members.removed': { stream: inGroup, present: presentMemberRemoved, read: 'members.read' },
};
