// Posting a revision (editors and conveners): paste Markdown or choose a .docx, preview the
// clauses the server would store (with its notes, and what it changed: raw HTML shown as text,
// images dropped, unsafe links reduced to words), then post. The preview
// stores nothing; the pasted text is kept as a draft until the revision is posted.
import '../../i18n/documents/index.ts';
import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { docsApi, type Preview, type RevisionSource } from '../../api/document-endpoints.ts';
import { useAnnounce } from '../../components/announcer.tsx';
import { errorMessage, fieldError } from '../../components/errors.tsx';
import { Field } from '../../components/field.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { useDraft } from '../../lib/drafts.ts';

interface Draft {
  label: string;
  markdown: string;
  format: 'markdown' | 'docx';
}
const EMPTY: Draft = { label: '', markdown: '', format: 'markdown' };
const isEmpty = (d: Draft) => !d.label && !d.markdown;

/** Where an import change was: the clause by its number, else the front matter, else before any clause. */
function changePlace(clause: Preview['changes'][number]['clause'], t: ReturnType<typeof useI18n>['t']): string {
  if (!clause) return t('revision.change.beforeClauses');
  return clause.number ? t('revision.change.clause', { number: clause.number }) : t('revision.change.frontMatter');
}

export function PostRevisionScreen({ slug, documentId }: { slug: string; documentId: string }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const [, navigate] = useLocation();
  const [draft, setDraft, clearDraft] = useDraft<Draft>(`${documentId}.revision`, EMPTY, isEmpty);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'preview' | 'post' | null>(null);
  const set = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setPreview(null);
  };
  const base = `/groups/${slug}/documents/${documentId}`;

  const source = (): RevisionSource | null => {
    if (draft.format === 'docx') return file ? { label: draft.label, file } : null;
    return { label: draft.label, markdown: draft.markdown };
  };
  const run = async (what: 'preview' | 'post') => {
    const s = source();
    if (!s) {
      setError(new Error(t('revision.chooseFile')));
      return;
    }
    setBusy(what);
    setError(null);
    try {
      if (what === 'preview') {
        const result = await docsApi.preview(slug, documentId, s);
        setPreview(result);
        announce(t('revision.previewReady', { count: result.clauses.length }));
      } else {
        const posted = await docsApi.postRevision(slug, documentId, s);
        clearDraft();
        announce(t('revision.posted', { sequence: posted.sequence }));
        navigate(`${base}/revisions/${posted.sequence}`);
      }
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(null);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run('preview');
  };
  const labelError = fieldError(error, 'label', t);
  const sourceError = fieldError(error, 'source', t) ?? fieldError(error, 'file', t);

  return (
    <div className="page">
      <PageHeading title={t('revision.title')} />
      <p>
        <Link href={base}>{t('revision.back')}</Link>
      </p>
      <form onSubmit={submit} className="panel revision-form">
        <Field label={t('revision.label')} hint={t('revision.labelHint')} error={labelError}>
          {(props) => <input {...props} type="text" name="label" required value={draft.label} onChange={(e) => set({ label: e.target.value })} />}
        </Field>
        <fieldset className="type-choice">
          <legend>{t('revision.format')}</legend>
          <label className="radio">
            <input type="radio" name="format" checked={draft.format === 'markdown'} onChange={() => set({ format: 'markdown' })} />
            {t('revision.markdown')}
          </label>
          <label className="radio">
            <input type="radio" name="format" checked={draft.format === 'docx'} onChange={() => set({ format: 'docx' })} />
            {t('revision.docx')}
          </label>
        </fieldset>
        {draft.format === 'markdown' ? (
          <Field label={t('revision.source')} hint={t('revision.sourceHint')} error={sourceError}>
            {(props) => <textarea {...props} name="source" rows={14} required value={draft.markdown} onChange={(e) => set({ markdown: e.target.value })} />}
          </Field>
        ) : (
          <Field label={t('revision.file')} hint={t('revision.fileHint')} error={sourceError}>
            {(props) => (
              <input
                {...props}
                type="file"
                name="file"
                accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                onChange={(e) => {
                  setFile(e.target.files?.[0] ?? null);
                  setPreview(null);
                }}
              />
            )}
          </Field>
        )}
        <div className="actions">
          <button type="submit" className="secondary" disabled={busy !== null}>
            {busy === 'preview' ? t('revision.previewing') : t('revision.preview')}
          </button>
          {preview ? (
            <button type="button" onClick={() => void run('post')} disabled={busy !== null}>
              {busy === 'post' ? t('revision.posting') : t('revision.post')}
            </button>
          ) : null}
        </div>
        {error && !labelError && !sourceError ? (
          <p className="error" role="alert" data-testid="revision-error">
            {errorMessage(error, t)}
          </p>
        ) : null}
      </form>
      {preview ? (
        <section aria-labelledby="preview-title" className="panel" data-testid="revision-preview">
          <h2 id="preview-title">{t('revision.previewTitle', { count: preview.clauses.length })}</h2>
          {preview.notes.length ? (
            <div className="notice">
              <p>
                <strong>{t('revision.notes')}</strong>
              </p>
              <ul>
                {preview.notes.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            </div>
          ) : null}
          {preview.changes.length ? (
            <div className="notice" data-testid="revision-changes">
              <p>
                <strong>{t('revision.changes')}</strong>
              </p>
              <ul>
                {preview.changes.map((c, i) => (
                  <li key={i}>
                    {t(`revision.change.${c.kind}`, { count: c.count, where: changePlace(c.clause, t) })}
                    {c.examples.length ? (
                      <>
                        :{' '}
                        {c.examples.map((e, j) => (
                          <span key={j}>
                            {j ? ', ' : ''}
                            <code dir="auto">{e}</code>
                          </span>
                        ))}
                      </>
                    ) : null}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {preview.notes.length || preview.changes.length ? null : <p className="hint">{t('revision.noNotes')}</p>}
          <ol className="preview-clauses">
            {preview.clauses.map((c) => (
              <li key={c.position}>
                <h3>
                  <span className="clause-number">{c.number}</span> <bdi>{c.heading}</bdi>
                </h3>
                <div className="clause-body" dir="auto" dangerouslySetInnerHTML={{ __html: c.html }} />
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </div>
  );
}
