// Revision compare: clause by clause, each marked added, removed, renumbered or changed in words
// (not colour alone), with a word diff whose insertions and deletions are <ins>/<del> carrying
// hidden text for screen readers. Unchanged clauses are counted and can be shown.
import '../../i18n/documents/index.ts';
import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { docsApi, type ClauseComparison } from '../../api/document-endpoints.ts';
import { LoadError, Loading } from '../../components/errors.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { useResource } from '../../lib/use-resource.ts';
import { compareStatusLabel } from './labels.ts';

export function CompareScreen({ slug, documentId, from, to }: { slug: string; documentId: string; from: number; to: number }) {
  const { t } = useI18n();
  const [, navigate] = useLocation();
  const document = useResource(() => docsApi.document(slug, documentId), [slug, documentId]);
  const comparison = useResource(() => docsApi.compare(slug, documentId, from, to), [slug, documentId, from, to]);
  const [choice, setChoice] = useState({ from: String(from), to: String(to) });
  const [showUnchanged, setShowUnchanged] = useState(false);
  const base = `/groups/${slug}/documents/${documentId}`;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(`${base}/compare?from=${choice.from}&to=${choice.to}`);
  };
  const entries = comparison.data?.clauses ?? [];
  const unchanged = entries.filter((e) => e.status === 'unchanged').length;
  const shown = showUnchanged ? entries : entries.filter((e) => e.status !== 'unchanged');

  return (
    <div className="page compare-page">
      <PageHeading title={t('compare.title', { from, to })} />
      <p>
        <Link href={`${base}/revisions/${to}`}>{t('compare.back')}</Link>
      </p>
      {document.data ? (
        <form className="inline-form" onSubmit={submit}>
          {(['from', 'to'] as const).map((end) => (
            <div className="field" key={end}>
              <label htmlFor={`compare-${end}`}>{t(`compare.${end}`)}</label>
              <select id={`compare-${end}`} value={choice[end]} onChange={(e) => setChoice((c) => ({ ...c, [end]: e.target.value }))}>
                {document.data!.revisions.map((r) => (
                  <option key={r.id} value={r.sequence}>
                    {t('doc.revisionOf', { sequence: r.sequence, label: r.label })}
                  </option>
                ))}
              </select>
            </div>
          ))}
          <button type="submit" className="secondary">
            {t('compare.submit')}
          </button>
        </form>
      ) : null}
      {comparison.error ? <LoadError error={comparison.error} onRetry={comparison.reload} /> : null}
      {!comparison.data ? (
        comparison.error ? null : (
          <Loading />
        )
      ) : (
        <>
          <p className="hint" data-testid="compare-summary">
            {t('compare.summary', { changed: entries.length - unchanged, unchanged })}{' '}
            <button type="button" className="link-button" aria-pressed={showUnchanged} onClick={() => setShowUnchanged((s) => !s)}>
              {t('compare.showUnchanged')}
            </button>
          </p>
          <ol className="compare-list">
            {shown.map((entry, i) => (
              <li key={i}>
                <ClauseChange entry={entry} />
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}

function ClauseChange({ entry }: { entry: ClauseComparison }) {
  const { t } = useI18n();
  const title = entry.to ?? entry.from!;
  return (
    <article className={`compare-entry status-${entry.status}`} data-testid="compare-entry" data-status={entry.status}>
      <h2>
        <span className="badge">{compareStatusLabel(t, entry.status)}</span> <span className="clause-number">{title.number}</span> <bdi>{title.heading}</bdi>
      </h2>
      {entry.status === 'renumbered' || (entry.from && entry.to && entry.from.number !== entry.to.number) ? (
        <p className="hint">{t('compare.renumbered', { from: entry.from!.number, to: entry.to!.number })}</p>
      ) : null}
      {entry.status === 'renumbered' && entry.contentChanged ? <p className="hint">{t('compare.alsoChanged')}</p> : null}
      {entry.diff?.heading.some((p) => p.op !== 'equal') ? (
        <p className="diff diff-heading">
          <span className="visually-hidden">{t('compare.headingDiff')} </span>
          <Diff parts={entry.diff.heading} />
        </p>
      ) : null}
      {entry.diff?.text.some((p) => p.op !== 'equal') ? (
        <p className="diff" dir="auto">
          <Diff parts={entry.diff.text} />
        </p>
      ) : null}
    </article>
  );
}

function Diff({ parts }: { parts: { op: string; text: string }[] }) {
  const { t } = useI18n();
  return (
    <>
      {parts.map((p, i) =>
        p.op === 'insert' ? (
          <ins key={i}>
            <span className="visually-hidden">[{t('compare.inserted')}: </span>
            {p.text}
            <span className="visually-hidden">]</span>
          </ins>
        ) : p.op === 'delete' ? (
          <del key={i}>
            <span className="visually-hidden">[{t('compare.deleted')}: </span>
            {p.text}
            <span className="visually-hidden">]</span>
          </del>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </>
  );
}
