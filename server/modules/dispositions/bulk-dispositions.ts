// Bulk changes on a selection ("all editorial comments on clause 3 → accepted"): one
// transaction, all or nothing. Every item is tried so the answer reports each comment's fate;
// if any fails, nothing is written and the items that would have succeeded say `not_applied`.
import type { Ctx } from '../../lib/use-case.ts';
import { AppError } from '../../lib/app-error.ts';
import { transactPipelined } from '../../lib/use-case.ts';
import { eventChannel } from '../realtime/record-events.ts';
import type { GroupAccess } from '../groups/groups.policy.ts';
import { applyChanges, audienceOf, type Change } from './change-disposition.ts';
import { presentDisposition, type PresentedDisposition } from './dispositions.presenter.ts';
import { authorizeAdjudication, decisionModeOf } from './dispositions.policy.ts';

/** Refuses the whole selection up front, before anything about its comments is revealed. */
function authorizeBulk(access: GroupAccess, change: Change): void {
  if (change.kind === 'decide') decisionModeOf(access);
  else if (change.kind === 'assign') authorizeAdjudication(access, 'dispositions.assign');
  else if (change.kind === 'finalise') authorizeAdjudication(access, 'dispositions.finalise');
  else authorizeAdjudication(access, 'dispositions.propose');
}

export interface BulkInput {
  access: GroupAccess;
  documentId: string;
  items: Array<{ commentId: string; expectedVersion: number }>;
  change: Change;
}

export interface BulkItemResult {
  commentId: string;
  status: number;
  code: string | null;
  message: string | null;
  disposition: PresentedDisposition | null;
}

class BulkFailed extends Error {
  readonly results: BulkItemResult[];
  constructor(results: BulkItemResult[]) {
    super('bulk change failed');
    this.results = results;
  }
}

export async function changeDispositionsInBulk(ctx: Ctx, input: BulkInput): Promise<BulkItemResult[]> {
  authorizeBulk(input.access, input.change);
  const audience = audienceOf(input.access);
  try {
    return await transactPipelined(ctx, async (p, emit) => {
      const outcomes = await applyChanges(p, emit, eventChannel(ctx.config.realtimeChannel), {
        access: input.access,
        documentId: input.documentId,
        items: input.items,
        change: input.change,
      });
      const results: BulkItemResult[] = outcomes.map((o) =>
        o.error
          ? {
              commentId: o.commentId,
              status: o.error.status,
              code: o.error.code,
              message: o.error.message,
              disposition: (o.error.details?.current as PresentedDisposition | undefined) ?? null,
            }
          : {
              commentId: o.commentId,
              status: 200,
              code: null,
              message: null,
              disposition: presentDisposition(o.after, { commentId: o.after.commentId, documentId: o.after.documentId }, audience),
            },
      );
      // Throwing rolls back every item, and transact() drops the events of a rolled-back transaction.
      if (results.some((r) => r.status !== 200)) throw new BulkFailed(results);
      return results;
    });
  } catch (err) {
    if (!(err instanceof BulkFailed)) throw err;
    const results = err.results.map((r) =>
      r.status === 200
        ? { ...r, status: 424, code: 'not_applied', message: 'Not applied, because another comment of the selection failed.', disposition: null }
        : r,
    );
    const failed = results.filter((r) => r.status !== 424);
    // One status for the whole answer: a conflict if any item conflicts, else the first failure's.
    const status = failed.some((r) => r.status === 409) ? 409 : failed[0]!.status;
    throw new AppError('bulk_not_applied', status, `${failed.length} of ${results.length} comments could not be changed, so none was; see results.`, {
      ok: false,
      results,
    });
  }
}
