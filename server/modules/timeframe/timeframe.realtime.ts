// The timeframe on sockets, in the group's stream: a milestone added, moved or deleted (as HTTP
// presents it), and a milestone reached with the phase the group is in after it (the server's
// phase, timeframe/phase.ts), read inside the transaction that recorded it.
import type { Tx } from '../../lib/use-case.ts';
import type { DomainEventMap } from '../../lib/domain-events.ts';
import type { RealtimeTable } from '../realtime/realtime.registry.ts';
import { inGroup } from '../realtime/realtime.registry.ts';
import { derivePhase } from './phase.ts';
import { presentMilestone } from './timeframe.presenter.ts';

export async function presentMilestoneChanged(tx: Tx, { milestoneId, change }: DomainEventMap['milestones.changed']) {
  if (change === 'deleted') return { change, milestone: { id: milestoneId } };
  const milestone = await tx.milestone.findUnique({ where: { id: milestoneId } });
  return milestone ? { change, milestone: presentMilestone(milestone) } : null;
}

/** milestones.reached: which milestone, and the group's phase it leads into. */
export async function presentPhaseChanged(tx: Tx, { groupId, milestoneId, kind, late }: DomainEventMap['milestones.reached']) {
  const group = await tx.group.findUnique({ where: { id: groupId } });
  return group ? { milestoneId, kind: kind.toLowerCase(), late, phase: await derivePhase({ prisma: tx }, group) } : null;
}

export const timeframeRealtimeEvents: RealtimeTable = {
  'milestones.changed': { stream: inGroup, present: presentMilestoneChanged, read: 'group.read' },
  'milestones.reached': { stream: inGroup, present: presentPhaseChanged, read: 'group.read' },
};
