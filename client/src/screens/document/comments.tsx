// A clause's comments and their threads: each comment with its author (name and affiliation,
// never an address), type, quote, body, proposed change; replies below it; reply, edit and
// withdraw for those allowed. Every API error is shown beside the form or button that caused it.
import { memo, useEffect, useRef, useState, type FormEvent, type MouseEvent } from 'react';
import { docsApi, type Comment, type Document } from '../../api/document-endpoints.ts';
import type { Group } from '../../api/endpoints.ts';
import { useAnnounce } from '../../components/announcer.tsx';
import { errorMessage } from '../../components/errors.tsx';
import { Field } from '../../components/field.tsx';
import { instantText } from '../../components/instant.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { readDraft, useDraft } from '../../lib/drafts.ts';
import { errorFor, isFieldError } from './composer.tsx';
import { COMMENT_TYPES, commentTypeLabel, type CommentType } from './labels.ts';
import { commentDispositionSlot } from './slots.tsx';

export interface ThreadContext {
  group: Group;
  document: Document;
  slug: string;
  meId: string;
  /** The period is open (authors may edit, withdraw, reply). */
  open: boolean;
  /** May write at all (not an observer). */
  canWrite: boolean;
  /** Conveners reply at any time. */
  canReplyAnyTime: boolean;
  /** Comments that arrived live since the page loaded (marked "new"). */
  fresh: ReadonlySet<string>;
  onChanged: (comment: Comment) => void;
  /** The comment's number in its document (its permanent link is #comment-<number>). */
  numberOf: (commentId: string) => number;
  /** Follows a link within the view (lands on it and focuses it) instead of loading the page again. */
  followLink: (event: MouseEvent<HTMLAnchorElement>) => void;
}

export function CommentList({ comments, replies, ctx }: { comments: Comment[]; replies: Map<string, Comment[]>; ctx: ThreadContext }) {
  const { t } = useI18n();
  if (comments.length === 0) return <p className="hint">{t('comment.none')}</p>;
  return (
    <ol className="comment-list">
      {comments.map((c) => (
        <ThreadItem key={c.id} comment={c} replies={replies.get(c.id) ?? NO_REPLIES} ctx={ctx} />
      ))}
    </ol>
  );
}

type ThreadProps = { comment: Comment; replies: Comment[]; ctx: ThreadContext };
const NO_REPLIES: Comment[] = [];

// A live comment, an edit or a refetch renders again only the threads it changed, not the
// hundreds of others (a document view's whole set takes a few hundred milliseconds to render).
// The markup is kept lean on purpose: a document view renders hundreds of these at once, and
// every element and component in a card is paid for that many times before the view is on screen.
const ThreadItem = memo(function ThreadItem({ comment, replies, ctx }: ThreadProps) {
  const { t } = useI18n();
  const mayReply = ctx.canWrite && (ctx.open || ctx.canReplyAnyTime) && comment.status === 'open';
  // Every open thread has a reply box, closed (a button) unless a reply is being written: its form
  // and draft state are only built when opened. A half-written reply opens it again (a reload).
  // 'restored': reopened with its draft after a reload (the focus stays where it is); 'opened': by
  // the reader, who is taken to its field.
  const [replying, setReplying] = useState<false | 'restored' | 'opened'>(() =>
    readDraft(replyDraftKey(ctx, comment), { body: '' }).body !== '' ? 'restored' : false,
  );
  return (
    <li className="thread">
      <CommentCard comment={comment} ctx={ctx} onReply={mayReply && !replying ? () => setReplying('opened') : undefined} />
      {commentDispositionSlot(ctx.group, ctx.document, comment)}
      {replies.length ? (
        <ol className="reply-list" aria-label={t('comment.repliesTo', { name: comment.author.name })}>
          {replies.map((r) => (
            <li key={r.id}>
              <CommentCard comment={r} ctx={ctx} />
            </li>
          ))}
        </ol>
      ) : null}
      {mayReply && replying ? <OpenReplyForm parent={comment} ctx={ctx} focus={replying === 'opened'} onClose={() => setReplying(false)} /> : null}
    </li>
  );
}, sameThread);

