// Comment periods and the group's phase on sockets. A period created, extended or closed, and a
// milestone reached, change the phase: each event carries the period (when there is one) and the
// phase as the database clock sees it in the transaction of the change.
import type { Tx } from '../../lib/use-case.ts';
import { periodInclude } from './periods.ts';
import { presentPeriod } from './periods.presenter.ts';
import { derivePhase } from './phase.ts';

export async function presentPeriodEvent(tx: Tx, { periodId, groupId }: { periodId: string; groupId: string }) {
  // One after the other: a transaction is one connection (concurrent queries on it only queue).
  const period = await tx.commentPeriod.findUnique({ where: { id: periodId }, include: periodInclude });
  const group = await tx.group.findUnique({ where: { id: groupId } });
  if (!period || !group) return null;
  const phase = await derivePhase({ prisma: tx }, group);
  return { period: presentPeriod(period, group.timeZone, new Date(phase.at.iso)), phase };
}

/** milestones.reached: which milestone, and the phase it leads into. */
export async function presentPhaseChanged(tx: Tx, { groupId, milestoneId, kind, late }: { groupId: string; milestoneId: string; kind: string; late: boolean }) {
  const group = await tx.group.findUnique({ where: { id: groupId } });
  return group ? { milestoneId, kind: kind.toLowerCase(), late, phase: await derivePhase({ prisma: tx }, group) } : null;
}
