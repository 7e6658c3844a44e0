// Where the dispositions (issue 4, another branch) plug into the document view, so that work
// adds components here rather than reshaping the screen:
//  - CommentDispositionSlot: under each top-level comment (its proposed or final disposition,
//    the commenter's agree/object answer);
//  - DocumentToolsSlot: beside the revision tools (the adjudication board, the disposition table).
// Both render nothing until then.
import type { Comment, Document } from '../../api/document-endpoints.ts';
import type { Group } from '../../api/endpoints.ts';

export function CommentDispositionSlot(_props: { group: Group; document: Document; comment: Comment }) {
  return null;
}

export function DocumentToolsSlot(_props: { group: Group; document: Document }) {
  return null;
}
