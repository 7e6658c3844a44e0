// A work item's lifecycle as ITU-T runs it (WTSA Res. 1, Rec. A.8): a new work item is developed,
// then determined (TAP) or consented (AAP), or agreed when it is not normative; a determined or
// consented text goes to its consultation (Member States for TAP, the last call for AAP) and is
// approved, or goes back to work. Withdrawn and deferred are possible from any open state.
// Pure, so the whole table is tested without a database.
import type { ApprovalProcess, WorkItemStatus } from '../../generated/prisma/client.ts';

const OPEN_EXITS: readonly WorkItemStatus[] = ['WITHDRAWN', 'DEFERRED'];

const NEXT: Record<WorkItemStatus, readonly WorkItemStatus[]> = {
  NEW_WORK_ITEM: ['IN_PROGRESS', ...OPEN_EXITS],
  IN_PROGRESS: ['DETERMINED', 'CONSENTED', 'AGREED', ...OPEN_EXITS],
  DETERMINED: ['CONSULTATION', 'IN_PROGRESS', ...OPEN_EXITS],
  CONSENTED: ['CONSULTATION', 'IN_PROGRESS', ...OPEN_EXITS],
  // A consultation that fails its threshold sends the text back to work.
  CONSULTATION: ['APPROVED', 'IN_PROGRESS', ...OPEN_EXITS],
  DEFERRED: ['IN_PROGRESS', 'WITHDRAWN'],
  APPROVED: [],
  AGREED: [],
  WITHDRAWN: [],
};

/** Which process each milestone status belongs to: a TAP text is determined, never consented. */
const PROCESS_ONLY: Partial<Record<WorkItemStatus, ApprovalProcess>> = {
  DETERMINED: 'TAP',
  CONSENTED: 'AAP',
  AGREED: 'AGREEMENT',
};

export const FINAL_STATUSES: readonly WorkItemStatus[] = ['APPROVED', 'AGREED', 'WITHDRAWN'];

export type TransitionCheck = { ok: true } | { ok: false; reason: 'final' | 'not_next' | 'wrong_process'; allowed: WorkItemStatus[] };

/** The statuses a work item may move to next. */
export function nextStatuses(from: WorkItemStatus, process: ApprovalProcess): WorkItemStatus[] {
  return NEXT[from].filter((to) => {
    const only = PROCESS_ONLY[to];
    // Agreement texts are not approved: they skip consultation and approval.
    if (process === 'AGREEMENT' && (to === 'CONSULTATION' || to === 'APPROVED')) return false;
    return only === undefined || only === process;
  });
}

export function checkTransition(from: WorkItemStatus, to: WorkItemStatus, process: ApprovalProcess): TransitionCheck {
  const allowed = nextStatuses(from, process);
  if (allowed.includes(to)) return { ok: true };
  if (FINAL_STATUSES.includes(from)) return { ok: false, reason: 'final', allowed };
  const only = PROCESS_ONLY[to];
  if (only && only !== process && NEXT[from].includes(to)) return { ok: false, reason: 'wrong_process', allowed };
  return { ok: false, reason: 'not_next', allowed };
}
