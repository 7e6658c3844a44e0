// Importing comments from the ISO/IEC/ITU comment template (conveners): choose the file, preview
// what Convene would do with each row (its clause, member body, type and proposed disposition),
// map the rows whose clause the revision lacks (or leave them out), then import them all at once.
// The preview stores nothing; the import stores every row or none.
import '../../i18n/documents/index.ts';
import '../../i18n/interchange/index.ts';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { docsApi, type Clause } from '../../api/document-endpoints.ts';
import { interchangeApi, type TemplatePreview } from '../../api/interchange-endpoints.ts';
import { useAnnounce } from '../../components/announcer.tsx';
import { errorMessage } from '../../components/errors.tsx';
import { Field } from '../../components/field.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { useI18n } from '../../i18n/index.tsx';

export function ImportTemplateScreen({ slug, documentId, sequence }: { slug: string; documentId: string; sequence: number }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const [, navigate] = useLocation();
  const [file, setFile] = useState<File | null>(null);
  const [organisation, setOrganisation] = useState('');
  const [observations, setObservations] = useState(true);
  const [mappings, setMappings] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<TemplatePreview | null>(null);
  const [clauses, setClauses] = useState<Clause[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'preview' | 'import' | null>(null);
  const base = `/groups/${slug}/documents/${documentId}`;

  useEffect(() => {
    docsApi.revision(slug, documentId, sequence).then((r) => setClauses(r.clauses), setError);
  }, [slug, documentId, sequence]);

  const run = async (what: 'preview' | 'import', chosen = mappings) => {
    if (!file) {
      setError(new Error(t('import.chooseFile')));
      return;
    }
    setBusy(what);
    setError(null);
    const choice = { file, organisation, observations, mappings: chosen };
    try {
      if (what === 'preview') {
        setPreview(await interchangeApi.preview(slug, documentId, sequence, choice));
      } else {
        const done = await interchangeApi.import(slug, documentId, sequence, choice);
        announce(t('import.done', { count: done.comments }));
        navigate(`${base}/revisions/${sequence}`);
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
  // A mapping changes what the import would do: preview again with it.
  const map = (row: number, value: string) => {
    const next = { ...mappings, [String(row)]: value };
    setMappings(next);
    void run('preview', next);
  };
  const blocked = preview ? preview.counts.unmatched + preview.counts.invalid > 0 || preview.counts.ready === 0 : true;

  return (
    <div className="page">
      <PageHeading title={t('import.title')} />
      <p className="hint">
        <Link href={`${base}/revisions/${sequence}`}>{t('import.back')}</Link> · {t('import.revision', { sequence })}
      </p>
      <p>{t('import.intro')}</p>
      <form onSubmit={submit} className="panel">
        <Field label={t('import.file')} hint={t('import.fileHint')}>
          {(props) => (
            <input
              {...props}
              type="file"
              name="file"
              accept=".docx,.xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setPreview(null);
                setMappings({});
              }}
              data-testid="template-file"
            />
          )}
        </Field>
        <Field label={t('import.organisation')} hint={t('import.organisationHint')}>
          {(props) => (
            <input {...props} type="text" name="organisation" maxLength={200} value={organisation} onChange={(e) => setOrganisation(e.target.value)} />
          )}
        </Field>
        <label className="checkbox">
          <input type="checkbox" checked={observations} onChange={(e) => setObservations(e.target.checked)} /> {t('import.observations')}
        </label>
        <div className="actions">
          <button type="submit" className="secondary" disabled={busy !== null} data-testid="template-preview">
            {busy === 'preview' ? t('import.previewing') : t('import.preview')}
          </button>
          {preview ? (
            <button type="button" onClick={() => void run('import')} disabled={busy !== null || blocked} data-testid="template-import">
              {busy === 'import' ? t('import.importing') : t('import.import', { count: preview.counts.ready })}
            </button>
          ) : null}
        </div>
        {error ? (
          <p className="error" role="alert" data-testid="template-error">
            {errorMessage(error, t)}
          </p>
        ) : null}
      </form>
      {preview ? (
        <section className="panel" aria-labelledby="template-rows" data-testid="template-rows">
          <h2 id="template-rows">{t('import.table', { table: preview.table.name, row: preview.table.headerRow })}</h2>
          {preview.periodState !== 'open' ? <p className="notice">{t(preview.periodState === 'closed' ? 'import.afterDeadline' : 'import.notOpen')}</p> : null}
          <p>{t('import.counts', preview.counts)}</p>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t('import.row')}</th>
                <th scope="col">{t('import.memberBody')}</th>
                <th scope="col">{t('import.clause')}</th>
                <th scope="col">{t('import.type')}</th>
                <th scope="col">{t('import.comment')}</th>
                <th scope="col">{t('import.outcome')}</th>
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((row) => (
                <tr key={row.row} data-outcome={row.outcome}>
                  <td>{row.row}</td>
                  <td>
                    <bdi>{row.memberBody}</bdi>
                    {row.member ? <div className="hint">{t('import.member', { name: row.member.name })}</div> : null}
                  </td>
                  <td>
                    {row.clause ? row.clause.number : row.outcome === 'ready' ? t('import.wholeDocument') : <bdi>{row.clauseAsWritten}</bdi>}
                    {row.outcome === 'unmatched' || mappings[String(row.row)] ? (
                      <div>
                        <label className="visually-hidden" htmlFor={`map-${row.row}`}>
                          {t('import.mapTo', { row: row.row })}
                        </label>
                        <select id={`map-${row.row}`} value={mappings[String(row.row)] ?? ''} onChange={(e) => map(row.row, e.target.value)}>
                          <option value="">{row.suggestion ? row.suggestion : t('import.choose')}</option>
                          <option value="general">{t('import.wholeDocument')}</option>
                          <option value="skip">{t('import.skip')}</option>
                          {clauses
                            .filter((c) => c.number !== '')
                            .map((c) => (
                              <option key={c.id} value={c.number}>
                                {c.number} {c.heading}
                              </option>
                            ))}
                        </select>
                      </div>
                    ) : null}
                  </td>
                  <td>{t(`comment.type.${row.type}`)}</td>
                  <td dir="auto">{row.comment}</td>
                  <td>
                    {t(`import.outcome.${row.outcome}`)}
                    {row.notes.length ? (
                      <ul className="hint">
                        {row.notes.map((n) => (
                          <li key={n}>{n}</li>
                        ))}
                      </ul>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </div>
  );
}
