// An outside respondent's personal data: what the download holds (each profile they stated, what
// they submitted, their answers) and the one way a profile loses its identity. Both the
// consultation page's "remove my name" and the operator's anonymisation of a person end here:
// the page's request runs the shared account anonymisation (privacy module) when the profile is
// all the account holds, and that anonymisation calls this module's provider, which clears the
// profiles with clearOutsideProfile.
import type { OutsideParticipant } from '../../generated/prisma/client.ts';
import { recordAudit } from '../../lib/audit.ts';
import type { Tx } from '../../lib/use-case.ts';
import type { PersonalDataProvider } from '../../plugins/personal-data.ts';

const lower = <T extends string>(v: T) => v.toLowerCase();

/**
 * Keeps what the analysis counts (stakeholder group, region) and what the person said; drops the
 * name, organisation, country, consent to publication and the link to the account. The group's
 * record then attributes their comments to "a respondent from <stakeholder group>, <region>".
 */
export async function clearOutsideProfile(tx: Tx, input: { participant: OutsideParticipant; actorId: string; groupId: string }) {
  const p = input.participant;
  const updated = await tx.outsideParticipant.update({
    where: { id: p.id },
    data: { name: '', organisation: '', countryCode: null, publishName: false, userId: null, anonymisedAt: new Date() },
  });
  await recordAudit(tx, {
    actorId: input.actorId,
    groupId: input.groupId,
    action: 'outside_participants.anonymised',
    entityType: 'outside_participant',
    entityId: p.id,
  });
  return updated;
}

export const outsideRespondentData: PersonalDataProvider = {
  name: 'consultation_responses',
  async collect(ctx, { userId }) {
    const profiles = await ctx.prisma.outsideParticipant.findMany({
      where: { userId },
      orderBy: { createdAt: 'asc' },
      include: {
        period: { select: { id: true, closesAt: true, document: { select: { title: true, group: { select: { name: true } } } } } },
        liaisonContact: { select: { body: { select: { name: true } } } },
        comments: { orderBy: { createdAt: 'asc' }, include: { comment: { select: { disposition: true } } } },
        answers: { include: { question: true }, orderBy: { question: { position: 'asc' } } },
      },
    });
    return profiles.map((p) => ({
      consultation: { periodId: p.period.id, group: p.period.document.group.name, document: p.period.document.title, closesAt: p.period.closesAt },
      profile: {
        name: p.name,
        organisation: p.organisation,
        stakeholderGroup: lower(p.stakeholderGroup),
        countryCode: p.countryCode,
        region: p.region ? lower(p.region) : null,
        publishName: p.publishName,
        liaisonBody: p.liaisonContact?.body.name ?? null,
        since: p.createdAt,
      },
      comments: p.comments.map((c) => {
        const d = c.comment?.disposition;
        return {
          id: c.id,
          clauseId: c.clauseId,
          type: lower(c.type),
          body: c.body,
          proposedChange: c.proposedChange,
          quotedText: c.quotedText,
          state: lower(c.state),
          // The reason is about what they sent; the moderator's own note and name are the group's.
          rejectionReason: c.rejectionReason ? lower(c.rejectionReason) : null,
          submittedAt: c.createdAt,
          withdrawnAt: c.withdrawnAt,
          disposition:
            d && (d.status === 'PROPOSED' || d.status === 'FINAL')
              ? {
                  code: d.code ? lower(d.code) : null,
                  status: lower(d.status),
                  rationale: d.rationale,
                  yourResponse: d.responseKind ? { kind: lower(d.responseKind), text: d.responseText } : null,
                }
              : null,
        };
      }),
      answers: p.answers.map((a) => ({
        question: a.question.prompt,
        kind: lower(a.question.kind),
        text: a.text,
        choices: a.choices.map((i) => a.question.choices[i] ?? null),
        updatedAt: a.updatedAt,
      })),
    }));
  },
  async anonymise(tx, { userId }, options) {
    const profiles = await tx.outsideParticipant.findMany({
      where: { userId, anonymisedAt: null },
      include: { period: { select: { document: { select: { groupId: true } } } } },
    });
    for (const { period, ...participant } of profiles) {
      await clearOutsideProfile(tx, { participant, actorId: options.actorId, groupId: period.document.groupId });
    }
    return { profiles: profiles.length };
  },
};
