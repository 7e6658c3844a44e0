// Chooses what a reached milestone's digest says, by kind, from the sources and the timeframe.
import type { Milestone, MilestoneKind } from '../../generated/prisma/client.ts';
import type { Config } from '../../config.ts';
import {
  convenersDraftDigest,
  draftPostedDigest,
  finalReportDigest,
  markLate,
  milestoneReachedDigest,
  periodClosedDigest,
  type DigestGroup,
  type DigestLinks,
  type DigestView,
} from './digest-content.ts';
import type { DigestSourceRegistry, ReachedMilestone } from './digest-sources.ts';
import type { Locale } from '../../lib/i18n.ts';

export const groupLinks = (config: Config, slug: string): DigestLinks => ({
  groupUrl: `${config.publicUrl}/groups/${slug}`,
  archiveUrl: `${config.publicUrl}/groups/${slug}/digests`,
});

export const digestGroup = (g: { name: string; acronym: string; slug: string; timeZone: string }): DigestGroup => ({
  name: g.name,
  acronym: g.acronym,
  slug: g.slug,
  timeZone: g.timeZone,
});

const EMPTY_COUNTS = { total: 0, byType: { general: 0, technical: 0, editorial: 0 }, byClause: [], byAffiliation: [] };

export async function buildMilestoneDigest(config: Config, sources: DigestSourceRegistry, reached: ReachedMilestone, locale?: Locale): Promise<DigestView> {
  const { tx, milestone, group } = reached;
  const later = await tx.milestone.findMany({ where: { groupId: group.id, at: { gt: milestone.at } }, orderBy: { at: 'asc' } });
  const nextOf = (kinds: MilestoneKind[]): Milestone | null => later.find((m) => kinds.includes(m.kind)) ?? null;
  const next = later[0] ? { label: later[0].label, at: later[0].at } : null;
  const common = { group: digestGroup(group), links: groupLinks(config, group.slug), milestoneLabel: milestone.label, locale };

  let view: DigestView;
  switch (milestone.kind) {
    case 'DRAFT_POSTED':
      view = draftPostedDigest({
        ...common,
        revision: await sources.read('revision', reached),
        commentsClose: nextOf(['COMMENTS_CLOSE', 'FINAL_COMMENTS_CLOSE'])?.at ?? null,
      });
      break;
    case 'COMMENTS_CLOSE':
    case 'FINAL_COMMENTS_CLOSE':
      view = periodClosedDigest({
        ...common,
        closedAt: milestone.at,
        counts: (await sources.read('commentCounts', reached)) ?? EMPTY_COUNTS,
        next,
        url: common.links.groupUrl,
      });
      break;
    case 'CONVENERS_DRAFT_POSTED': {
      const revision = await sources.read('revision', reached);
      const extra = await sources.read('convenersDraft', reached);
      view = convenersDraftDigest({
        ...common,
        revision,
        changes: extra?.changes ?? null,
        dispositions: extra?.dispositions ?? [],
        objections: extra?.objections ?? [],
        commentsClose: nextOf(['FINAL_COMMENTS_CLOSE', 'COMMENTS_CLOSE'])?.at ?? null,
      });
      break;
    }
    case 'FINAL_REPORT_PUBLISHED': {
      const report = await sources.read('finalReport', reached);
      view = finalReportDigest({
        ...common,
        reportUrl: report?.reportUrl ?? null,
        dispositionTableUrl: report?.dispositionTableUrl ?? null,
        submittedTo: group.parentBodies,
      });
      break;
    }
    default:
      view = milestoneReachedDigest({ ...common, at: milestone.at, next });
  }
  return reached.late ? markLate(view, milestone.at, common.group, locale) : view;
}
