// English strings of the group home's calendar subscription. Every key must exist in fr.ts
// beside it (the type enforces it); ar.ts may leave keys out (English is the fallback).
import type { Message } from '../en.ts';

export const calendarEn = {
  'cal.title': 'Calendar subscription',
  'cal.intro': 'Follow this timeframe in Outlook, Google Calendar or Apple Calendar: every milestone and deadline, kept current when the conveners move one.',
  'cal.subscribe': 'Subscribe to the timeframe calendar',
  'cal.working': 'Preparing your link…',
  'cal.urlLabel': 'Your subscription link',
  'cal.urlHint': 'Paste it into your calendar app as a calendar from the web (subscribe by URL).',
  'cal.copy': 'Copy link',
  'cal.copied': 'Link copied.',
  'cal.copyFailed': 'Your browser did not let Convene copy: the link is selected, press Ctrl+C (⌘C on a Mac) to copy it.',
  'cal.openApp': 'Open in my calendar app',
  'cal.personal':
    'This link is personal: anyone who has it can see this group’s timeframe without signing in. Do not share it. If it leaks, reset it: the old link stops working at once.',
  'cal.shownOnce': 'The link is shown only now: Convene keeps no copy of it.',
  'cal.howTo': 'Outlook: Add calendar › Subscribe from web. Google Calendar: Other calendars › From URL. Apple Calendar: File › New Calendar Subscription.',
  'cal.existing': 'You have a subscription link, issued {date}. It was shown only once; to see a link again, reset it (the old one stops working).',
  'cal.reset': 'Reset link',
  'cal.resetConfirm': 'Reset your calendar link? The current link stops working; you then paste the new one into your calendar app.',
  'cal.revoke': 'Stop the subscription',
  'cal.revokeConfirm': 'Stop your calendar subscription? The link stops working and your calendar app no longer receives this timeframe.',
  'cal.ready': 'Your calendar subscription link is ready.',
  'cal.resetDone': 'A new link is ready; the old one no longer works.',
  'cal.revoked': 'Subscription stopped: the link no longer works.',
} satisfies Record<string, Message>;

export type CalendarMessageKey = keyof typeof calendarEn;
export type CalendarMessages = Record<CalendarMessageKey, Message>;
