// Comment periods on sockets: an extension or an early close moves the deadline every open
// document view shows (and closes its composer), so the period travels whole, as HTTP presents it.
import type { Tx } from '../../lib/use-case.ts';
import type { RealtimeTable } from '../realtime/realtime.registry.ts';
import { inDocument } from '../realtime/realtime.registry.ts';
import { periodInclude } from './periods.ts';
import { presentPeriod } from './periods.presenter.ts';

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
