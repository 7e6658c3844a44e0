// Where the dispositions plug into the document view:
//  - commentDispositionSlot: under each top-level comment, its proposed or final disposition and
//    the consultation, with the commenter's agree/object form (comment-disposition.tsx);
//  - DocumentToolsSlot: beside the revision tools: the adjudication board (conveners, editors),
//    the disposition of comments (members), the final report once published, and the comment
//    periods (their history; opening, extending and closing for conveners).
import '../../i18n/adjudication/index.ts';
import '../../i18n/documents/index.ts';
import { Link } from 'wouter';
import type { Comment, Document } from '../../api/document-endpoints.ts';
import type { Group } from '../../api/endpoints.ts';
import { useI18n } from '../../i18n/index.tsx';
import { CommentDisposition } from './comment-disposition.tsx';

/** A function, not a component: one fiber less under each of hundreds of comments. */
export function commentDispositionSlot(group: Group, document: Document, comment: Comment) {
  // Replies are not adjudicated.
  if (comment.parentId !== null) return null;
  return <CommentDisposition slug={group.slug} documentId={document.id} documentTitle={document.title} comment={comment} />;
}

export function DocumentToolsSlot({ group, document }: { group: Group; document: Document }) {
  const { t } = useI18n();
  const base = `/groups/${group.slug}/documents/${document.id}`;
  const staff = group.myRole === 'convener' || group.myRole === 'editor';
  return (
    <ul className="link-row adjudication-tools">
      {staff ? (
        <li>
          <Link href={`${base}/adjudication`}>{t('adj.tools.board')}</Link>
        </li>
      ) : null}
      <li>
        <Link href={`${base}/dispositions`}>{t('adj.tools.table')}</Link>
      </li>
      {document.state === 'published' ? (
        <li>
          <Link href={`${base}/final-report`}>{t('adj.tools.finalReport')}</Link>
        </li>
      ) : null}
      <li>
        <Link href={`${base}/periods`}>{group.abilities['periods.manage'] ? t('periods.tools.manage') : t('periods.tools.history')}</Link>
      </li>
    </ul>
  );
}
