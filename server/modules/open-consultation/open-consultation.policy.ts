// Who in the group may do what with the outside participation of a comment period (the public
// and liaison bodies). What an outside person may do is not a role: it is the period's openness,
// judged in consultation-access.ts.
import { definePolicy } from '../../lib/policy.ts';

export type OutsideAction =
  | 'outside.configure'
  | 'outside.readQueue'
  | 'outside.moderate'
  | 'outside.analyse'
  | 'outside.anonymise'
  | 'liaisons.read'
  | 'liaisons.manage';

export const outsidePolicy = definePolicy<OutsideAction>({
  allowed: {
    // Opening a period to others, and its questions, is part of running the period.
    'outside.configure': ['CONVENER'],
    // Moderators see the unpublished comments and the respondents' addresses.
    'outside.readQueue': ['CONVENER'],
    'outside.moderate': ['CONVENER'],
    // Counts, tallies and the responses CSV (names only of those who agreed to publication).
    'outside.analyse': ['CONVENER', 'EDITOR'],
    'outside.anonymise': ['CONVENER'],
    // A liaison's state is shown on the document to every member.
    'liaisons.read': ['CONVENER', 'EDITOR', 'PARTICIPANT', 'OBSERVER'],
    'liaisons.manage': ['CONVENER'],
  },
  // The operator supports groups (reads, sets up, handles data-protection requests) but does not
  // judge what a group publishes: moderation is the conveners' word.
  operatorMay: ['outside.configure', 'outside.readQueue', 'outside.analyse', 'outside.anonymise', 'liaisons.read', 'liaisons.manage'],
  denied: {
    'outside.readQueue': 'Only the conveners moderate outside comments.',
    'outside.moderate': 'Only the conveners moderate outside comments.',
    'outside.configure': 'Only the conveners decide who may comment in a period.',
    'liaisons.manage': 'Only the conveners send liaison statements.',
  },
});
