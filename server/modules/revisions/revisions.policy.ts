// Who may do what with documents and their revisions (after authentication and the group's
// membership scope).
import { definePolicy } from '../../lib/policy.ts';

export type RevisionAction = 'documents.read' | 'documents.create' | 'revisions.post';

export const revisionPolicy = definePolicy<RevisionAction>({
  allowed: {
    'documents.read': ['CONVENER', 'EDITOR', 'PARTICIPANT', 'OBSERVER'],
    'documents.create': ['CONVENER', 'EDITOR'],
    // Editors prepare revisions for the conveners; conveners post them too.
    'revisions.post': ['CONVENER', 'EDITOR'],
  },
});
