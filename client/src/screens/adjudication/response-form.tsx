// The commenter's answer to a proposed disposition: agree, or object with the reasons, before
// the deadline. Used by "awaiting my response" and under the comment in the document view.
// A 409 because the conveners re-proposed meanwhile shows the new proposal (through onChanged)
// and keeps what was typed for it; any other error stands beside the form.
import '../../i18n/adjudication/index.ts';
import { useState, type FormEvent } from 'react';
import { adjudicationApi, conflictCurrent, type Disposition, type ResponseKind } from '../../api/adjudication-endpoints.ts';
import { fieldError, FormError } from '../../components/errors.tsx';
import { Field } from '../../components/field.tsx';
import { useI18n } from '../../i18n/index.tsx';

export interface ResponseFormProps {
  slug: string;
  documentId: string;
  commentId: string;
  /** The proposal answered (its version is the expectedVersion sent). */
  disposition: Disposition;
  /** The server recorded the answer: the disposition as it now stands. */
  onAnswered: (saved: Disposition) => void;
  /** The proposal changed meanwhile: the disposition as it now stands, to show above the form. */
  onChanged: (current: Disposition) => void;
}

export function ResponseForm({ slug, documentId, commentId, disposition, onAnswered, onChanged }: ResponseFormProps) {
  const { t } = useI18n();
  const [kind, setKind] = useState<ResponseKind | ''>('');
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [changed, setChanged] = useState(false);
  const [textMissing, setTextMissing] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!kind) return;
    if (kind === 'object' && !text.trim()) {
      setTextMissing(true);
      return;
    }
    setTextMissing(false);
    setError(null);
    setBusy(true);
    try {
      onAnswered(await adjudicationApi.respond(slug, documentId, commentId, disposition.version, kind, text));
    } catch (caught) {
      // Re-proposed meanwhile: the new proposal is shown; the typed answer stays for it.
      const current = conflictCurrent(caught);
      if (current) {
        onChanged(current);
        setChanged(true);
      } else setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="response-form" onSubmit={submit} data-testid="response-form">
      {changed ? (
        <p className="notice" role="alert">
          {t('adj.awaiting.changed')}
        </p>
      ) : null}
      <fieldset className="type-choice">
        <legend>{t('adj.awaiting.answer')}</legend>
        <label className="radio">
          <input type="radio" name={`response-${commentId}`} value="agree" checked={kind === 'agree'} onChange={() => setKind('agree')} />{' '}
          {t('adj.awaiting.agree')}
        </label>
        <label className="radio">
          <input type="radio" name={`response-${commentId}`} value="object" checked={kind === 'object'} onChange={() => setKind('object')} />{' '}
          {t('adj.awaiting.object')}
        </label>
      </fieldset>
      <Field label={t('adj.awaiting.text')} error={textMissing ? t('adj.awaiting.objectTextRequired') : fieldError(error, 'text', t)}>
        {(p) => <textarea {...p} name="text" rows={3} dir="auto" value={text} onChange={(e) => setText(e.target.value)} />}
      </Field>
      <div className="actions">
        <button type="submit" disabled={busy || !kind}>
          {t('adj.awaiting.send')}
        </button>
      </div>
      <FormError error={error} fields={['text']} />
    </form>
  );
}
