// The group's phase at an instant — by default the database's now — derived (never stored) here
// and nowhere else: the group home, the document view, socket events and digests all show this
// answer, so no two screens can disagree and no viewer's clock decides it.
//   comments_open  — a period is open: "Comments open on rev 2 until 25 April 2016 23:59 UTC (…)"
//   adjudication   — the last period closed and no later one has opened
//   published      — a revision was published after the last period closed
//   preparation    — no period has opened yet
// What happened to the group's documents decides. A group with no comment period at all keeps
// its timeframe as dates only; then the last of those dates reached says where it stands.
import type { Tx } from '../../lib/use-case.ts';
import { describeInstant, presentInstant, type PresentedInstant } from '../../lib/instant.ts';
import type { Group, MilestoneKind } from '../../generated/prisma/client.ts';

export type PhaseKind = 'preparation' | 'comments_open' | 'adjudication' | 'published';

export interface Phase {
  at: PresentedInstant;
  kind: PhaseKind;
  text: string;
  documentId: string | null;
  revision: { id: string; sequence: number; label: string } | null;
  periodId: string | null;
  /** For comments_open: the deadline; for adjudication: when comments closed. */
  deadline: PresentedInstant | null;
  /** The next period to open, if one is scheduled. */
  next: { periodId: string; revision: { id: string; sequence: number; label: string }; opensAt: PresentedInstant; closesAt: PresentedInstant } | null;
}

/** Any database handle: the app's client (HTTP) or a transaction (socket events show the committed state). */
type PhaseDb = { prisma: Pick<Tx, '$queryRaw' | 'commentPeriod' | 'milestone'> };

/** The phase a dated milestone (one without an effect) begins, in a timeframe of dates only. */
const PHASE_OF_KIND: Partial<Record<MilestoneKind, PhaseKind>> = {
  DRAFT_POSTED: 'comments_open',
  CONVENERS_DRAFT_POSTED: 'comments_open',
  COMMENTS_CLOSE: 'adjudication',
  FINAL_COMMENTS_CLOSE: 'adjudication',
  FINAL_REPORT_PUBLISHED: 'published',
};
const CLOSING_KINDS: MilestoneKind[] = ['COMMENTS_CLOSE', 'FINAL_COMMENTS_CLOSE'];

