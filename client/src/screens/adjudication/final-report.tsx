// The final report: the published revision's clauses with its frozen disposition of comments.
// Members read it in the group; when the group's outputs are public, anyone reads it at
// /public/groups/:slug/documents/:documentId without signing in (the /api/public/… routes,
// which answer nothing else of the group). Before publication the screen says so, and offers
// conveners the publish form with what is still missing (comments without a final decision).
import '../../i18n/adjudication/index.ts';
import './adjudication.css';
import { Link } from 'wouter';
import { adjudicationApi, publicExportUrls, exportUrls, type DispositionTable, type FinalReport } from '../../api/adjudication-endpoints.ts';
import { docsApi } from '../../api/document-endpoints.ts';
import { api } from '../../api/endpoints.ts';
import { ApiError } from '../../api/http.ts';
import { LoadError, Loading } from '../../components/errors.tsx';
import { Instant } from '../../components/instant.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { useResource } from '../../lib/use-resource.ts';
import { PublishForm, StatisticsPanel, TableView } from './table.tsx';
import '../../i18n/interchange/index.ts';
import { reportUrls } from '../../api/interchange-endpoints.ts';

export function FinalReportScreen({ slug, documentId, isPublic = false }: { slug: string; documentId: string; isPublic?: boolean }) {
  const { t, tb } = useI18n();
  const data = useResource<[FinalReport, DispositionTable]>(
    () =>
      isPublic
        ? Promise.all([adjudicationApi.publicFinalReport(slug, documentId), adjudicationApi.publicTable(slug, documentId)])
        : Promise.all([adjudicationApi.finalReport(slug, documentId), adjudicationApi.table(slug, documentId)]),
    [slug, documentId, isPublic],
  );
  const unpublished = !isPublic && data.error instanceof ApiError && data.error.code === 'final_report_not_found';
  if (unpublished) return <NotPublished slug={slug} documentId={documentId} onPublished={data.reload} />;
  if (!data.data) {
    return (
      <div className="page">
        <PageHeading title={t('adj.tools.finalReport')} />
        {data.error ? <LoadError error={data.error} onRetry={data.reload} /> : <Loading />}
      </div>
    );
  }
  const [report, table] = data.data;
  const urls = isPublic ? publicExportUrls(slug, documentId) : exportUrls(slug, documentId);
  const title = t('adj.report.title', { title: report.document.title });
  return (
    <div className="page report-page">
      <PageHeading title={title}>{tb('adj.report.title', { title: report.document.title })}</PageHeading>
      <p className="subtitle hint">
        <bdi>{report.group.name}</bdi> · {t('adj.report.revision', { sequence: report.revision.sequence, label: report.revision.label })}
      </p>
      <p className="hint" data-testid="published">
        {t('adj.report.published')} <Instant iso={report.publishedAt} />
        {report.publishedBy ? (
          <>
            {' '}
            · <bdi>{report.publishedBy.name}</bdi> (<bdi>{report.publishedBy.affiliation}</bdi>)
          </>
        ) : null}
      </p>
      {isPublic ? (
        <p className="notice">{t('adj.report.public')}</p>
      ) : (
        <p className="hint">
          <Link href={`/groups/${slug}/documents/${documentId}`}>{t('adj.board.backToDocument')}</Link>
        </p>
      )}
      <section aria-labelledby="report-text" className="report-text">
        <h2 id="report-text">{t('adj.report.text')}</h2>
        {report.clauses.map((c) => (
          <section key={c.number} className="report-clause" aria-label={`${c.number} ${c.heading}`}>
            <h3>
              <span className="clause-number">{c.number}</span> <bdi>{c.heading}</bdi>
            </h3>
            {/* Sanitized by the server when the revision was imported. */}
            <div className="clause-body" dir="auto" dangerouslySetInnerHTML={{ __html: c.html }} />
          </section>
        ))}
      </section>
      <h2>{t('adj.report.dispositions')}</h2>
      <ul className="link-row download-row">
        <li>
          <a className="button" href={urls.docx} download>
            {t('adj.table.docx')}
          </a>
        </li>
        <li>
          <a className="button" href={urls.csv} download>
            {t('adj.table.csv')}
          </a>
        </li>
        <li>
          <a className="button" href={reportUrls(slug, documentId, isPublic).tableXlsx} download data-testid="report-xlsx">
            {t('word.tableXlsx')}
          </a>
        </li>
        <li>
          <a className="button" href={reportUrls(slug, documentId, isPublic).reportDocx} download data-testid="report-docx">
            {t('word.reportDocx')}
          </a>
        </li>
      </ul>
      <StatisticsPanel statistics={report.statistics} />
      <TableView table={table} />
    </div>
  );
}

/** Not published yet: members read that; conveners get the publish form and what is still missing. */
function NotPublished({ slug, documentId, onPublished }: { slug: string; documentId: string; onPublished: () => void }) {
  const { t, tb } = useI18n();
  const data = useResource(
    () => Promise.all([api.group(slug), docsApi.document(slug, documentId), adjudicationApi.table(slug, documentId)]),
    [slug, documentId],
  );
  const base = `/groups/${slug}/documents/${documentId}`;
  if (!data.data) {
    return (
      <div className="page">
        <PageHeading title={t('adj.tools.finalReport')} />
        {data.error ? <LoadError error={data.error} onRetry={data.reload} /> : <Loading />}
      </div>
    );
  }
  const [group, document, table] = data.data;
  const s = table.statistics;
  const notFinal = s.total - (s.byStatus.final ?? 0);
  const convener = group.myRole === 'convener';
  return (
    <div className="page report-page">
      <PageHeading title={t('adj.report.title', { title: document.title })}>{tb('adj.report.title', { title: document.title })}</PageHeading>
      <p className="hint subtitle">
        <Link href={base}>{t('adj.board.backToDocument')}</Link>
        {' · '}
        <Link href={`${base}/dispositions`}>{t('adj.tools.table')}</Link>
      </p>
      <p className="notice" data-testid="not-published">
        {t('adj.report.notYet')}
      </p>
      {convener ? (
        <>
          <section aria-labelledby="missing-title" className="panel" data-testid="publish-missing">
            <h2 id="missing-title">{t('adj.report.missingTitle')}</h2>
            {notFinal > 0 ? (
              <p>
                {t('adj.report.missing', { count: notFinal, total: s.total })}{' '}
                <Link href={`${base}/adjudication?state=${s.byStatus.proposed ? 'proposed' : 'undecided'}`}>{t('adj.report.toBoard')}</Link>
              </p>
            ) : (
              <p>{t('adj.report.nothingMissing', { count: s.total })}</p>
            )}
          </section>
          <PublishForm
            slug={slug}
            documentId={documentId}
            revisions={document.revisions.map((r) => ({ sequence: r.sequence, label: r.label }))}
            onPublished={onPublished}
          />
        </>
      ) : null}
    </div>
  );
}
