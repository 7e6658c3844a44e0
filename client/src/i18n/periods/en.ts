// English strings of the comment-period screen (screens/document/periods.tsx), loaded with it.
// Every key must exist in fr.ts (the type enforces it); ar.ts may leave keys out.
import type { Message } from '../en.ts';

export const periodsEn = {
  'periods.title': 'Comment periods',
  'periods.intro': 'Each comment period of this document, with its deadline and every extension and the reason given for it.',
  'periods.introManage':
    'Open a comment period on a revision, extend the open one, close it now, or reopen a closed one. Type times as the group reads them ({zone}); each is shown back in your zone with UTC beside it. Every change is recorded and announced to the group.',
  'periods.none': 'No comment period has been opened on this document yet.',
  'periods.noRevision': 'Post a revision first: a comment period is opened on a revision.',
  'periods.phase.upcoming': 'Not open yet',
  'periods.phase.open': 'Open',
  'periods.phase.closed': 'Closed',
  'periods.history': 'Changes to the deadline',
  'periods.extendedBy': 'Extended by {name} to',
  'periods.reopenedBy': 'Reopened by {name} until',
  'periods.closedBy': 'Closed early by {name} at',
  'periods.someone': 'a former member',
  'periods.before': 'previously',
  'periods.inZone': 'In the group’s time zone, {zone}.',
  'periods.means': 'That is',
  'periods.openTitle': 'Open a comment period',
  'periods.opensAt': 'Comments open',
  'periods.closesAt': 'Deadline: comments close',
  'periods.open': 'Open the comment period',
  'periods.opened': 'Comments are open on revision {sequence} until {deadline}.',
  'periods.extendTitle': 'Extend the deadline',
  'periods.newDeadline': 'New deadline',
  'periods.reason': 'Reason',
  'periods.extendReasonHint': 'Sent to the group with the new deadline.',
  'periods.extend': 'Extend the deadline',
  'periods.extended': 'The deadline is now {deadline}.',
  'periods.reopenToggle': 'Reopen for comments…',
  'periods.reopenTitle': 'Reopen for comments',
  'periods.reopenHint': 'Comments on this revision closed at the deadline. A new deadline reopens this period until then; the group is told, with your reason.',
  'periods.reopen': 'Reopen until the new deadline',
  'periods.reopened': 'Comments are open again until {deadline}.',
  'periods.closeTitle': 'Close comments now',
  'periods.closeHint': 'Nobody can comment after this, unless the deadline is extended again.',
  'periods.closeUpcomingHint': 'The period has not opened yet: closing it now means nobody can comment in it.',
  'periods.close': 'Close comments now',
  'periods.closeConfirm': 'Close this comment period now? Participants can no longer comment.',
  'periods.closed': 'The comment period is closed.',
} satisfies Record<string, Message>;

export type PeriodMessageKey = keyof typeof periodsEn;
export type PeriodMessages = Record<PeriodMessageKey, Message>;
