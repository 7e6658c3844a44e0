// Comments from the ISO/IEC/ITU comment template: the preview says what would happen to every row
// and stores nothing; the import does the same reading and planning again, refuses while any row is
// unmatched or invalid, and then writes every comment (with its source row, its member body and the
// disposition its observations propose) in one transaction, with one audit entry and one event.
import { createHash } from 'node:crypto';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../../lib/audit.ts';
import { transact, type Ctx } from '../../lib/use-case.ts';
import { uuidv7 } from '../../lib/uuid.ts';
import type { GroupAccess } from '../groups/groups.policy.ts';
import { readCommentWindow, type CommentWindow } from '../periods/comment-window.ts';
import { findDocument, findRevision } from '../revisions/documents.ts';
import { escapeHtml } from './export/tracked-html.ts';
import { planTemplateImport, type PlannedRow, type PlanOptions } from './import/plan-template-import.ts';
import { readTemplateTables, type TemplateLimits } from './import/read-template.ts';
import { recogniseTemplate, type RecognisedTable } from './import/template-columns.ts';
import type { TemplateFormat } from './import/template-conversion.ts';
import { interchangePolicy } from './interchange.policy.ts';

declare module '../../lib/domain-events.ts' {
  interface DomainEventMap {
    'comments.imported': { groupId: string; documentId: string; revisionId: string; importId: string; comments: number; dispositions: number };
  }
}

export interface TemplateUpload {
  file: Buffer;
  fileName: string;
  options: Omit<PlanOptions, 'maxCommentChars'>;
}

interface ImportInput {
  access: GroupAccess;
  documentId: string;
  sequence: number;
  upload: TemplateUpload;
  limits: TemplateLimits;
}

export type PeriodState = 'open' | 'closed' | 'not_open';

export interface TemplatePlan {
  format: TemplateFormat;
  table: { name: string; headerRow: number; headers: RecognisedTable['headers'] };
  periodState: PeriodState;
  rows: PlannedRow[];
  counts: Record<PlannedRow['outcome'], number> & { dispositions: number };
}

const periodStateOf = (window: CommentWindow): PeriodState =>
  window.open ? 'open' : window.period && window.period.closesAt.getTime() <= window.now.getTime() ? 'closed' : 'not_open';

type Db = Pick<Ctx['prisma'], 'clause' | 'membership' | 'document' | 'revision' | '$queryRaw'>;

/** The file's table, read once (in the worker) before any transaction opens. */
async function readUpload(input: ImportInput) {
  interchangePolicy.authorize(input.access, 'comments.importTemplate');
  const { format, tables } = await readTemplateTables(input.upload.file, input.limits);
  return { format, recognised: recogniseTemplate(tables) };
}

async function plan(ctx: Ctx, db: Db, input: ImportInput, read: Awaited<ReturnType<typeof readUpload>>) {
  const { access } = input;
  const document = await findDocument(db as never, access.group.id, input.documentId);
  const revision = await findRevision(db as never, document.id, input.sequence);
  const window = await readCommentWindow(db, revision.id);
  const periodState = periodStateOf(window);
  // Outside the comment period only a convener may bring comments in; the import records it.
  if (periodState !== 'open') interchangePolicy.authorize(access, 'comments.importTemplateLate');
  // Sequential: inside a transaction there is one connection.
  const clauses = await db.clause.findMany({
    where: { revisionId: revision.id },
    orderBy: { position: 'asc' },
    select: { id: true, number: true, heading: true },
  });
  const memberships = await db.membership.findMany({
    where: { groupId: access.group.id, role: { in: ['CONVENER', 'EDITOR', 'PARTICIPANT'] } },
    select: { user: { select: { id: true, name: true, affiliation: true } } },
  });
  const rows = planTemplateImport(
    read.recognised,
    { clauses, members: memberships.map((m) => m.user) },
    { ...input.upload.options, maxCommentChars: ctx.config.limits.commentBodyChars },
  );
  const counts = { ready: 0, unmatched: 0, skipped: 0, invalid: 0, dispositions: 0 };
  for (const row of rows) {
    counts[row.outcome] += 1;
    if (row.outcome === 'ready' && row.disposition) counts.dispositions += 1;
  }
  const result: TemplatePlan = {
    format: read.format,
    table: { name: read.recognised.table.name, headerRow: read.recognised.headerRow, headers: read.recognised.headers },
    periodState,
    rows,
    counts,
  };
  return { document, revision, plan: result };
}

export async function previewCommentTemplate(ctx: Ctx, input: ImportInput): Promise<TemplatePlan> {
  const read = await readUpload(input);
  return (await plan(ctx, ctx.prisma, input, read)).plan;
}

