// Comment periods on sockets: an extension or an early close moves the deadline every open
// document view shows (and closes its composer), so the period travels whole, as HTTP presents it.
import type { Tx } from '../../lib/use-case.ts';
import type { RealtimeTable } from '../realtime/realtime.registry.ts';
import { inDocument } from '../realtime/realtime.registry.ts';
import { periodInclude } from './periods.ts';
import { presentPeriod } from './periods.presenter.ts';
import { derivePhase } from '../timeframe/phase.ts';

/** milestones.reached (a digest fired it): which milestone, and the group's phase it leads into. */
export async function presentPhaseChanged(tx: Tx, { groupId, milestoneId, kind, late }: { groupId: string; milestoneId: string; kind: string; late: boolean }) {
  const group = await tx.group.findUnique({ where: { id: groupId } });
  return group ? { milestoneId, kind: kind.toLowerCase(), late, phase: await derivePhase({ prisma: tx }, group) } : null;
}

export async function presentPeriodEvent(tx: Tx, { periodId, groupId }: { periodId: string; groupId: string }) {
  // One after the other: a transaction is one connection (concurrent queries on it only queue, with a pg warning).
  const period = await tx.commentPeriod.findUnique({ where: { id: periodId }, include: periodInclude });
  const group = await tx.group.findUnique({ where: { id: groupId }, select: { timeZone: true } });
  return period && group ? presentPeriod(period, group.timeZone) : null;
}

export const periodRealtimeEvents: RealtimeTable = {
  'periods.created': { stream: inDocument, present: presentPeriodEvent, read: 'documents.read' },
  'periods.extended': { stream: inDocument, present: presentPeriodEvent, read: 'documents.read' },
  'periods.closed': { stream: inDocument, present: presentPeriodEvent, read: 'documents.read' },
};
