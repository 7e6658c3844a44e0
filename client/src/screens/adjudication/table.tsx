// The disposition of comments: statistics, the downloads (.docx in the ISO/IEC/ITU comment
// template, CSV, JSON) and the table itself. The same table and statistics components serve the
// final report, public or not; conveners publish from the final-report screen (PublishForm).
import '../../i18n/adjudication/index.ts';
import './adjudication.css';
import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { adjudicationApi, exportUrls, type DispositionTable, type Statistics } from '../../api/adjudication-endpoints.ts';
import { docsApi } from '../../api/document-endpoints.ts';
import { api } from '../../api/endpoints.ts';
import { useAnnounce } from '../../components/announcer.tsx';
import { FormError, LoadError, Loading } from '../../components/errors.tsx';
import { Field } from '../../components/field.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { formatInstant, formatNumber, useI18n } from '../../i18n/index.tsx';
import { useResource } from '../../lib/use-resource.ts';
import { codeLabel, statusLabel, typeLabel } from './shared.tsx';
import '../../i18n/interchange/index.ts';
import { tableXlsxUrl } from '../../api/interchange-endpoints.ts';

export function DispositionTableScreen({ slug, documentId }: { slug: string; documentId: string }) {
  const { t, tb } = useI18n();
  const data = useResource(
    () => Promise.all([api.group(slug), docsApi.document(slug, documentId), adjudicationApi.table(slug, documentId)]),
    [slug, documentId],
  );
  if (!data.data) {
    return (
      <div className="page">
        <PageHeading title={t('adj.tools.table')} />
        {data.error ? <LoadError error={data.error} onRetry={data.reload} /> : <Loading />}
      </div>
    );
  }
  const [group, document, table] = data.data;
  const base = `/groups/${slug}/documents/${documentId}`;
  const urls = exportUrls(slug, documentId);
  const staff = group.myRole === 'convener' || group.myRole === 'editor';
  return (
    <div className="page table-page">
      <PageHeading title={t('adj.table.title', { title: document.title })}>{tb('adj.table.title', { title: document.title })}</PageHeading>
      <p className="hint subtitle">
        <Link href={base}>{t('adj.board.backToDocument')}</Link>
        {staff ? (
          <>
            {' · '}
            <Link href={`${base}/adjudication`}>{t('adj.tools.board')}</Link>
          </>
        ) : null}
        {document.state === 'published' || group.myRole === 'convener' ? (
          <>
            {' · '}
            <Link href={`${base}/final-report`}>{t(document.state === 'published' ? 'adj.tools.finalReport' : 'adj.report.publishLink')}</Link>
          </>
        ) : null}
      </p>
      <section aria-labelledby="exports-title" className="panel exports">
        <h2 id="exports-title">{t('adj.table.exports')}</h2>
        <ul className="link-row download-row">
          <li>
            <a className="button" href={urls.docx} download data-testid="export-docx">
              {t('adj.table.docx')}
            </a>
          </li>
          <li>
            <a className="button" href={urls.csv} download data-testid="export-csv">
              {t('adj.table.csv')}
            </a>
          </li>
          <li>
            <a className="button" href={urls.json} download data-testid="export-json">
              {t('adj.table.json')}
            </a>
          </li>
          <li>
            <a className="button" href={tableXlsxUrl(slug, documentId)} download data-testid="export-xlsx">
              {t('word.tableXlsx')}
            </a>
          </li>
        </ul>
      </section>
      <StatisticsPanel statistics={table.statistics} />
      <TableView table={table} />
    </div>
  );
}

export function PublishForm({
  slug,
  documentId,
  revisions,
  onPublished,
}: {
  slug: string;
  documentId: string;
  revisions: { sequence: number; label: string }[];
  onPublished?: () => void;
}) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const [, navigate] = useLocation();
  const [revision, setRevision] = useState(String(revisions.at(-1)?.sequence ?? 1));
  const [label, setLabel] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await adjudicationApi.publish(slug, documentId, Number(revision), label.trim() || undefined);
      announce(t('adj.table.published'));
      if (onPublished) onPublished();
      else navigate(`/groups/${slug}/documents/${documentId}/final-report`);
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <form className="panel publish-form" aria-labelledby="publish-title" onSubmit={submit} data-testid="publish-form">
      <h2 id="publish-title">{t('adj.table.publishTitle')}</h2>
      <p className="hint">{t('adj.table.publishHint')}</p>
      <div className="field">
        <label htmlFor="publish-revision">{t('adj.table.publishRevision')}</label>
        <select id="publish-revision" value={revision} onChange={(e) => setRevision(e.target.value)}>
          {revisions.map((r) => (
            <option key={r.sequence} value={r.sequence}>
              {t('adj.report.revision', { sequence: r.sequence, label: r.label })}
            </option>
          ))}
        </select>
      </div>
      <Field label={t('adj.table.publishLabel')}>{(p) => <input {...p} type="text" value={label} onChange={(e) => setLabel(e.target.value)} />}</Field>
      <div className="actions">
        <button type="submit">{t('adj.table.publish')}</button>
      </div>
      <FormError error={error} />
    </form>
  );
}

