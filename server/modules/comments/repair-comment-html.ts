// Stored comment HTML is rendered once, when the comment is written. Until 2026-11-23 the comment
// renderer let marked pass through, as raw HTML, the text that follows an inline <pre>, <code>,
// <kbd> or <script> tag in the same paragraph ("**<script><img src=x onerror=…" kept the <img>;
// revisions/lib/markdown.ts now escapes it). Only a body with such a tag can have been affected, so
// at start those bodies, and earlier versions of edited comments, are rendered again and their
// stored HTML replaced where it differs. On a clean database this is one scan of the bodies and no
// writes. Events already in the realtime log keep their copy until the log's
// retention prunes them; the page's CSP (script-src 'self') blocks inline handlers meanwhile.
import { Prisma } from '../../generated/prisma/client.ts';
import type { Ctx } from '../../lib/use-case.ts';
import { renderCommentBody } from './comment-text.ts';

/** An inline tag after which marked treated the rest of the paragraph as raw HTML. */
const RAW_CONTENT_TAG = '<(pre|code|kbd|script)(\\s|>)';

interface Stored {
  id: string;
  body: string;
  bodyHtml: string;
}

/** Renders the affected bodies again; answers how many stored HTML texts changed. */
export async function repairCommentHtml(ctx: Ctx): Promise<number> {
  let changed = 0;
  for (const table of ['Comment', 'CommentEdit'] as const) {
    const rows = await ctx.prisma.$queryRaw<Stored[]>(Prisma.sql`
      SELECT id, body, "bodyHtml" FROM ${Prisma.raw(`"${table}"`)} WHERE body ~* ${RAW_CONTENT_TAG}`);
    for (const row of rows) {
      const bodyHtml = renderCommentBody(row.body);
      if (bodyHtml === row.bodyHtml) continue;
      await ctx.prisma.$executeRaw(Prisma.sql`UPDATE ${Prisma.raw(`"${table}"`)} SET "bodyHtml" = ${bodyHtml} WHERE id = ${row.id}::uuid`);
      changed++;
    }
  }
  return changed;
}
