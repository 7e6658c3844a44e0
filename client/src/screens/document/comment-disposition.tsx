// Under each top-level comment of the document view: its disposition once the conveners have
// proposed it to the commenter — what they decided, why, where the consultation stands (awaiting
// the commenter until the deadline, agreed, objected) and whether it is final — and, for the
// comment's author while they may still answer, the agree / object form of "awaiting my
// response". Data: lib/document-dispositions.ts (one request per view, live). What is shown is
// the members' view for everyone (dispositions.policy.ts): never an editor's draft or an assignee.
import '../../i18n/adjudication/index.ts';
import '../adjudication/adjudication.css';
import './comment-disposition.css';
import { useEffect, useId, useState } from 'react';
import type { Disposition } from '../../api/adjudication-endpoints.ts';
import type { Comment } from '../../api/document-endpoints.ts';
import { useAnnounce } from '../../components/announcer.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { consultationOf } from '../../lib/consultation.ts';
import { storeDisposition, useCommentDisposition } from '../../lib/document-dispositions.ts';
import { useSession } from '../../session.tsx';
import { ResponseForm } from '../adjudication/response-form.tsx';
import { ConsultationStatus, DispositionSummary } from '../adjudication/shared.tsx';

export function CommentDisposition({
  slug,
  documentId,
  documentTitle,
  comment,
}: {
  slug: string;
  documentId: string;
  documentTitle: string;
  comment: Comment;
}) {
  // Under every comment of a view, nearly all without a disposition: only the subscription here,
  // the rest (session, clock, strings) only under those that have one.
  const disposition = useCommentDisposition(slug, documentId, comment.revision, comment.id);
  return disposition ? (
    <DecidedDisposition slug={slug} documentId={documentId} documentTitle={documentTitle} comment={comment} disposition={disposition} />
  ) : null;
}

function DecidedDisposition({
  slug,
  documentId,
  documentTitle,
  comment,
  disposition,
}: {
  slug: string;
  documentId: string;
  documentTitle: string;
  comment: Comment;
  disposition: Disposition;
}) {
  const { t } = useI18n();
  const { user } = useSession();
  const now = useNowAtDeadline(disposition);
  const consultation = consultationOf(disposition, now);
  // A final disposition nobody answered needs no consultation line: the badge says "Final".
  const showConsultation = !(disposition.status === 'final' && !disposition.response);
  const mayAnswer = user?.id === comment.author.id && disposition.status === 'proposed' && consultation === 'awaiting';
  return (
    <div
      className="comment-disposition"
      role="group"
      aria-label={t('adj.comment.label', { name: comment.author.name })}
      data-testid="comment-disposition"
      data-status={disposition.status}
      data-consultation={consultation}
    >
      <DispositionSummary disposition={disposition} />
      {showConsultation ? <ConsultationStatus disposition={disposition} now={now} /> : null}
      {disposition.implementedIn ? (
        <p className="hint">{t('adj.comment.implementedIn', { sequence: disposition.implementedIn.sequence, label: disposition.implementedIn.label })}</p>
      ) : null}
      {mayAnswer ? (
        <AnswerHere
          slug={slug}
          documentId={documentId}
          documentTitle={documentTitle}
          revision={comment.revision}
          commentId={comment.id}
          disposition={disposition}
        />
      ) : null}
    </div>
  );
}

/** The clock for the consultation state: re-read when the response deadline passes, not every second. */
function useNowAtDeadline(disposition: Disposition): number {
  const [now, setNow] = useState(() => Date.now());
  const deadline = disposition.respondBy ? Date.parse(disposition.respondBy) : NaN;
  useEffect(() => {
    if (!(deadline > Date.now())) return;
    const timer = setTimeout(() => setNow(Date.now()), Math.min(deadline - Date.now() + 50, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [deadline]);
  return Math.max(now, Date.now());
}

function AnswerHere({
  slug,
  documentId,
  documentTitle,
  revision,
  commentId,
  disposition,
}: {
  slug: string;
  documentId: string;
  documentTitle: string;
  revision: number;
  commentId: string;
  disposition: Disposition;
}) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const [open, setOpen] = useState(false);
  const formId = useId();
  const store = (d: Disposition) => storeDisposition(slug, documentId, revision, d);
  return (
    <div className="answer-here">
      <button type="button" className="secondary" aria-expanded={open} aria-controls={open ? formId : undefined} onClick={() => setOpen((o) => !o)}>
        {open ? t('adj.comment.hideAnswer') : t('adj.comment.answer')}
      </button>
      {open ? (
        <div id={formId}>
          <ResponseForm
            slug={slug}
            documentId={documentId}
            commentId={commentId}
            disposition={disposition}
            onAnswered={(saved) => {
              store(saved);
              announce(t('adj.awaiting.sent', { document: documentTitle }));
            }}
            onChanged={store}
          />
        </div>
      ) : null}
    </div>
  );
}