export function StatisticsPanel({ statistics: s }: { statistics: Statistics }) {
  const { t, locale } = useI18n();
  const counts = (title: string, rows: [string, number][]) => (
    <div className="stat-block">
      <table>
        <caption>{title}</caption>
        <tbody>
          {rows.map(([name, count]) => (
            <tr key={name}>
              <th scope="row">
                <bdi>{name || t('adj.table.notGiven')}</bdi>
              </th>
              <td className="num">{formatNumber(locale, count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  return (
    <section aria-labelledby="stats-title" className="panel statistics" data-testid="statistics">
      <h2 id="stats-title">{t('adj.table.statistics')}</h2>
      <p>
        <strong>{t('adj.table.total', { count: s.total })}</strong> · {t('adj.table.objections', { count: s.objections })}
      </p>
      <div className="stat-grid">
        {counts(
          t('adj.table.byDisposition'),
          Object.entries(s.byDisposition).map(([k, v]) => [codeLabel(t, k === 'undecided' ? null : k), v]),
        )}
        {counts(
          t('adj.table.byStatus'),
          Object.entries(s.byStatus).map(([k, v]) => [statusLabel(t, k), v]),
        )}
        {counts(
          t('adj.table.byType'),
          Object.entries(s.byType).map(([k, v]) => [typeLabel(t, k), v]),
        )}
        {counts(
          t('adj.table.byClause'),
          s.byClause.map((c) => [c.clause, c.count]),
        )}
        {counts(
          t('adj.table.byOrganisation'),
          s.byOrganisation.map((o) => [o.organisation, o.count]),
        )}
      </div>
    </section>
  );
}

/** The commenter's name alone: the row's label repeats the affiliation the column already shows. */
const personOf = (r: { commenter: string; organisation: string }) =>
  r.organisation && r.commenter.endsWith(` — ${r.organisation}`) ? r.commenter.slice(0, -` — ${r.organisation}`.length) : r.commenter;

export function TableView({ table }: { table: DispositionTable }) {
  const { t, locale } = useI18n();
  // The template's paragraph column stays in the exports; on screen it shows only when filled.
  const paragraphs = table.rows.some((r) => r.paragraph);
  return (
    <section className="disposition-table">
      <h2 id="rows-title">{t('adj.table.rows')}</h2>
      {table.rows.length === 0 ? (
        <p>{t('adj.table.empty')}</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="rows-title">
          <table data-testid="disposition-rows">
            <caption className="hint">
              {t('adj.table.caption', { title: table.documentTitle, revision: table.revisionLabel, at: formatInstant(locale, table.generatedAt) })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('adj.table.col.number')}</th>
                <th scope="col">{t('adj.table.col.organisation')}</th>
                <th scope="col">{t('adj.table.col.clause')}</th>
                {paragraphs ? <th scope="col">{t('adj.table.col.paragraph')}</th> : null}
                <th scope="col">{t('adj.table.col.type')}</th>
                <th scope="col">{t('adj.table.col.comment')}</th>
                <th scope="col">{t('adj.table.col.proposedChange')}</th>
                <th scope="col">{t('adj.table.col.disposition')}</th>
                <th scope="col">{t('adj.table.col.response')}</th>
              </tr>
            </thead>
            <tbody>
              {table.rows.map((r) => (
                <tr key={r.number} data-status={r.status}>
                  <th scope="row">{formatNumber(locale, r.number)}</th>
                  <td className="cell-who">
                    {r.organisation ? (
                      <>
                        <bdi>{r.organisation}</bdi>
                        <br />
                      </>
                    ) : null}
                    <span className="hint">
                      <bdi>{personOf(r)}</bdi>
                    </span>
                  </td>
                  <td>{r.clause}</td>
                  {paragraphs ? (
                    <td>
                      <bdi>{r.paragraph}</bdi>
                    </td>
                  ) : null}
                  <td>{r.type}</td>
                  <td dir="auto" className="cell-text">
                    <bdi>{r.comment}</bdi>
                  </td>
                  <td dir="auto" className="cell-text">
                    <bdi>{r.proposedChange}</bdi>
                  </td>
                  <td className="cell-text">
                    <strong>{codeLabel(t, r.disposition)}</strong> <span className={`badge status-${r.status}`}>{statusLabel(t, r.status)}</span>
                    {r.rationale ? (
                      <>
                        <br />
                        <bdi>{r.rationale}</bdi>
                      </>
                    ) : null}
                    {r.adoptedText ? (
                      <>
                        <br />
                        <em>
                          <bdi>{r.adoptedText}</bdi>
                        </em>
                      </>
                    ) : null}
                    {r.implementedIn ? (
                      <>
                        <br />
                        <span className="hint">{t('adj.table.implementedIn', { revision: r.implementedIn })}</span>
                      </>
                    ) : null}
                  </td>
                  <td className="cell-text">
                    {r.response ? (
                      <>
                        <strong>{t(r.response.kind === 'object' ? 'adj.table.response.object' : 'adj.table.response.agree')}</strong>
                        {r.response.text ? (
                          <>
                            <br />
                            <bdi>{r.response.text}</bdi>
                          </>
                        ) : null}
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
