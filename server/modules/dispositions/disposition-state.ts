// The life of a disposition, as a pure state machine (no database), so every transition rule
// lives in one place and is tested on its own:
//
//   undecided ──draft (editor)──▶ draft ──confirm (convener)──▶ proposed ──finalise──▶ final
//       │                           │                              ▲  │
//       └────────propose (convener)─┴──────────────────────────────┘  └─respond (commenter)
//
// A comment without a Disposition row is `undecided` at version 0. A proposal may be revised
// while it is proposed (the commenter's earlier answer is then cleared: they answer the new
// proposal); a final disposition never changes again except to name the revision that
// implements it.
import { AppError } from '../../lib/app-error.ts';

export type Status = 'undecided' | 'draft' | 'proposed' | 'final';
export type Code = 'accepted' | 'accepted_with_modification' | 'rejected' | 'noted' | 'deferred';
export const CODES: readonly Code[] = ['accepted', 'accepted_with_modification', 'rejected', 'noted', 'deferred'];

export type Transition = 'draft' | 'propose' | 'confirm' | 'respond' | 'finalise' | 'assign' | 'set_deadline' | 'implement';

export interface StateView {
  status: Status;
  code: Code | null;
  /** The commenter has answered the current proposal. */
  responded: boolean;
  /** The response deadline has passed (database clock); false when none is set. */
  deadlinePassed: boolean;
  hasDeadline: boolean;
}

/** The status after `transition`, or the 409 that explains why it cannot happen now. */
export function nextStatus(state: StateView, transition: Transition): Status {
  const { status } = state;
  switch (transition) {
    case 'draft':
      if (status === 'undecided' || status === 'draft') return 'draft';
      throw status === 'final'
        ? finalError()
        : AppError.conflict(
            'disposition_already_proposed',
            'A convener has already proposed a disposition for this comment; an editor can no longer draft one.',
          );
    case 'propose':
      if (status === 'final') throw finalError();
      return 'proposed';
    case 'confirm':
      if (status === 'draft') return 'proposed';
      throw AppError.conflict('no_draft_to_confirm', `There is no editor's draft to confirm: the disposition is ${status}.`);
    case 'respond':
      if (status === 'proposed') {
        if (state.deadlinePassed)
          throw AppError.conflict('response_deadline_passed', 'The deadline for responding to this disposition has passed; nothing was stored.');
        return 'proposed';
      }
      throw status === 'final'
        ? AppError.conflict('disposition_final', 'The conveners have already finalised this disposition; a response is no longer taken.')
        : AppError.conflict('disposition_not_proposed', 'There is no proposed disposition to respond to yet.');
    case 'finalise':
      if (status === 'final') throw finalError();
      if (status !== 'proposed')
        throw AppError.conflict('disposition_not_proposed', 'Only a proposed disposition can be finalised; propose it to the commenter first.');
      // Consultation (seed 000): the commenter keeps the time the conveners gave them.
      if (state.hasDeadline && !state.deadlinePassed && !state.responded) {
        throw AppError.conflict(
          'response_window_open',
          'The commenter may still respond to this proposal; finalise after they respond or after the response deadline.',
        );
      }
      return 'final';
    case 'assign':
      if (status === 'final') throw finalError();
      return status;
    case 'set_deadline':
      if (status === 'proposed') return status;
      throw status === 'final'
        ? finalError()
        : AppError.conflict('disposition_not_proposed', 'A response deadline applies to a proposed disposition; propose it first.');
    case 'implement':
      if ((status === 'proposed' || status === 'final') && (state.code === 'accepted' || state.code === 'accepted_with_modification')) return status;
      throw AppError.conflict('nothing_to_implement', 'Only an accepted disposition (proposed or final) is implemented in a revision.');
  }
}

const finalError = () => AppError.conflict('disposition_final', 'This disposition is final and can no longer be changed.');

/** The rationale rule: every decision but a plain acceptance says why. */
export function checkRationale(code: Code, rationale: string): void {
  if (code !== 'accepted' && rationale.trim() === '') {
    throw AppError.badRequest('rationale_required', `A disposition "${code}" needs a rationale: say why.`, { field: 'body.rationale', disposition: code });
  }
}

/** Counts for "112 of 140 decided": a decision exists once it is proposed to the commenter. */
export function progressOf(statuses: Iterable<Status>): { total: number; decided: number; final: number; text: string } {
  let total = 0;
  let decided = 0;
  let final = 0;
  for (const s of statuses) {
    total += 1;
    if (s === 'proposed' || s === 'final') decided += 1;
    if (s === 'final') final += 1;
  }
  return { total, decided, final, text: `${decided} of ${total} decided, ${final} final` };
}
