// A group's work programme: every work item with its Question, process, timing, status and
// editors, filtered in the URL's query (so a filtered view can be shared), with the same rows
// as CSV; then the group's Member State consultations.
import '../../i18n/workprog/index.ts';
import { useState, type FormEvent } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { urlOf } from '../../api/http.ts';
import { WORKPROG_ROUTES, workprogApi, type ConsultationSummary } from '../../api/workprog-endpoints.ts';
import { LoadError, Loading } from '../../components/errors.tsx';
import { Instant } from '../../components/instant.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { workprogText } from '../../i18n/workprog/index.ts';
import { useResource } from '../../lib/use-resource.ts';
import { IssueConsultationForm } from './consultation-form.tsx';
import { WorkItemForm } from './work-item-form.tsx';

export const STATUSES = ['new_work_item', 'in_progress', 'determined', 'consented', 'consultation', 'approved', 'agreed', 'withdrawn', 'deferred'] as const;
const PROCESSES = ['tap', 'aap', 'agreement'] as const;
export type Status = (typeof STATUSES)[number];

export function useWp() {
  const i18n = useI18n();
  return { ...i18n, w: workprogText(i18n.t) };
}

export function ProgrammeScreen({ slug }: { slug: string }) {
  const { w, t } = useWp();
  const search = new URLSearchParams(useSearch());
  const [, navigate] = useLocation();
  const query = { status: search.get('status') ?? undefined, approvalProcess: search.get('approvalProcess') ?? undefined, q: search.get('q') ?? undefined };
  const items = useResource(() => workprogApi.workItems(slug, query), [slug, query.status, query.approvalProcess, query.q]);
  const consultations = useResource(() => workprogApi.consultations(slug), [slug]);
  const [draft, setDraft] = useState(query);
  const [writing, setWriting] = useState<'workItem' | 'consultation' | null>(null);
  const manage = items.data?.abilities.manage ?? false;

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams(Object.entries(draft).filter((x): x is [string, string] => !!x[1]));
    navigate(`/groups/${slug}/work-programme${next.size ? `?${next}` : ''}`);
  };

  return (
    <div className="page">
      <PageHeading title={w('wp.title')} />
      <p>
        <Link href={`/groups/${slug}`}>{t('common.back')}</Link>
      </p>
      <p>{w('wp.intro')}</p>
      {manage && !writing ? (
        <p>
          <button type="button" onClick={() => setWriting('workItem')}>
            {w('wp.form.newTitle')}
          </button>{' '}
          <button type="button" onClick={() => setWriting('consultation')}>
            {w('cons.form.issueTitle')}
          </button>
        </p>
      ) : null}
      {writing === 'workItem' ? (
        <WorkItemForm slug={slug} onSaved={(item) => navigate(`/groups/${slug}/work-items/${item.id}`)} onCancel={() => setWriting(null)} />
      ) : null}
      {writing === 'consultation' ? <IssueConsultationForm slug={slug} onCancel={() => setWriting(null)} /> : null}
      <form className="panel filters" onSubmit={apply} aria-label={w('wp.filters')}>
        <label>
          {w('wp.filter.status')}{' '}
          <select value={draft.status ?? ''} onChange={(e) => setDraft({ ...draft, status: e.target.value || undefined })}>
            <option value="">{w('wp.filter.any')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {w(`wp.status.${s}`)}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          {w('wp.filter.process')}{' '}
          <select value={draft.approvalProcess ?? ''} onChange={(e) => setDraft({ ...draft, approvalProcess: e.target.value || undefined })}>
            <option value="">{w('wp.filter.any')}</option>
            {PROCESSES.map((p) => (
              <option key={p} value={p}>
                {w(`wp.process.${p}`)}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          {w('wp.filter.words')} <input type="search" value={draft.q ?? ''} onChange={(e) => setDraft({ ...draft, q: e.target.value || undefined })} />
        </label>{' '}
        <button type="submit">{w('wp.filter.apply')}</button>
      </form>
      {items.error ? <LoadError error={items.error} onRetry={items.reload} /> : null}
      {!items.data ? (
        items.error ? null : (
          <Loading />
        )
      ) : (
        <>
          <p>
            {w('wp.count', { count: items.data.workItems.length })} ·{' '}
            <a href={urlOf(WORKPROG_ROUTES.workItemsCsv, { params: { slug }, query })} download>
              {w('wp.csv')}
            </a>
          </p>
          {items.data.workItems.length === 0 ? (
            <p>{w('wp.empty')}</p>
          ) : (
            <div className="table-scroll">
              <table>
                <caption className="visually-hidden">{w('wp.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{w('wp.col.question')}</th>
                    <th scope="col">{w('wp.col.item')}</th>
                    <th scope="col">{w('wp.col.title')}</th>
                    <th scope="col">{w('wp.col.process')}</th>
                    <th scope="col">{w('wp.col.timing')}</th>
                    <th scope="col">{w('wp.col.status')}</th>
                    <th scope="col">{w('wp.col.editors')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.data.workItems.map((item) => (
                    <tr key={item.id}>
                      <td>{item.question}</td>
                      <td>
                        <Link href={`/groups/${slug}/work-items/${item.id}`}>
                          <bdi>{item.number ? `${item.number} (${item.acronym})` : item.acronym}</bdi>
                        </Link>
                      </td>
                      <td>
                        <bdi>{item.title}</bdi>
                      </td>
                      <td>{w(`wp.process.${item.approvalProcess}`)}</td>
                      <td>{item.timing}</td>
                      <td>{w(`wp.status.${item.status}`)}</td>
                      <td>
                        {item.editors.map((e, i) => (
                          <span key={e.id}>
                            {i ? '; ' : ''}
                            <bdi>{e.name}</bdi>
                            {e.affiliation ? (
                              <>
                                {' '}
                                (<bdi>{e.affiliation}</bdi>)
                              </>
                            ) : null}
                          </span>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      <section className="panel" aria-labelledby="consultations-title">
        <h2 id="consultations-title">{w('cons.title')}</h2>
        {consultations.error ? <LoadError error={consultations.error} onRetry={consultations.reload} /> : null}
        {consultations.data ? <ConsultationList items={consultations.data.consultations} empty={w('cons.none')} /> : consultations.error ? null : <Loading />}
      </section>
    </div>
  );
}

export function ConsultationList({ items, empty }: { items: ConsultationSummary[]; empty: string }) {
  const { w } = useWp();
  if (!items.length) return <p>{empty}</p>;
  return (
    <ul className="consultation-list">
      {items.map((c) => (
        <li key={c.id}>
          <Link href={`/groups/${c.group.slug}/consultations/${c.id}`}>
            <bdi>{c.reference}</bdi>
          </Link>{' '}
          <span className="badge">{c.closed ? w('cons.closed') : w('cons.open')}</span>
          <br />
          <span className="hint">
            {w('cons.closes')}: <Instant iso={c.deadline} />
          </span>
        </li>
      ))}
    </ul>
  );
}

export function MyConsultationsScreen() {
  const { w } = useWp();
  const mine = useResource(() => workprogApi.mine(), []);
  return (
    <div className="page">
      <PageHeading title={w('cons.mine')} />
      {mine.error ? <LoadError error={mine.error} onRetry={mine.reload} /> : null}
      {mine.data ? <ConsultationList items={mine.data.consultations} empty={w('cons.mineNone')} /> : mine.error ? null : <Loading />}
    </div>
  );
}
