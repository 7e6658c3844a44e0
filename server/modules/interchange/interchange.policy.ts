// Who may bring comments in from the comment template. Conveners import for any member body, and
// after the deadline only they may (recorded on the import). The operator runs the server and is
// not a party to the group's consultation, so it may not submit comments in anyone's name. A
// liaison contact importing for its own organisation is a further row of this table, with the
// organisation fixed by who they are (CommentImport.importedAs / organisation).
import { definePolicy } from '../../lib/policy.ts';

export type InterchangeAction = 'comments.importTemplate' | 'comments.importTemplateLate';

export const interchangePolicy = definePolicy<InterchangeAction>({
  allowed: {
    'comments.importTemplate': ['CONVENER'],
    'comments.importTemplateLate': ['CONVENER'],
  },
  operatorMay: [],
  denied: {
    'comments.importTemplate': 'Only the conveners import comments from the comment template.',
    'comments.importTemplateLate': 'The comment period has closed: only the conveners may import comments now.',
  },
});
