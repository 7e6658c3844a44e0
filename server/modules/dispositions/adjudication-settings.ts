// The group's adjudication settings. One for now: whether conveners may decide on comments while
// the comment period is still open (default no: a decision made while others are still
// commenting on the same clause would pre-empt them).
import type { Ctx } from '../../lib/use-case.ts';
import { recordAudit } from '../../lib/audit.ts';
import { transact } from '../../lib/use-case.ts';
import type { GroupAccess } from '../groups/groups.policy.ts';
import { authorizeAdjudication } from './dispositions.policy.ts';

export async function updateAdjudicationSettings(ctx: Ctx, input: { access: GroupAccess; allowEarlyAdjudication: boolean }) {
  const { group, user } = input.access;
  authorizeAdjudication(input.access, 'dispositions.settings');
  return transact(ctx, async (tx, emit) => {
    const before = await tx.group.findUniqueOrThrow({ where: { id: group.id }, select: { allowEarlyAdjudication: true } });
    const updated = await tx.group.update({ where: { id: group.id }, data: { allowEarlyAdjudication: input.allowEarlyAdjudication } });
    await recordAudit(tx, {
      actorId: user.id,
      groupId: group.id,
      action: 'groups.adjudication_settings_changed',
      entityType: 'group',
      entityId: group.id,
      before,
      after: { allowEarlyAdjudication: updated.allowEarlyAdjudication },
    });
    emit('groups.updated', { groupId: group.id });
    return { allowEarlyAdjudication: updated.allowEarlyAdjudication };
  });
}

export async function readAdjudicationSettings(ctx: Ctx, input: { access: GroupAccess }) {
  authorizeAdjudication(input.access, 'dispositions.readTable');
  return ctx.prisma.group.findUniqueOrThrow({ where: { id: input.access.group.id }, select: { allowEarlyAdjudication: true } });
}
