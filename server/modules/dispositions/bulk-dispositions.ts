// Bulk changes on a selection ("all editorial comments on clause 3 → accepted"): one
// transaction, all or nothing. Every item is tried so the answer reports each comment's fate;
// if any fails, nothing is written and the items that would have succeeded say `not_applied`.
import type { Ctx } from '../../lib/use-case.ts';
import { AppError } from '../../lib/app-error.ts';
import { transact } from '../../lib/use-case.ts';
import type { GroupAccess } from '../groups/groups.policy.ts';
import { applyChange, audienceOf, type Change } from './change-disposition.ts';
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

export interface BulkItemResult { commentId: string; status: number; code: string | null; message: string | null; disposition: PresentedDisposition | null }

class BulkFailed extends Error {
  readonly results: BulkItemResult[];
  constructor(results: BulkItemResult[]) { super('bulk change failed'); this.results = results; }
}

export async function changeDispositionsInBulk(ctx: Ctx, input: BulkInput): Promise<BulkItemResult[]> {
  authorizeBulk(input.access, input.change);
  const audience = audienceOf(input.access);
  try {
    return await transact(ctx, async (tx, emit) => {
      const results: BulkItemResult[] = [];
      for (const item of input.items) {
        try {
          const after = await applyChange(tx, emit, { access: input.access, documentId: input.documentId, commentId: item.commentId, expectedVersion: item.expectedVersion, change: input.change });
          results.push({ commentId: item.commentId, status: 200, code: null, message: null, disposition: presentDisposition(after, { commentId: after.commentId, documentId: after.documentId }, audience) });
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          results.push({ commentId: item.commentId, status: err.status, code: err.code, message: err.message, disposition: (err.details?.current as PresentedDisposition | undefined) ?? null });
        }
      }
      // Throwing rolls back every item, and transact() drops the events of a rolled-back transaction.
      if (results.some((r) => r.status !== 200)) throw new BulkFailed(results);
      return results;
    });
  } catch (err) {
    if (!(err instanceof BulkFailed)) throw err;
    const results = err.results.map((r) => (r.status === 200
      ? { ...r, status: 424, code: 'not_applied', message: 'Not applied, because another comment of the selection failed.', disposition: null }
      : r));
    const failed = results.filter((r) => r.status !== 424);
    // One status for the whole answer: a conflict if any item conflicts, else the first failure's.
    const status = failed.some((r) => r.status === 409) ? 409 : failed[0]!.status;
    throw new AppError('bulk_not_applied', status, `${failed.length} of ${results.length} comments could not be changed, so none was; see results.`, { ok: false, results });
  }
}