export async function importCommentTemplate(ctx: Ctx, input: ImportInput) {
  const { access } = input;
  const user = access.user;
  // The file is read before the transaction opens (the worker may take seconds); what depends on
  // the database (document, period, clauses, members) is read inside it, by its clock.
  const read = await readUpload(input);
  return transact(
    ctx,
    async (tx, emit) => {
      const { document, revision, plan: planned } = await plan(ctx, tx, input, read);
      const blocking = planned.rows.filter((row) => row.outcome === 'unmatched' || row.outcome === 'invalid');
      if (blocking.length > 0) {
        throw AppError.unprocessable(
          'template_rows_unresolved',
          `${blocking.length} row${blocking.length === 1 ? ' needs' : 's need'} attention before importing: map each unmatched row to a clause (or leave it out) and correct the invalid ones. Nothing was stored.`,
          { rows: blocking.map((row) => ({ row: row.row, outcome: row.outcome, notes: row.notes })) },
        );
      }
      const ready = planned.rows.filter((row) => row.outcome === 'ready');
      if (ready.length === 0) throw AppError.unprocessable('template_empty', 'The file has no comment to import. Nothing was stored.');
      const importId = uuidv7();
      const ids = ready.map(() => uuidv7());
      const [{ now }] = await tx.$queryRaw<[{ now: Date }]>`SELECT now() AS now`;
      await tx.commentImport.create({
        data: {
          id: importId,
          groupId: access.group.id,
          documentId: document.id,
          revisionId: revision.id,
          importedById: user.id,
          importedAs: 'convener',
          organisation: input.upload.options.organisation.trim(),
          fileName: input.upload.fileName.slice(0, 255),
          format: planned.format,
          fileSha256: createHash('sha256').update(input.upload.file).digest('hex'),
          rowCount: planned.rows.length,
          commentCount: ready.length,
          dispositionCount: planned.counts.dispositions,
          periodState: planned.periodState,
          createdAt: now,
        },
      });
      // Three statements whatever the number of rows: each inserts from one JSON parameter (as the
      // audit log writes in bulk); Prisma's createMany took over a second for 500 comments.
      const comments = ready.map((row, index) => ({
        id: ids[index]!,
        clauseId: row.clause?.id ?? null,
        authorId: row.member?.id ?? user.id,
        type: row.type,
        body: row.comment,
        bodyHtml: plainTextHtml(row.comment),
        proposedChange: row.proposedChange,
        // In file order, a millisecond apart, so the table lists them as the file did.
        createdAt: new Date(now.getTime() + index).toISOString(),
      }));
      await tx.$executeRaw`
        INSERT INTO "Comment" ("id", "documentId", "revisionId", "clauseId", "authorId", "type", "body", "bodyHtml", "proposedChange", "createdAt", "updatedAt")
        SELECT r."id", ${document.id}::uuid, ${revision.id}::uuid, r."clauseId", r."authorId", r."type"::"CommentType", r."body", r."bodyHtml", r."proposedChange", r."createdAt", r."createdAt"
        FROM jsonb_to_recordset(${JSON.stringify(comments)}::jsonb) AS r("id" uuid, "clauseId" uuid, "authorId" uuid, "type" text, "body" text, "bodyHtml" text, "proposedChange" text, "createdAt" timestamptz)`;
      const sources = ready.map((row, index) => ({
        commentId: ids[index]!,
        sourceRow: row.row,
        memberBody: row.memberBody,
        memberMatched: row.member !== null,
        line: row.line,
        paragraph: row.paragraph,
        clauseAsWritten: row.clauseAsWritten,
      }));
      await tx.$executeRaw`
        INSERT INTO "ImportedComment" ("commentId", "importId", "sourceRow", "memberBody", "memberMatched", "line", "paragraph", "clauseAsWritten")
        SELECT r."commentId", ${importId}::uuid, r."sourceRow", r."memberBody", r."memberMatched", r."line", r."paragraph", r."clauseAsWritten"
        FROM jsonb_to_recordset(${JSON.stringify(sources)}::jsonb)
          AS r("commentId" uuid, "sourceRow" int, "memberBody" text, "memberMatched" boolean, "line" text, "paragraph" text, "clauseAsWritten" text)`;
      const proposals = ready.flatMap((row, index) =>
        row.disposition ? [{ id: uuidv7(), commentId: ids[index]!, code: row.disposition.code, rationale: row.disposition.rationale }] : [],
      );
      if (proposals.length > 0) {
        await tx.$executeRaw`
          INSERT INTO "Disposition" ("id", "commentId", "documentId", "code", "status", "rationale", "version", "proposedById", "proposedAt", "updatedAt")
          SELECT r."id", r."commentId", ${document.id}::uuid, r."code"::"DispositionCode", 'PROPOSED'::"DispositionStatus", r."rationale", 1, ${user.id}::uuid, ${now}, ${now}
          FROM jsonb_to_recordset(${JSON.stringify(proposals)}::jsonb) AS r("id" uuid, "commentId" uuid, "code" text, "rationale" text)`;
      }
      const summary = {
        documentId: document.id,
        revision: revision.sequence,
        fileName: input.upload.fileName,
        format: planned.format,
        comments: ready.length,
        dispositions: proposals.length,
        skipped: planned.counts.skipped,
        periodState: planned.periodState,
        afterDeadline: planned.periodState === 'closed',
      };
      await recordAudit(tx, {
        actorId: user.id,
        groupId: access.group.id,
        action: 'comments.imported',
        entityType: 'comment_import',
        entityId: importId,
        after: summary,
      });
      emit('comments.imported', {
        groupId: access.group.id,
        documentId: document.id,
        revisionId: revision.id,
        importId,
        comments: ready.length,
        dispositions: proposals.length,
      });
      return { importId, ...summary };
    },
    { timeoutMs: 30_000 },
  );
}

/**
 * The template's text as the comment's HTML: its paragraphs and line breaks, nothing read as
 * markup. Every character of the text is escaped and the only tags are <p> and <br>, so the result
 * is within the drafts' allow-list by construction (running the sanitizer on 500 rows took a second).
 */
export function plainTextHtml(text: string): string {
  const paragraphs = text
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  return paragraphs.map((p) => `<p>${escapeHtml(p).replaceAll('\n', '<br>')}</p>`).join('');
}
