// The analysis of a period's responses: counts by origin, stakeholder group and region, and the
// tallies of the choice questions, under the same filters; each is one aggregate statement over
// indexed rows (bench/outside-comments.bench.ts). The CSV of all responses names only those who
// agreed to publication.
import { Prisma, type StakeholderGroup, type WorldRegion } from '../../generated/prisma/client.ts';
import { AppError } from '../../lib/app-error.ts';
import type { Ctx } from '../../lib/use-case.ts';
import { authorize, type GroupAccess } from '../groups/groups.policy.ts';
import { lower } from '../../lib/enum-case.ts';
import { exportText, mainLanguage } from '../../lib/export-language.ts';
import { attributionOf, type CommentOrigin } from './attribution.ts';

export interface AnalysisFilter {
  origin?: CommentOrigin | undefined;
  stakeholderGroup?: StakeholderGroup | undefined;
  region?: WorldRegion | undefined;
  questionId?: string | undefined;
}

async function loadPeriod(ctx: Ctx, access: GroupAccess, documentId: string, periodId: string) {
  authorize(access, 'outside.analyse');
  const period = await ctx.prisma.commentPeriod.findFirst({
    where: { id: periodId, documentId, document: { groupId: access.group.id } },
    include: { questions: { orderBy: { position: 'asc' } } },
  });
  if (!period) throw AppError.notFound('That comment period', 'period_not_found');
  return period;
}

/** The participants a filter keeps (alias p). */
function participantFilter(f: AnalysisFilter) {
  const parts = [Prisma.sql`TRUE`];
  if (f.origin === 'liaison') parts.push(Prisma.sql`p."liaisonContactId" IS NOT NULL`);
  if (f.origin === 'public') parts.push(Prisma.sql`p."liaisonContactId" IS NULL`);
  if (f.stakeholderGroup) parts.push(Prisma.sql`p."stakeholderGroup" = ${f.stakeholderGroup}::"StakeholderGroup"`);
  if (f.region) parts.push(Prisma.sql`p.region = ${f.region}::"WorldRegion"`);
  return Prisma.join(parts, ' AND ');
}

export async function analyseResponses(ctx: Ctx, input: { access: GroupAccess; documentId: string; periodId: string; filter: AnalysisFilter }) {
  const period = await loadPeriod(ctx, input.access, input.documentId, input.periodId);
  const f = input.filter;
  if (f.questionId && !period.questions.some((q) => q.id === f.questionId)) throw AppError.notFound('That question', 'question_not_found');
  const where = participantFilter(f);
  const outsideOnly = f.origin === 'member' ? Prisma.sql`FALSE` : Prisma.sql`TRUE`;
  const memberCounted = !f.stakeholderGroup && !f.region && (f.origin === undefined || f.origin === 'member');
  const filtered = f.origin !== undefined || f.stakeholderGroup !== undefined || f.region !== undefined;
  // Counted per respondent first (a few thousand rows at most), then by their profile: the join
  // and the enum-to-text casts then run on the small set, not on every comment.
  const [groups, members, tallies] = await Promise.all([
    ctx.prisma.$queryRaw<{ state: string; liaison: boolean; stakeholderGroup: StakeholderGroup; region: WorldRegion | null; n: number }[]>`
      WITH per AS (
        SELECT oc."participantId", oc.state, count(*)::int AS n
        FROM "OutsideComment" oc
        WHERE oc."periodId" = ${period.id}::uuid AND oc."withdrawnAt" IS NULL AND ${outsideOnly}
        GROUP BY 1, 2)
      SELECT per.state::text AS state, (p."liaisonContactId" IS NOT NULL) AS liaison, p."stakeholderGroup"::text AS "stakeholderGroup",
             p.region::text AS region, sum(per.n)::int AS n
      FROM per JOIN "OutsideParticipant" p ON p.id = per."participantId"
      WHERE ${where}
      GROUP BY per.state, (p."liaisonContactId" IS NOT NULL), p."stakeholderGroup", p.region`,
    memberCounted
      ? ctx.prisma.$queryRaw<{ n: number }[]>`
          SELECT count(*)::int AS n FROM "Comment" c
          WHERE c."revisionId" = ${period.revisionId}::uuid AND c."parentId" IS NULL AND c.status = 'OPEN'
            AND NOT EXISTS (SELECT 1 FROM "OutsideComment" oc WHERE oc."commentId" = c.id)`
      : Promise.resolve([{ n: 0 }]),
    ctx.prisma.$queryRaw<{ questionId: string; choice: number | null; n: number }[]>`
      SELECT a."questionId", x.choice, count(*)::int AS n
      FROM "QuestionAnswer" a
      JOIN "ConsultationQuestion" q ON q.id = a."questionId" AND q."periodId" = ${period.id}::uuid
      ${filtered || f.origin === 'member' ? Prisma.sql`JOIN "OutsideParticipant" p ON p.id = a."participantId" AND ${outsideOnly} AND ${where}` : Prisma.empty}
      LEFT JOIN LATERAL unnest(a.choices) AS x(choice) ON TRUE
      ${f.questionId ? Prisma.sql`WHERE a."questionId" = ${f.questionId}::uuid` : Prisma.empty}
      GROUP BY 1, 2`,
  ]);
  const byOrigin = { member: members[0]?.n ?? 0, liaison: 0, public: 0 };
  const byState: Record<string, number> = { pending: 0, published: 0, rejected: 0 };
  const byStakeholderGroup: Record<string, number> = {};
  const byRegion: Record<string, number> = {};
  for (const g of groups) {
    const state = g.state.toLowerCase();
    byState[state] = (byState[state] ?? 0) + g.n;
    // What the group considers is what was published; pending and rejected are counted by state only.
    if (g.state !== 'PUBLISHED') continue;
    byOrigin[g.liaison ? 'liaison' : 'public'] += g.n;
    const sg = lower(g.stakeholderGroup);
    byStakeholderGroup[sg] = (byStakeholderGroup[sg] ?? 0) + g.n;
    const region = g.region ? lower(g.region) : 'unstated';
    byRegion[region] = (byRegion[region] ?? 0) + g.n;
  }
  const questions = period.questions
    .filter((q) => !f.questionId || q.id === f.questionId)
    .map((q) => {
      const rows = tallies.filter((t) => t.questionId === q.id);
      const answered = q.kind === 'FREE_TEXT' ? rows.reduce((s, r) => s + r.n, 0) : undefined;
      return {
        id: q.id,
        prompt: q.prompt,
        kind: lower(q.kind),
        choices: q.choices.map((label, index) => ({ label, count: rows.find((r) => r.choice === index)?.n ?? 0 })),
        answers: answered ?? rows.filter((r) => r.choice !== null).reduce((s, r) => s + r.n, 0),
      };
    });
  return { byOrigin, byState, byStakeholderGroup, byRegion, questions };
}

