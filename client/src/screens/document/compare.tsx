// Revision compare: clause by clause, each marked added, removed, renumbered or changed in words
// (not colour alone); within a changed clause, block by block (paragraphs, list items, table
// rows), words compared only within a changed block, insertions and deletions as <ins>/<del>
// carrying hidden text for screen readers. Each clause links the comments whose dispositions
// the newer revision implements there. Unchanged clauses are counted and can be shown.
import '../../i18n/adjudication/index.ts';
import '../../i18n/documents/index.ts';
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { docsApi, loadAllComments, type ClauseComparison, type ResolvedByRevision } from '../../api/document-endpoints.ts';
import { LoadError, Loading } from '../../components/errors.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { numberComments } from '../../lib/comment-threads.ts';
import { useResource } from '../../lib/use-resource.ts';
import { codeLabel } from '../adjudication/shared.tsx';
import { compareStatusLabel } from './labels.ts';

export function CompareScreen({ slug, documentId, from, to }: { slug: string; documentId: string; from: number; to: number }) {
  const { t } = useI18n();
  const [, navigate] = useLocation();
  const document = useResource(() => docsApi.document(slug, documentId), [slug, documentId]);
  const comparison = useResource(() => docsApi.compare(slug, documentId, from, to), [slug, documentId, from, to]);
  // Not every reader may see dispositions (then there is simply nothing to link).
  const resolved = useResource(() => docsApi.resolvedComments(slug, documentId, to).catch(() => null), [slug, documentId, to]);
  const anyResolved = !!resolved.data?.clauses.length;
  // Comments are linked by their number in the document, which counts every comment made on it.
  const all = useResource(() => (anyResolved ? loadAllComments(slug, documentId) : Promise.resolve([])), [slug, documentId, anyResolved]);
  const numbers = useMemo(() => numberComments(all.data ?? []), [all.data]);
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
                <ClauseChange entry={entry} base={base} resolved={resolved.data ?? null} numbers={numbers} />
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}

function ClauseChange({
  entry,
  base,
  resolved,
  numbers,
}: {
  entry: ClauseComparison;
  base: string;
  resolved: ResolvedByRevision | null;
  numbers: ReadonlyMap<string, number>;
}) {
  const { t } = useI18n();
  const title = entry.to ?? entry.from!;
  const answers = (entry.to && resolved?.clauses.find((c) => c.number === entry.to!.number)?.comments) || [];
  const blocks = entry.diff?.blocks;
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
      {blocks?.some((b) => b.op !== 'equal') ? (
        <div className="diff diff-blocks" dir="auto">
          {blocks.map((b, i) => (
            <p key={i} className={`diff-block block-${b.kind} op-${b.op}`} data-testid="diff-block" data-op={b.op}>
              {b.op === 'inserted' || b.op === 'deleted' ? <span className="visually-hidden">{t(`compare.block.${b.op}`)} </span> : null}
              <Diff parts={b.parts} />
            </p>
          ))}
        </div>
      ) : !blocks && entry.diff?.text.some((p) => p.op !== 'equal') ? (
        <p className="diff" dir="auto">
          <Diff parts={entry.diff.text} />
        </p>
      ) : null}
      {answers.length ? (
        <div className="compare-resolves" data-testid="compare-resolves">
          <h3>{t('compare.resolves', { count: answers.length })}</h3>
          <ul className="link-row">
            {answers.map(({ comment, disposition }) => {
              const number = numbers.get(comment.id);
              return (
                <li key={comment.id}>
                  {number ? (
                    <a href={`${base}/revisions/${comment.revision}#comment-${number}`}>
                      #{number} <bdi>{comment.author.name}</bdi>
                    </a>
                  ) : (
                    <bdi>{comment.author.name}</bdi>
                  )}{' '}
                  <span className="badge">{codeLabel(t, disposition.disposition)}</span>
                </li>
              );
            })}
          </ul>
        </div>
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