/** Same comment and replies (by identity), same context; of `fresh`, only whether these are in it. */
function sameThread(a: ThreadProps, b: ThreadProps): boolean {
  if (a.comment !== b.comment || a.replies.length !== b.replies.length || a.replies.some((r, i) => r !== b.replies[i])) return false;
  if (a.ctx === b.ctx) return true;
  const keys = Object.keys(a.ctx) as (keyof ThreadContext)[];
  if (keys.some((k) => k !== 'fresh' && a.ctx[k] !== b.ctx[k])) return false;
  return [a.comment, ...a.replies].every((c) => a.ctx.fresh.has(c.id) === b.ctx.fresh.has(c.id));
}

function CommentCard({ comment: c, ctx, onReply }: { comment: Comment; ctx: ThreadContext; onReply?: (() => void) | undefined }) {
  const { t, locale } = useI18n();
  const announce = useAnnounce();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const mine = c.author.id === ctx.meId;
  const withdrawn = c.status === 'withdrawn';
  const fresh = ctx.fresh.has(c.id);
  const mayChange = mine && ctx.open && !withdrawn;
  const number = ctx.numberOf(c.id);

  const withdraw = async () => {
    if (!window.confirm(t('comment.withdrawConfirm'))) return;
    setError(null);
    try {
      ctx.onChanged(await docsApi.withdrawComment(ctx.slug, ctx.document.id, c.id));
      announce(t('comment.withdrawn'));
    } catch (caught) {
      setError(caught);
    }
  };

  // The affiliation's " · " and the spacing are CSS (styles.css: .comment-meta); the time is the
  // bare <time> (no wrappers: the viewer's zone only, as everywhere in a comment).
  return (
    <article
      className={`comment${withdrawn ? ' is-withdrawn' : ''}${fresh ? ' is-fresh' : ''}`}
      data-testid="comment"
      data-comment-id={c.id}
      id={`comment-${number}`}
      data-number={number}
      tabIndex={-1}
    >
      <p className="comment-meta">
        <a
          className="comment-number"
          href={`/groups/${ctx.slug}/documents/${ctx.document.id}/revisions/${c.revision}#comment-${number}`}
          aria-label={t('comment.permalink', { number })}
          onClick={ctx.followLink}
        >
          #{number}
        </a>
        <bdi className="comment-author">{c.author.name}</bdi>
        {c.author.affiliation ? <bdi className="comment-affiliation">{c.author.affiliation}</bdi> : null}
        {c.type ? <span className={`badge type-${c.type}`}>{commentTypeLabel(t, c.type)}</span> : null}
        {withdrawn ? <span className="badge">{t('comment.withdrawnBadge')}</span> : null}
        {fresh ? <span className="badge fresh">{t('comment.new')}</span> : null}
        <time className="comment-time" dateTime={c.createdAt}>
          {instantText(t, locale, c.createdAt)}
          {c.version > 1 ? ` · ${t('comment.edited')}` : ''}
        </time>
      </p>
      {editing ? (
        <EditForm comment={c} ctx={ctx} onDone={() => setEditing(false)} />
      ) : (
        <>
          {c.quotedText ? (
            <blockquote className="comment-quote">
              <span className="visually-hidden">{t('comment.quoting')} </span>
              <bdi>{c.quotedText}</bdi>
            </blockquote>
          ) : null}
          {/* bodyHtml is sanitized by the server (comments.presenter.ts). */}
          <div className="comment-body" dir="auto" dangerouslySetInnerHTML={{ __html: c.bodyHtml }} />
          {c.proposedChange ? (
            <p className="proposed-change">
              <strong>{t('comment.proposedChange')}</strong> <bdi>{c.proposedChange}</bdi>
            </p>
          ) : null}
          {onReply ? (
            <button type="button" className="link-button comment-action" onClick={onReply}>
              {t('comment.reply')}
            </button>
          ) : null}
          {mayChange ? (
            <>
              <button type="button" className="link-button comment-action" onClick={() => setEditing(true)}>
                {t('comment.edit')}
              </button>
              <button type="button" className="link-button comment-action" onClick={() => void withdraw()}>
                {t('comment.withdraw')}
              </button>
            </>
          ) : null}
          {error ? (
            <p className="error" role="alert">
              {errorMessage(error, t)}
            </p>
          ) : null}
        </>
      )}
    </article>
  );
}