/** A cell as spreadsheets read it: quoted, and never a formula (a leading = + - @ is neutralised). */
const cell = (value: string | number | null | undefined) => {
  const s = value === null || value === undefined ? '' : String(value);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replaceAll('"', '""')}"`;
};

/** Every response, one row per comment and per answer; names and organisations only of those who agreed. */
export async function exportResponsesCsv(ctx: Ctx, input: { access: GroupAccess; documentId: string; periodId: string }) {
  const period = await loadPeriod(ctx, input.access, input.documentId, input.periodId);
  const [participants, clauses] = await Promise.all([
    ctx.prisma.outsideParticipant.findMany({
      where: { periodId: period.id },
      orderBy: { createdAt: 'asc' },
      include: { comments: { where: { withdrawnAt: null }, orderBy: { id: 'asc' } }, answers: true },
    }),
    ctx.prisma.clause.findMany({ where: { revisionId: period.revisionId }, select: { id: true, number: true } }),
  ]);
  const clauseNumber = new Map(clauses.map((c) => [c.id, c.number]));
  const questions = new Map(period.questions.map((q) => [q.id, q]));
  // Headings in the group's main language; the cells keep their codes (origin, state, stakeholder
  // group, region), named the same in every language, for filtering and for tools.
  const t = exportText(mainLanguage(input.access.group.languages));
  const header = [
    'respondent',
    'origin',
    'name',
    'organisation',
    'stakeholderGroup',
    'region',
    'country',
    'kind',
    'state',
    'clause',
    'type',
    'comment',
    'proposedChange',
    'question',
    'answer',
  ].map((key) => t(`responses.column.${key}`));
  const lines = [header.map(cell).join(',')];
  participants.forEach((p, i) => {
    const who = attributionOf(p);
    const named = who.named;
    const person = [
      `R${i + 1}`,
      who.origin,
      named ? who.name : '',
      named ? who.organisation : '',
      p.stakeholderGroup,
      p.region ?? '',
      named ? (p.countryCode ?? '') : '',
    ];
    for (const c of p.comments) {
      lines.push(
        [...person, 'comment', c.state, c.clauseId ? (clauseNumber.get(c.clauseId) ?? '') : '', c.type, c.body, c.proposedChange, '', ''].map(cell).join(','),
      );
    }
    for (const a of p.answers) {
      const q = questions.get(a.questionId);
      if (!q) continue;
      const answer = q.kind === 'FREE_TEXT' ? a.text : a.choices.map((x) => q.choices[x] ?? '').join('; ');
      lines.push([...person, 'answer', '', '', '', '', '', q.prompt, answer].map(cell).join(','));
    }
  });
  return `${lines.join('\r\n')}\r\n`;
}
