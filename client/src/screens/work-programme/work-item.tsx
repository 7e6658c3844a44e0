// One work item: its A.1 fields and editors, where it stands and how it got there (dated, by
// whom), the texts that carry it with their revisions, comment periods, dispositions and final
// report, and its consultations. Conveners (the secretariat) move its status here.
import '../../i18n/workprog/index.ts';
import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { workprogApi, type WorkItem } from '../../api/workprog-endpoints.ts';
import { useAnnounce } from '../../components/announcer.tsx';
import { errorMessage, LoadError, Loading } from '../../components/errors.tsx';
import { Instant } from '../../components/instant.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { useResource } from '../../lib/use-resource.ts';
import { useWp, type Status } from './programme.tsx';
import { IssueConsultationForm } from './consultation-form.tsx';
import { WorkItemForm } from './work-item-form.tsx';

export function WorkItemScreen({ slug, workItemId }: { slug: string; workItemId: string }) {
  const { w } = useWp();
  const item = useResource(() => workprogApi.workItem(slug, workItemId), [slug, workItemId]);
  const data = item.data;
  return (
    <div className="page">
      <PageHeading title={data ? `${data.number ? `${data.number} (${data.acronym})` : data.acronym} – ${data.title}` : w('wp.title')} />
      <p>
        <Link href={`/groups/${slug}/work-programme`}>{w('wp.backToProgramme')}</Link>
      </p>
      {item.error ? <LoadError error={item.error} onRetry={item.reload} /> : null}
      {!data ? item.error ? null : <Loading /> : <WorkItemBody slug={slug} item={data} onChange={item.setData} />}
    </div>
  );
}