const noDraft = (d: { body: string }) => !d.body;

const replyDraftKey = (ctx: ThreadContext, parent: Comment) => `${ctx.document.id}.reply.${parent.id}`;

function OpenReplyForm({ parent, ctx, focus, onClose }: { parent: Comment; ctx: ThreadContext; focus: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const field = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (focus) field.current?.focus();
  }, [focus]);
  const announce = useAnnounce();
  const [draft, setDraft, clear] = useDraft(replyDraftKey(ctx, parent), { body: '' }, noDraft);
  const [error, setError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSending(true);
    setError(null);
    try {
      ctx.onChanged(await docsApi.reply(ctx.slug, ctx.document.id, parent.id, draft.body));
      clear();
      onClose();
      announce(t('comment.replied'));
    } catch (caught) {
      setError(caught);
    } finally {
      setSending(false);
    }
  };
  return (
    <form className="reply-form" onSubmit={submit} aria-label={t('comment.replyTo', { name: parent.author.name })}>
      <Field label={t('comment.replyBody')} error={errorFor(error, 'body', t)}>
        {(props) => <textarea {...props} ref={field} name="reply" rows={2} required value={draft.body} onChange={(e) => setDraft({ body: e.target.value })} />}
      </Field>
      <div className="actions">
        <button type="submit" disabled={sending}>
          {t('comment.sendReply')}
        </button>
        <button type="button" className="secondary" onClick={onClose}>
          {t('composer.hide')}
        </button>
      </div>
      {error && !isFieldError(error) ? (
        <p className="error" role="alert">
          {errorMessage(error, t)}
        </p>
      ) : null}
    </form>
  );
}

function EditForm({ comment: c, ctx, onDone }: { comment: Comment; ctx: ThreadContext; onDone: () => void }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const isReply = c.parentId !== null;
  const [type, setType] = useState<CommentType>((COMMENT_TYPES as readonly string[]).includes(c.type ?? '') ? (c.type as CommentType) : 'general');
  const [body, setBody] = useState(c.body);
  const [proposedChange, setProposedChange] = useState(c.proposedChange);
  const [quotedText, setQuotedText] = useState(c.quotedText ?? '');
  const [error, setError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSending(true);
    setError(null);
    try {
      const edit = isReply
        ? { version: c.version, body }
        : { version: c.version, type, body, proposedChange, quotedText: quotedText.trim() ? quotedText : null };
      ctx.onChanged(await docsApi.editComment(ctx.slug, ctx.document.id, c.id, edit));
      announce(t('comment.saved'));
      onDone();
    } catch (caught) {
      setError(caught);
    } finally {
      setSending(false);
    }
  };
  return (
    <form className="edit-form" onSubmit={submit} aria-label={t('comment.editLabel')}>
      {isReply ? null : (
        <fieldset className="type-choice">
          <legend>{t('composer.type')}</legend>
          {COMMENT_TYPES.map((value) => (
            <label key={value} className="radio">
              <input type="radio" name={`edit-type-${c.id}`} value={value} checked={type === value} onChange={() => setType(value)} />
              {commentTypeLabel(t, value)}
            </label>
          ))}
        </fieldset>
      )}
      <Field label={t('composer.body')} error={errorFor(error, 'body', t)}>
        {(props) => <textarea {...props} name="body" rows={4} required value={body} onChange={(e) => setBody(e.target.value)} />}
      </Field>
      {isReply ? null : (
        <>
          <Field label={t('composer.proposedChange')} error={errorFor(error, 'proposedChange', t)}>
            {(props) => <textarea {...props} name="proposedChange" rows={3} value={proposedChange} onChange={(e) => setProposedChange(e.target.value)} />}
          </Field>
          {c.clauseId ? (
            <Field label={t('composer.quote')} error={errorFor(error, 'quotedText', t)}>
              {(props) => <textarea {...props} name="quotedText" rows={2} value={quotedText} onChange={(e) => setQuotedText(e.target.value)} />}
            </Field>
          ) : null}
        </>
      )}
      <div className="actions">
        <button type="submit" disabled={sending}>
          {t('common.save')}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
      {error && !isFieldError(error) ? (
        <p className="error" role="alert">
          {errorMessage(error, t)}
        </p>
      ) : null}
    </form>
  );
}
