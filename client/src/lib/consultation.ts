// Where a disposition stands in the consultation with its commenter (seed 000: "resolved by the
// conveners in consultation with the commenters"), and how the board's keys map to commands.
// Pure, so both are tested without a browser.
export type Consultation = 'none' | 'awaiting' | 'agreed' | 'objected' | 'silent';

interface DispositionLike {
  status: string;
  respondBy: string | null;
  response: { kind: string } | null;
}

/** none: not proposed yet; awaiting: the commenter may still answer; silent: the deadline passed unanswered. */
export function consultationOf(d: DispositionLike, now: number): Consultation {
  if (d.response) return d.response.kind === 'object' ? 'objected' : 'agreed';
  if (d.status === 'proposed') return d.respondBy && Date.parse(d.respondBy) <= now ? 'silent' : 'awaiting';
  if (d.status === 'final') return 'silent';
  return 'none';
}

export type BoardCommand = 'next' | 'previous' | 'first' | 'last' | 'select' | 'decide' | 'finalise' | 'filters' | 'help' | 'back';

/** Keys that are someone typing, not a command: text fields, lists, radios (arrow keys move between them). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'button', 'submit', 'reset'].includes(target.type);
}

/**
 * The board's command for a key press, or null. Escape works everywhere; letters outside text
 * fields; arrows, Home, End and Enter only on a comment of the list (elsewhere they keep their
 * usual meaning: scrolling, pressing a button).
 */
export function boardCommand(
  key: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean },
  where: { typing: boolean; onRow: boolean },
): BoardCommand | null {
  if (key.ctrlKey || key.metaKey || key.altKey) return null;
  if (key.key === 'Escape') return 'back';
  if (where.typing) return null;
  switch (key.key) {
    case 'j':
      return 'next';
    case 'k':
      return 'previous';
    case 'x':
      return 'select';
    case 'd':
      return 'decide';
    case 'f':
      return 'finalise';
    case '/':
      return 'filters';
    case '?':
      return 'help';
  }
  if (!where.onRow) return null;
  switch (key.key) {
    case 'ArrowDown':
      return 'next';
    case 'ArrowUp':
      return 'previous';
    case 'Home':
      return 'first';
    case 'End':
      return 'last';
    case 'Enter':
      return 'decide';
    default:
      return null;
  }
}
