// Reading the work programme: the filtered list (also as CSV), one work item's page with the
// whole history of its text (documents, revisions, comment periods, dispositions, final
// reports, consultations), and the same for anyone when the group's outputs are public.
import { AppError } from '../../lib/app-error.ts';
import type { Ctx } from '../../lib/use-case.ts';
import type { ApprovalProcess, Prisma, WorkItemStatus } from '../../generated/prisma/client.ts';
import type { GroupAccess } from '../groups/groups.policy.ts';
import { workProgrammePolicy } from './work-programme.policy.ts';
import { editorsInclude, type WorkItemPage } from './work-programme.presenter.ts';

export interface WorkItemFilter {
  status?: WorkItemStatus | undefined;
  approvalProcess?: ApprovalProcess | undefined;
  question?: string | undefined;
  q?: string | undefined;
}

function where(groupId: string, f: WorkItemFilter): Prisma.WorkItemWhereInput {
  const words = (f.q ?? '').trim();
  return {
    groupId,
    ...(f.status ? { status: f.status } : {}),
    ...(f.approvalProcess ? { approvalProcess: f.approvalProcess } : {}),
    ...(f.question ? { question: f.question.trim() } : {}),
    ...(words
      ? {
          OR: [
            { acronym: { contains: words, mode: 'insensitive' as const } },
            { number: { contains: words, mode: 'insensitive' as const } },
            { title: { contains: words, mode: 'insensitive' as const } },
          ],
        }
      : {}),
  };
}

async function listFor(ctx: Ctx, groupId: string, filter: WorkItemFilter) {
  return ctx.prisma.workItem.findMany({ where: where(groupId, filter), include: editorsInclude, orderBy: [{ question: 'asc' }, { acronym: 'asc' }] });
}

export async function listWorkItems(ctx: Ctx, input: { access: GroupAccess; filter: WorkItemFilter }) {
  workProgrammePolicy.authorize(input.access, 'workItems.read');
  return listFor(ctx, input.access.group.id, input.filter);
}

/** A PUBLIC_OUTPUTS group's programme; any other group reads as missing. */
async function publicGroup(ctx: Ctx, slug: string) {
  const group = await ctx.prisma.group.findUnique({ where: { slug } });
  if (group?.visibility !== 'PUBLIC_OUTPUTS') throw AppError.notFound('That public group', 'group_not_found');
  return group;
}

export async function listPublicWorkItems(ctx: Ctx, input: { slug: string; filter: WorkItemFilter }) {
  const group = await publicGroup(ctx, input.slug);
  return listFor(ctx, group.id, input.filter);
}

async function pageOf(ctx: Ctx, groupId: string, workItemId: string, publicOnly: boolean): Promise<WorkItemPage> {
  const item = await ctx.prisma.workItem.findFirst({
    where: { id: workItemId, groupId },
    include: {
      ...editorsInclude,
      statusChanges: { orderBy: [{ at: 'asc' }, { id: 'asc' }], include: { actor: { select: { id: true, name: true } } } },
      documents: {
        orderBy: { createdAt: 'asc' },
        include: {
          document: {
            include: {
              group: { select: { slug: true, acronym: true } },
              revisions: { orderBy: { sequence: 'asc' }, select: { sequence: true, label: true, postedAt: true } },
              periods: { orderBy: { opensAt: 'asc' }, include: { revision: { select: { sequence: true } } } },
              finalReport: { include: { revision: { select: { sequence: true } } } },
            },
          },
        },
      },
      consultations: { include: { consultation: { select: { id: true, reference: true, deadline: true } } } },
    },
  });
  if (!item) throw AppError.notFound('That work item', 'work_item_not_found');
  const documentIds = item.documents.map((d) => d.documentId);
  // Comment and decision counts per document in one statement (a page may link several drafts).
  const counts = documentIds.length
    ? await ctx.prisma.$queryRaw<{ documentId: string; comments: number; decided: number }[]>`
        SELECT c."documentId", count(*)::int AS comments, count(d.id) FILTER (WHERE d.status = 'FINAL')::int AS decided
        FROM "Comment" c LEFT JOIN "Disposition" d ON d."commentId" = c.id
        WHERE c."documentId" = ANY(${documentIds}::uuid[]) AND c."parentId" IS NULL AND c.status = 'OPEN'
        GROUP BY c."documentId"`
    : [];
  const countOf = new Map(counts.map((c) => [c.documentId, c]));
  const { statusChanges, documents, consultations, ...rest } = item;
  return {
    item: rest,
    history: statusChanges,
    // The public sees published outputs only: drafts stay with the group.
    documents: documents
      .map((d) => d.document)
      .filter((d) => !publicOnly || d.finalReport)
      .map((d) => ({
        id: d.id,
        title: d.title,
        state: d.state,
        group: d.group,
        revisions: publicOnly ? [] : d.revisions,
        periods: publicOnly ? [] : d.periods,
        comments: countOf.get(d.id)?.comments ?? 0,
        decided: countOf.get(d.id)?.decided ?? 0,
        finalReport: d.finalReport,
      })),
    consultations: consultations.map((c) => c.consultation).sort((a, b) => a.deadline.getTime() - b.deadline.getTime()),
  };
}

export async function readWorkItem(ctx: Ctx, input: { access: GroupAccess; workItemId: string }) {
  workProgrammePolicy.authorize(input.access, 'workItems.read');
  return pageOf(ctx, input.access.group.id, input.workItemId, false);
}

export async function readPublicWorkItem(ctx: Ctx, input: { slug: string; workItemId: string }) {
  const group = await publicGroup(ctx, input.slug);
  const page = await pageOf(ctx, group.id, input.workItemId, true);
  return { ...page, history: page.history.map((h) => ({ ...h, actor: null, note: '' })) };
}
