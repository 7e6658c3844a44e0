// Where the dispositions (issue 4) plug into the document view:
//  - CommentDispositionSlot: under each top-level comment (its proposed or final disposition,
//    the commenter's agree/object answer) — not filled yet: the disposition of comments table
//    and "awaiting my response" carry it for now;
//  - DocumentToolsSlot: beside the revision tools: the adjudication board (conveners, editors),
//    the disposition of comments (members), the final report once published.
import '../../i18n/adjudication/index.ts';
import { Link } from 'wouter';
import type { Comment, Document } from '../../api/document-endpoints.ts';
import type { Group } from '../../api/endpoints.ts';
import { useI18n } from '../../i18n/index.tsx';

export function CommentDispositionSlot(_props: { group: Group; document: Document; comment: Comment }) {
  return null;
}

export function DocumentToolsSlot({ group, document }: { group: Group; document: Document }) {
  const { t } = useI18n();
  const base = `/groups/${group.slug}/documents/${document.id}`;
  const staff = group.myRole === 'convener' || group.myRole === 'editor';
  return (
    <ul className="link-row adjudication-tools">
      {staff ? <li><Link href={`${base}/adjudication`}>{t('adj.tools.board')}</Link></li> : null}
      <li><Link href={`${base}/dispositions`}>{t('adj.tools.table')}</Link></li>
      {document.state === 'published' ? <li><Link href={`${base}/final-report`}>{t('adj.tools.finalReport')}</Link></li> : null}
    </ul>
  );
}
