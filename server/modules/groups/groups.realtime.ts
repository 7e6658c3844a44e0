// How group-level events look on sockets: the HTTP presenters, read inside the transaction of the
// change (so an event shows exactly the state it committed), and never with e-mail addresses.
import type { Tx } from '../../lib/use-case.ts';
import type { DomainEventMap } from '../../lib/domain-events.ts';
import type { RealtimeTable } from '../realtime/realtime.registry.ts';
import { inGroup } from '../realtime/realtime.registry.ts';
import { presentGroupSummary, presentMember } from './groups.presenter.ts';

export async function presentGroupUpdated(tx: Tx, { groupId }: DomainEventMap['groups.updated']) {
  const group = await tx.group.findUnique({ where: { id: groupId } });
  if (!group) return null;
  const { myRole: _perViewer, ...summary } = presentGroupSummary(group, null);
  return { ...summary, id: group.id, termsOfReference: group.termsOfReference, mailingList: group.mailingList, timeZone: group.timeZone };
}

export async function presentMemberChanged(tx: Tx, { groupId, userId }: { groupId: string; userId: string }) {
  const membership = await tx.membership.findUnique({ where: { groupId_userId: { groupId, userId } }, include: { user: true } });
  return membership ? { member: presentMember(membership, false) } : null;
}

export const presentMemberRemoved = async (_tx: Tx, { userId }: DomainEventMap['members.removed']) => ({ member: { userId } });

export const groupRealtimeEvents: RealtimeTable = {
  'groups.updated': { stream: inGroup, present: presentGroupUpdated, read: 'group.read' },
  'members.invited': { stream: inGroup, present: presentMemberChanged, read: 'members.read' },
  'members.role_changed': { stream: inGroup, present: presentMemberChanged, read: 'members.read' },
  'members.removed': { stream: inGroup, present: presentMemberRemoved, read: 'members.read' },
};
