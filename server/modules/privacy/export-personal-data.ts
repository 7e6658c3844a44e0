// A person's download of everything Convene holds about them: one JSON document with a section
// per provider (the core modules' and any other module's), and their comments as CSV.
import type { User } from '../../generated/prisma/client.ts';
import type { Ctx } from '../../lib/use-case.ts';
import type { PersonalDataProvider } from '../../plugins/personal-data.ts';
import { csvRecord } from '../dispositions/export/to-csv.ts';

export async function exportPersonalData(ctx: Ctx, input: { user: User; providers: readonly PersonalDataProvider[] }) {
  const subject = { userId: input.user.id, email: input.user.email, name: input.user.name };
  const sections: Record<string, unknown> = {};
  for (const provider of input.providers) sections[provider.name] = await provider.collect(ctx, subject);
  return {
    generatedAt: new Date().toISOString(),
    person: { id: input.user.id, name: input.user.name, email: input.user.email },
    sections,
  };
}

const COLUMNS = [
  'comment_id',
  'group',
  'document',
  'revision',
  'clause',
  'in_reply_to',
  'type',
  'status',
  'created_at',
  'comment',
  'proposed_change',
  'quoted_text',
  'disposition',
  'disposition_status',
  'rationale',
] as const;

/** The person's comments, one per row, with the decision on each (UTF-8 with a byte order mark for Excel). */
export async function exportCommentsCsv(ctx: Ctx, input: { user: User }): Promise<string> {
  const rows = await ctx.prisma.comment.findMany({
    where: { authorId: input.user.id },
    orderBy: { createdAt: 'asc' },
    include: {
      document: { select: { title: true, group: { select: { slug: true } } } },
      revision: { select: { sequence: true } },
      clause: { select: { number: true } },
      disposition: { select: { code: true, status: true, rationale: true } },
    },
  });
  const records = rows.map((c) =>
    csvRecord([
      c.id,
      c.document.group.slug,
      c.document.title,
      String(c.revision.sequence),
      c.clause?.number ?? '',
      c.parentId ?? '',
      c.type?.toLowerCase() ?? '',
      c.status.toLowerCase(),
      c.createdAt.toISOString(),
      c.body,
      c.proposedChange,
      c.quotedText ?? '',
      c.disposition?.code?.toLowerCase() ?? '',
      c.disposition?.status.toLowerCase() ?? '',
      c.disposition?.rationale ?? '',
    ]),
  );
  return `\uFEFF${[csvRecord(COLUMNS), ...records].map((r) => `${r}\r\n`).join('')}`;
}
