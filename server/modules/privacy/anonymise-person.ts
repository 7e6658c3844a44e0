// The operator anonymises a person on their request: every provider removes or replaces what
// identifies them, in one transaction with the audit entry; their contributions stay on the
// group's record under "A former participant" (with their affiliation if they allowed it).
// Their sessions are revoked first through the ordinary sign-out path, so their open sockets on
// every instance are closed at once.
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../../lib/audit.ts';
import { transact, type Ctx } from '../../lib/use-case.ts';
import type { User } from '../../generated/prisma/client.ts';
import type { PersonalDataProvider } from '../../plugins/personal-data.ts';
import { revokeSessions } from '../auth/sessions.ts';
import { privacyPolicy } from './privacy.policy.ts';

export const FORMER_PARTICIPANT = 'A former participant';

export async function anonymisePerson(
  ctx: Ctx,
  input: { operator: User; userId: string; keepAffiliation: boolean; providers: readonly PersonalDataProvider[] },
) {
  privacyPolicy.authorize({ role: null, user: input.operator }, 'person.anonymise');
  const person = await ctx.prisma.user.findUnique({ where: { id: input.userId } });
  if (!person) throw AppError.notFound('That user', 'user_not_found');
  if (person.isOperator) throw AppError.conflict('operator_not_anonymisable', 'An operator cannot be anonymised: remove their operator rights first.');
  return anonymiseAccount(ctx, {
    actorId: input.operator.id,
    person,
    replacementName: FORMER_PARTICIPANT,
    keepAffiliation: input.keepAffiliation,
    providers: input.providers,
  });
}

/**
 * The one anonymisation of an account, whoever asked: the operator (above), or a module whose own
 * request covers the whole account (an outside respondent with nothing else at Convene removes
 * their identity from the consultation page). The caller has authorized the request.
 */
export async function anonymiseAccount(
  ctx: Ctx,
  input: { actorId: string; person: User; replacementName: string; keepAffiliation: boolean; providers: readonly PersonalDataProvider[] },
) {
  const { person } = input;
  if (person.anonymisedAt) throw AppError.conflict('person_already_anonymised', 'This person’s data has already been anonymised.');

  await revokeSessions(ctx, { actorId: input.actorId, userId: person.id, reason: 'privacy.sessions_revoked' });

  const subject = { userId: person.id, email: person.email, name: person.name };
  const options = { replacementName: input.replacementName, keepAffiliation: input.keepAffiliation, actorId: input.actorId };
  return transact(ctx, async (tx) => {
    // Locks the account: a second request waits, then finds it anonymised.
    const [locked] = await tx.$queryRaw<{ anonymisedAt: Date | null }[]>`SELECT "anonymisedAt" FROM "User" WHERE id = ${person.id}::uuid FOR UPDATE`;
    if (locked?.anonymisedAt) throw AppError.conflict('person_already_anonymised', 'This person’s data has already been anonymised.');
    const changed: Record<string, Record<string, number>> = {};
    for (const provider of input.providers) {
      if (provider.anonymise) changed[provider.name] = await provider.anonymise(tx, subject, options);
    }
    // No name or address in the audit entry: it would undo what it records.
    await recordAudit(tx, {
      actorId: input.actorId,
      action: 'privacy.person_anonymised',
      entityType: 'user',
      entityId: person.id,
      after: { keepAffiliation: input.keepAffiliation, changed },
    });
    const user = await tx.user.findUniqueOrThrow({ where: { id: person.id } });
    return { user, changed };
  });
}