function WorkItemBody({ slug, item, onChange }: { slug: string; item: WorkItem; onChange: (item: WorkItem) => void }) {
  const { w } = useWp();
  const [writing, setWriting] = useState<'edit' | 'consultation' | null>(null);
  const fields: [string, string][] = [
    [w('wp.field.scope'), item.scope],
    [w('wp.field.summary'), item.summary],
    [w('wp.field.baseText'), item.baseText],
    [w('wp.field.relations'), item.relations],
    [w('wp.field.liaisons'), item.liaisons],
    [w('wp.field.supporting'), item.supportingMembers],
  ];
  return (
    <>
      <dl className="facts">
        <dt>{w('wp.col.status')}</dt>
        <dd>
          <strong>{w(`wp.status.${item.status}`)}</strong> · <Instant iso={item.statusChangedAt} />
        </dd>
        <dt>{w('wp.field.question')}</dt>
        <dd>{item.question || w('wp.none')}</dd>
        <dt>{w('wp.field.process')}</dt>
        <dd>{w(`wp.process.${item.approvalProcess}`)}</dd>
        <dt>{w('wp.field.timing')}</dt>
        <dd>{item.timing || w('wp.none')}</dd>
        <dt>{w('wp.field.editors')}</dt>
        <dd>
          {item.editors.length
            ? item.editors.map((e, i) => (
                <span key={e.id}>
                  {i ? '; ' : ''}
                  <bdi>{e.name}</bdi>, <bdi>{e.affiliation}</bdi>
                </span>
              ))
            : w('wp.none')}
        </dd>
      </dl>
      {item.abilities.manage && !writing ? (
        <p>
          <button type="button" onClick={() => setWriting('edit')}>
            {w('wp.form.edit')}
          </button>
          {item.status === 'determined' || item.status === 'consented' ? (
            <>
              {' '}
              <button type="button" onClick={() => setWriting('consultation')}>
                {w('cons.form.issueTitle')}
              </button>
            </>
          ) : null}
        </p>
      ) : null}
      {writing === 'edit' ? (
        <WorkItemForm
          slug={slug}
          item={item}
          onSaved={(saved) => {
            onChange(saved);
            setWriting(null);
          }}
          onCancel={() => setWriting(null)}
        />
      ) : null}
      {writing === 'consultation' ? <IssueConsultationForm slug={slug} preselected={item.id} onCancel={() => setWriting(null)} /> : null}
      {item.abilities.manage ? <MoveStatus key={item.version} slug={slug} item={item} onChange={onChange} /> : null}
      <section className="panel" aria-labelledby="a1-title">
        <h2 id="a1-title">{w('wp.a1')}</h2>
        <dl>
          {fields
            .filter(([, v]) => v)
            .map(([label, value]) => (
              <div key={label}>
                <dt>{label}</dt>
                <dd className="prewrap">
                  <bdi>{value}</bdi>
                </dd>
              </div>
            ))}
        </dl>
      </section>
      <section className="panel" aria-labelledby="docs-title">
        <h2 id="docs-title">{w('wp.documents')}</h2>
        {item.documents.length === 0 ? (
          <p>{w('wp.documents.none')}</p>
        ) : (
          <ul>
            {item.documents.map((d) => (
              <li key={d.id}>
                <Link href={`/groups/${d.group.slug}/documents/${d.id}`}>
                  <bdi>{d.title}</bdi>
                </Link>{' '}
                <span className="hint">
                  (<bdi>{d.group.acronym}</bdi>) · {w('wp.documents.revisions', { count: d.revisions.length })} ·{' '}
                  {w('wp.documents.periods', { count: d.periods.length })} ·{' '}
                  {w('wp.documents.comments', { comments: d.dispositions.comments, decided: d.dispositions.decided })}
                  {d.finalReport ? <> · {w('wp.documents.final', { revision: d.finalReport.revision })}</> : null}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      {item.consultations.length ? (
        <section className="panel" aria-labelledby="wp-cons-title">
          <h2 id="wp-cons-title">{w('wp.consultations')}</h2>
          <ul>
            {item.consultations.map((c) => (
              <li key={c.id}>
                <Link href={`/groups/${slug}/consultations/${c.id}`}>
                  <bdi>{c.reference}</bdi>
                </Link>{' '}
                · {w('cons.closes')}: <Instant iso={c.deadline} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section className="panel" aria-labelledby="history-title">
        <h2 id="history-title">{w('wp.history')}</h2>
        <ol className="history">
          {item.history.map((h) => (
            <li key={h.id}>
              <Instant iso={h.at} /> – {h.from ? `${w(`wp.status.${h.from}`)} → ` : ''}
              <strong>{w(`wp.status.${h.to}`)}</strong>
              {h.by ? (
                <>
                  {' '}
                  {w('wp.history.by', { name: '' })}
                  <bdi>{h.by.name}</bdi>
                </>
              ) : null}
              {h.note ? (
                <>
                  {' '}
                  · <bdi>{h.note}</bdi>
                </>
              ) : null}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}

function MoveStatus({ slug, item, onChange }: { slug: string; item: WorkItem; onChange: (item: WorkItem) => void }) {
  const { w, t } = useWp();
  const announce = useAnnounce();
  const [to, setTo] = useState<string>(item.nextStatuses[0] ?? '');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (!item.nextStatuses.length) return <p className="hint">{w('wp.move.final')}</p>;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const next = await workprogApi.moveWorkItem(slug, item.id, { to, note: note || undefined, expectedVersion: item.version });
      onChange(next);
      setTo(next.nextStatuses[0] ?? '');
      setNote('');
      announce(w('wp.move.done', { status: w(`wp.status.${next.status as Status}`) }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="move-title">
      <h2 id="move-title">{w('wp.move')}</h2>
      <label>
        {w('wp.move.to')}{' '}
        <select value={to} onChange={(e) => setTo(e.target.value)}>
          {item.nextStatuses.map((s) => (
            <option key={s} value={s}>
              {w(`wp.status.${s}`)}
            </option>
          ))}
        </select>
      </label>{' '}
      <label>
        {w('wp.move.note')} <input value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
      </label>{' '}
      <button type="submit" disabled={busy}>
        {w('wp.move.submit')}
      </button>
      {error ? (
        <p className="error" role="alert">
          {errorMessage(error, t)}
        </p>
      ) : null}
    </form>
  );
}
