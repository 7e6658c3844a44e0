// Who may do what with comments (after authentication and the group's membership scope).
import { definePolicy } from '../../lib/policy.ts';

export const WRITE_DENIED = 'Observers read the comments; only participants, editors and conveners write them.';

export type CommentAction = 'comments.read' | 'comments.create' | 'comments.replyAnyTime';

export const commentPolicy = definePolicy<CommentAction>({
  allowed: {
    'comments.read': ['CONVENER', 'EDITOR', 'PARTICIPANT', 'OBSERVER'],
    // Observers read, never write.
    'comments.create': ['CONVENER', 'EDITOR', 'PARTICIPANT'],
    // Conveners answer commenters in threads after the deadline (adjudication in consultation).
    'comments.replyAnyTime': ['CONVENER'],
  },
  denied: { 'comments.create': WRITE_DENIED },
});
