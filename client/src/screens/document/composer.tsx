// The comment composer of one clause (or of the document as a whole): type, body, proposed
// change and the quoted words (filled by selecting text in the clause). What is typed lives in
// localStorage until the server accepts it, so an error, a reload or a live update loses nothing;
// after the deadline a form being written stays visible, disabled, with the reason (nothing typed
// is lost); otherwise the clause says in words that comments are closed (no disabled button: it
// looks live and its reason cannot be reached by keyboard). Opening the form takes the focus to
// its first field.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { docsApi, type Comment } from '../../api/document-endpoints.ts';
import { ApiError } from '../../api/http.ts';
import { errorMessage, fieldError } from '../../components/errors.tsx';
import { Field } from '../../components/field.tsx';
import { useAnnounce } from '../../components/announcer.tsx';
import { useI18n, type I18n } from '../../i18n/index.tsx';
import { useDraft } from '../../lib/drafts.ts';
import { COMMENT_TYPES, commentTypeLabel, type CommentType } from './labels.ts';

interface Draft {
  open: boolean;
  type: CommentType;
  body: string;
  proposedChange: string;
  quotedText: string;
}
const EMPTY: Draft = { open: false, type: 'technical', body: '', proposedChange: '', quotedText: '' };
const isEmpty = (d: Draft) => !d.open && !d.body && !d.proposedChange && !d.quotedText;

/** Errors the server names by code rather than by field, put next to the field they concern. */
const CODE_FIELDS: Record<string, string> = { quote_not_in_clause: 'quotedText', comment_too_long: 'body' };
export function errorFor(error: unknown, field: string, t: I18n['t']): string | undefined {
  if (error instanceof ApiError && CODE_FIELDS[error.code] === field) return errorMessage(error, t);
  return fieldError(error, field, t);
}
const FIELDS = ['type', 'body', 'proposedChange', 'quotedText'];
export const isFieldError = (error: unknown) =>
  error instanceof ApiError && (CODE_FIELDS[error.code] !== undefined || FIELDS.some((f) => error.field?.replace(/^body\./, '') === f));

export interface ComposerProps {
  slug: string;
  documentId: string;
  sequence: number;
  clauseId: string | null;
  /** "clause 7.1" or "the document as a whole", for the button and the announcement. */
  target: string;
  /** Why comments cannot be posted now; null while the period is open. */
  closed: string | null;
  /** Words selected in the clause; a new nonce fills the quote field again. */
  quote?: { text: string; nonce: number } | undefined;
  onPosted: (comment: Comment) => void;
  /** The server said the period is over: the view reloads the periods. */
  onClosed: () => void;
}

export function Composer({ slug, documentId, sequence, clauseId, target, closed, quote, onPosted, onClosed }: ComposerProps) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const id = useId();
  const [draft, setDraft, clearDraft] = useDraft<Draft>(`${documentId}.${sequence}.${clauseId ?? 'document'}`, EMPTY, isEmpty);
  const [error, setError] = useState<unknown>(null);
  const [sending, setSending] = useState(false);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const form = useRef<HTMLFormElement>(null);
  // Set when the reader opens the form (not when a draft reopens it after a reload).
  const [focusFirst, setFocusFirst] = useState(false);
  const openForm = () => {
    set({ open: true });
    setFocusFirst(true);
  };

  useEffect(() => {
    if (!quote) return;
    setDraft((d) => ({ ...d, open: true, quotedText: quote.text }));
    setFocusFirst(true);
  }, [quote, setDraft]);
  useEffect(() => {
    if (!focusFirst || !draft.open) return;
    setFocusFirst(false);
    // The first field: the chosen type (the radio group's one Tab stop).
    form.current?.querySelector<HTMLElement>('input:checked, input, textarea')?.focus();
  }, [focusFirst, draft.open]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (closed || sending) return;
    setSending(true);
    setError(null);
    try {
      const comment = await docsApi.createComment(slug, documentId, sequence, {
        clauseId,
        type: draft.type,
        body: draft.body,
        proposedChange: draft.proposedChange,
        quotedText: draft.quotedText.trim() ? draft.quotedText : null,
      });
      clearDraft();
      onPosted(comment);
      announce(t('composer.posted', { target }));
    } catch (caught) {
      setError(caught);
      if (caught instanceof ApiError && caught.code === 'comment_period_closed') onClosed();
    } finally {
      setSending(false);
    }
  };

  const formError = error && !isFieldError(error) ? errorMessage(error, t) : null;
  if (!draft.open) {
    // Why comments are closed is said once, at the top of the document (PeriodStatus).
    return closed ? (
      <p className="hint clause-closed" data-testid="clause-closed">
        {t('composer.closedFor', { target })}
      </p>
    ) : (
      <div className="composer-toggle">
        <button type="button" className="secondary" onClick={() => openForm()}>
          {t('composer.open', { target })}
        </button>
      </div>
    );
  }
  return (
    <form ref={form} className="composer" onSubmit={submit} aria-label={t('composer.label', { target })} data-testid={`composer-${clauseId ?? 'document'}`}>
      {closed ? (
        <p className="notice composer-closed" role="status" data-testid="composer-closed">
          {closed}
        </p>
      ) : null}
      <fieldset disabled={!!closed} className="composer-fields">
        <fieldset className="type-choice">
          <legend>{t('composer.type')}</legend>
          {COMMENT_TYPES.map((type) => (
            <label key={type} className="radio">
              <input type="radio" name={`${id}-type`} value={type} checked={draft.type === type} onChange={() => set({ type })} />
              {commentTypeLabel(t, type)}
            </label>
          ))}
        </fieldset>
        <Field label={t('composer.body')} hint={t('composer.bodyHint')} error={errorFor(error, 'body', t)}>
          {(props) => <textarea {...props} name="body" rows={4} required value={draft.body} onChange={(e) => set({ body: e.target.value })} />}
        </Field>
        <Field label={t('composer.proposedChange')} hint={t('composer.proposedChangeHint')} error={errorFor(error, 'proposedChange', t)}>
          {(props) => (
            <textarea {...props} name="proposedChange" rows={3} value={draft.proposedChange} onChange={(e) => set({ proposedChange: e.target.value })} />
          )}
        </Field>
        {clauseId ? (
          <Field label={t('composer.quote')} hint={t('composer.quoteHint')} error={errorFor(error, 'quotedText', t)}>
            {(props) => <textarea {...props} name="quotedText" rows={2} value={draft.quotedText} onChange={(e) => set({ quotedText: e.target.value })} />}
          </Field>
        ) : null}
        <div className="actions">
          <button type="submit" disabled={sending}>
            {sending ? t('composer.posting') : t('composer.post')}
          </button>
          <button type="button" className="secondary" onClick={() => set({ open: false })}>
            {t('composer.hide')}
          </button>
          {draft.body || draft.proposedChange ? <span className="hint">{t('composer.draftKept')}</span> : null}
        </div>
      </fieldset>
      {formError ? (
        <p className="error" role="alert" data-testid="composer-error">
          {formError}
        </p>
      ) : null}
    </form>
  );
}
