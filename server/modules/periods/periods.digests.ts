// What the milestone digests say about documents and comments: the revision and comment-count
// sources the digests module reads when a milestone of the timeframe is reached, and the
// "deadline extended" digest, created in the extension's own transaction. (The conveners'
// draft and final-report sources belong to adjudication: dispositions.digest-sources.ts.)
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import type { Tx } from '../../lib/use-case.ts';
import type { Milestone } from '../../generated/prisma/client.ts';
import { createDigest, inGroupLanguages } from '../digests/create-digest.ts';
import { translate } from '../../lib/i18n.ts';
import { countComments, deadlineExtendedDigest } from '../digests/digest-content.ts';
import { digestGroup, groupLinks } from '../digests/build-milestone-digest.ts';

export const documentUrl = (config: Config, slug: string, documentId: string) => `${config.publicUrl}/groups/${slug}/documents/${documentId}`;
const revisionUrl = (config: Config, slug: string, documentId: string, sequence: number) => `${documentUrl(config, slug, documentId)}/revisions/${sequence}`;

/** The revision a milestone is about: its own, else (a close milestone) the revision of the period it closes. */
async function milestoneRevision(tx: Tx, milestone: Milestone) {
  const revisionId =
    milestone.revisionId ??
    (
      await tx.commentPeriod.findFirst({
        where: { OR: [{ closingMilestoneId: milestone.id }, { openingMilestoneId: milestone.id }] },
        select: { revisionId: true },
      })
    )?.revisionId;
  if (!revisionId) return null;
  return tx.revision.findUnique({ where: { id: revisionId }, include: { document: true, clauses: { orderBy: { position: 'asc' } } } });
}

const revisionTitle = (r: { sequence: number; label: string; document: { title: string } }) => `${r.document.title}, revision ${r.sequence} (${r.label})`;

interface CountRow {
  clause: string;
  clauseTitle: string;
  type: 'general' | 'technical' | 'editorial';
  affiliation: string;
  replies: number;
}

/** Comments on the revision, one row each (top-level, not withdrawn), with their reply counts: one statement. */
async function commentRows(tx: Tx, revisionId: string): Promise<CountRow[]> {
  return tx.$queryRaw<CountRow[]>`
    SELECT coalesce(cl.number, '') AS clause, coalesce(cl.heading, '') AS "clauseTitle", lower(c.type::text) AS type,
           coalesce(ic."memberBody", u.affiliation) AS affiliation,
           (SELECT count(*)::int FROM "Comment" r WHERE r."parentId" = c.id AND r.status = 'OPEN') AS replies
    FROM "Comment" c
    JOIN "User" u ON u.id = c."authorId"
    -- A comment imported from the comment template counts for the member body its row named.
    LEFT JOIN "ImportedComment" ic ON ic."commentId" = c.id
    LEFT JOIN "Clause" cl ON cl.id = c."clauseId"
    WHERE c."revisionId" = ${revisionId}::uuid AND c."parentId" IS NULL AND c.status = 'OPEN'`;
}

export function registerDocumentDigests(app: FastifyInstance) {
  const { config } = app;

  app.digestSources.provide('revision', async ({ tx, milestone, group }) => {
    const revision = await milestoneRevision(tx, milestone);
    if (!revision) return null;
    return {
      title: revisionTitle(revision),
      url: revisionUrl(config, group.slug, revision.documentId, revision.sequence),
      clauses: revision.clauses.filter((c) => c.number || c.heading).map((c) => ({ number: c.number, title: c.heading })),
    };
  });

  app.digestSources.provide('commentCounts', async ({ tx, milestone }) => {
    const revision = await milestoneRevision(tx, milestone);
    return revision ? countComments(await commentRows(tx, revision.id)) : null;
  });

  // The extension is announced to the list by a digest created in the extension's transaction:
  // both commit, or neither. Its key makes the same extension announce once.
  const deps = { ctx: app.ctx, mailer: app.mailer, jobs: app.jobs };
  app.ctx.events.beforeCommit(async (tx, events) => {
    for (const event of events) {
      if (event.name !== 'periods.extended') continue;
      const p = event.payload as { groupId: string; periodId: string; extensionId: string; previousClosesAt: string; closesAt: string; reopened: boolean };
      const extension = await tx.periodExtension.findUniqueOrThrow({
        where: { id: p.extensionId },
        include: {
          actor: { select: { name: true } },
          period: { include: { revision: { include: { document: true } }, document: { include: { group: true } } } },
        },
      });
      const { period } = extension;
      const group = period.document.group;
      const languages = await inGroupLanguages(group, (locale) => {
        const t = (key: string, vars?: Record<string, string>) => translate(locale, 'emails', `digests.deadlineExtended.${key}`, vars);
        return deadlineExtendedDigest({
          group: digestGroup(group),
          links: groupLinks(config, group.slug),
          periodLabel: t('periodLabel', { revision: revisionTitle(period.revision) }),
          previous: new Date(p.previousClosesAt),
          deadline: new Date(p.closesAt),
          reason: extension.reason,
          extendedBy: extension.actor ? t('byConvener', { name: extension.actor.name }) : t('byConveners'),
          reopened: p.reopened,
          url: revisionUrl(config, group.slug, period.documentId, period.revision.sequence),
          locale,
        });
      });
      await createDigest(deps, tx, {
        group,
        key: `extension:${period.id}:${p.closesAt}`,
        kind: 'DEADLINE_EXTENDED',
        milestoneId: period.closingMilestoneId,
        late: false,
        ...languages,
      });
    }
  });
}