export async function derivePhase(ctx: PhaseDb, group: Group, atIso?: string): Promise<Phase> {
  // One statement (the group page and every phase event run this): the instant, the group's periods
  // and the last publication reached by then; it was three round trips one after the other.
  type RevisionRef = { id: string; sequence: number; label: string };
  type PeriodJson = { id: string; documentId: string; opensAt: string; closesAt: string; revision: RevisionRef };
  type PublishedJson = { at: string; revision: RevisionRef & { documentId: string } };
  const [row] = await ctx.prisma.$queryRaw<[{ at: Date; periods: PeriodJson[]; published: PublishedJson | null }]>`
    WITH instant AS (SELECT coalesce(${atIso ?? null}::timestamptz, now()) AS at)
    SELECT instant.at,
      (SELECT coalesce(json_agg(json_build_object('id', p.id, 'documentId', p."documentId", 'opensAt', p."opensAt", 'closesAt', p."closesAt",
                 'revision', json_build_object('id', r.id, 'sequence', r.sequence, 'label', r.label)) ORDER BY p."closesAt", p.id), '[]')
       FROM "CommentPeriod" p JOIN "Document" d ON d.id = p."documentId" JOIN "Revision" r ON r.id = p."revisionId"
       WHERE d."groupId" = ${group.id}::uuid) AS periods,
      (SELECT json_build_object('at', m.at, 'revision', json_build_object('id', r.id, 'sequence', r.sequence, 'label', r.label, 'documentId', r."documentId"))
       FROM "Milestone" m JOIN "Revision" r ON r.id = m."revisionId"
       WHERE m."groupId" = ${group.id}::uuid AND m.effect = 'PUBLISH_REVISION' AND m.at <= instant.at
       ORDER BY m.at DESC LIMIT 1) AS published
    FROM instant`;
  const at = atIso ? new Date(atIso) : row.at;
  const periods = row.periods.map((p) => ({ ...p, opensAt: new Date(p.opensAt), closesAt: new Date(p.closesAt) }));
  const published = row.published ? { at: new Date(row.published.at), revision: row.published.revision } : null;
  const t = at.getTime();
  const zone = group.timeZone;
  const rev = (r: { sequence: number }) => `rev ${r.sequence}`;
  const upcoming = periods.filter((p) => p.opensAt.getTime() > t).sort((a, b) => a.opensAt.getTime() - b.opensAt.getTime())[0];
  const next = upcoming
    ? { periodId: upcoming.id, revision: upcoming.revision, opensAt: presentInstant(upcoming.opensAt, zone), closesAt: presentInstant(upcoming.closesAt, zone) }
    : null;
  const base = { at: presentInstant(at, zone), next };

  const open = periods.find((p) => p.opensAt.getTime() <= t && t < p.closesAt.getTime());
  if (open) {
    return {
      ...base,
      kind: 'comments_open',
      documentId: open.documentId,
      revision: open.revision,
      periodId: open.id,
      deadline: presentInstant(open.closesAt, zone),
      text: `Comments open on ${rev(open.revision)} until ${describeInstant(open.closesAt, zone)}`,
    };
  }
  const lastClosed = periods.filter((p) => p.closesAt.getTime() <= t).at(-1);
  if (published && (!lastClosed || published.at.getTime() >= lastClosed.closesAt.getTime())) {
    return {
      ...base,
      kind: 'published',
      documentId: published.revision!.documentId,
      revision: published.revision,
      periodId: null,
      deadline: null,
      text: `${rev(published.revision!)} (${published.revision!.label}) was published on ${describeInstant(published.at, zone)}`,
    };
  }
  if (lastClosed) {
    return {
      ...base,
      kind: 'adjudication',
      documentId: lastClosed.documentId,
      revision: lastClosed.revision,
      periodId: lastClosed.id,
      deadline: presentInstant(lastClosed.closesAt, zone),
      text:
        `Adjudication: comments on ${rev(lastClosed.revision)} closed at ${describeInstant(lastClosed.closesAt, zone)}` +
        (next ? `; comments open on ${rev(next.revision)} at ${describeInstant(upcoming!.opensAt, zone)}` : ''),
    };
  }
  if (periods.length === 0 && !published) {
    const dated = await datedPhase(ctx, group, at);
    if (dated) return { ...base, ...dated };
  }
  return {
    ...base,
    kind: 'preparation',
    documentId: upcoming?.documentId ?? null,
    revision: null,
    periodId: null,
    deadline: null,
    text: next
      ? `Preparation: comments open on ${rev(next.revision)} at ${describeInstant(upcoming!.opensAt, zone)}`
      : 'Preparation: no comment period is scheduled',
  };
}

/** A timeframe of dates only: the phase the last dated milestone reached began (null: none reached yet). */
async function datedPhase(ctx: PhaseDb, group: Group, at: Date) {
  const zone = group.timeZone;
  const reached = await ctx.prisma.milestone.findFirst({
    where: { groupId: group.id, effect: null, kind: { in: Object.keys(PHASE_OF_KIND) as MilestoneKind[] }, at: { lte: at } },
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
  });
  if (!reached) return null;
  const kind = PHASE_OF_KIND[reached.kind]!;
  const none = { documentId: null, revision: null, periodId: null };
  if (kind === 'comments_open') {
    const closes = await ctx.prisma.milestone.findFirst({ where: { groupId: group.id, kind: { in: CLOSING_KINDS }, at: { gt: at } }, orderBy: { at: 'asc' } });
    return {
      ...none,
      kind,
      deadline: closes ? presentInstant(closes.at, zone) : null,
      text: closes ? `Comments open until ${describeInstant(closes.at, zone)}` : `Comments open since ${describeInstant(reached.at, zone)}`,
    };
  }
  if (kind === 'adjudication') {
    return { ...none, kind, deadline: presentInstant(reached.at, zone), text: `Adjudication: comments closed at ${describeInstant(reached.at, zone)}` };
  }
  return { ...none, kind, deadline: null, text: `The final report was published on ${describeInstant(reached.at, zone)}` };
}
