// A document's comment periods: each with its revision, opening, deadline and the extensions
// with their reasons (seed 000: a deadline moves only by a convener's recorded, announced act).
// Conveners open a period on a revision, extend an open one with a reason, or close it now;
// nobody else sees those controls. Times are typed in the group's zone (the zone its timeframe
// is written in) and shown back in the reader's zone with UTC beside them. Every API error stands
// next to the field or button that caused it, and what was typed stays.
import '../../i18n/documents/index.ts';
import '../../i18n/periods/index.ts';
import '../../i18n/open-consultation/index.ts';
import './periods.css';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { docsApi, type Document, type Period } from '../../api/document-endpoints.ts';
import { api, type Group } from '../../api/endpoints.ts';
import { periodsApi } from '../../api/period-endpoints.ts';
import { useAnnounce } from '../../components/announcer.tsx';
import { fieldError, FormError, LoadError, Loading } from '../../components/errors.tsx';
import { Field } from '../../components/field.tsx';
import { Instant } from '../../components/instant.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { formatInstant, useI18n } from '../../i18n/index.tsx';
import { useDocumentLive } from '../../lib/live-document.ts';
import { useResource } from '../../lib/use-resource.ts';
import { fromZonedInput, toZonedInput } from '../../lib/zoned-time.ts';
import { LiaisonsPanel } from '../open-consultation/liaisons-panel.tsx';

interface Loaded {
  group: Group;
  document: Document;
  periods: Period[];
}

type PeriodPhase = 'upcoming' | 'open' | 'closed';
const phaseOf = (p: Period, now: number): PeriodPhase => (Date.parse(p.opensAt.iso) > now ? 'upcoming' : now < Date.parse(p.closesAt.iso) ? 'open' : 'closed');

export function PeriodsScreen({ slug, documentId }: { slug: string; documentId: string }) {
  const { t } = useI18n();
  const resource = useResource(async (): Promise<Loaded> => {
    const [group, document, { periods }] = await Promise.all([api.group(slug), docsApi.document(slug, documentId), docsApi.periods(slug, documentId)]);
    return { group, document, periods };
  }, [slug, documentId]);
  const { data, reload } = resource;
  const now = useNowAtEdges(data?.periods);
  // Another convener's change (or the deadline's digest) arrives live; a missed one by refetching.
  const onEvent = useCallback(
    (name: string) => {
      if (name.startsWith('periods.')) reload();
    },
    [reload],
  );
  useDocumentLive(documentId, { event: onEvent, refetch: reload });

  if (!data) {
    return (
      <div className="page narrow-page">
        <PageHeading title={t('periods.title')} />
        {resource.error ? <LoadError error={resource.error} onRetry={reload} /> : <Loading />}
      </div>
    );
  }
  const { group, document, periods } = data;
  const manage = !!group.abilities['periods.manage'];
  const shown = [...periods].sort((a, b) => Date.parse(b.opensAt.iso) - Date.parse(a.opensAt.iso));
  return (
    <div className="page narrow-page periods-page">
      <PageHeading title={`${t('periods.title')} · ${document.title}`}>
        {t('periods.title')} · <bdi>{document.title}</bdi>
      </PageHeading>
      <p>
        <Link href={`/groups/${slug}/documents/${documentId}`}>{t('revision.back')}</Link>
      </p>
      <p className="hint">{manage ? t('periods.introManage', { zone: group.timeZone }) : t('periods.intro')}</p>
      {shown.length === 0 ? (
        <p data-testid="no-periods">{t('periods.none')}</p>
      ) : (
        <ol className="card-list period-list">
          {shown.map((p) => (
            <li key={p.id} className="card" data-testid="period" data-period-id={p.id} data-phase={phaseOf(p, now)}>
              <PeriodCard
                period={p}
                phase={phaseOf(p, now)}
                reopenable={isLastOfRevision(p, periods)}
                manage={manage}
                group={group}
                documentId={documentId}
                onChanged={reload}
              />
            </li>
          ))}
        </ol>
      )}
      <LiaisonsPanel
        slug={slug}
        documentId={documentId}
        manage={manage}
        timeZone={group.timeZone}
        periods={shown.map((p) => ({ id: p.id, label: t('doc.revisionOf', { sequence: p.revision.sequence, label: p.revision.label }) }))}
      />
      {manage ? <OpenPeriodForm group={group} document={document} onOpened={reload} /> : null}
    </div>
  );
}

/** A deadline change as the history names it: an extension made after the deadline (database clock) reopened the period. */
const extensionKind = (e: Period['extensions'][number]) =>
  Date.parse(e.newClosesAt) <= Date.parse(e.previousClosesAt)
    ? 'periods.closedBy'
    : Date.parse(e.at) >= Date.parse(e.previousClosesAt)
      ? 'periods.reopenedBy'
      : 'periods.extendedBy';

// A closed period can be reopened by extending it (the server refuses a deadline that runs into
// another period of the same revision), so only the last period of a revision offers it.
const isLastOfRevision = (p: Period, periods: Period[]) =>
  !periods.some((o) => o.id !== p.id && o.revision.id === p.revision.id && Date.parse(o.opensAt.iso) >= Date.parse(p.closesAt.iso));

function PeriodCard({
  period: p,
  phase,
  reopenable,
  manage,
  group,
  documentId,
  onChanged,
}: {
  period: Period;
  phase: PeriodPhase;
  reopenable: boolean;
  manage: boolean;
  group: Group;
  documentId: string;
  onChanged: () => void;
}) {
  const { t, tb } = useI18n();
  const headingId = `period-${p.id}`;
  return (
    <article aria-labelledby={headingId}>
      <h2 id={headingId}>
        {t('doc.revisionOf', { sequence: p.revision.sequence, label: p.revision.label })}{' '}
        <span className={`badge period-${phase}`}>{t(`periods.phase.${phase}`)}</span>
      </h2>
      <dl className="phase-summary">
        <div>
          <dt>{t('doc.period.opens')}</dt>
          <dd>
            <Instant iso={p.opensAt.iso} />
          </dd>
        </div>
        <div>
          <dt>{phase === 'closed' ? t('doc.period.closedAt') : t('doc.period.deadline')}</dt>
          <dd data-testid="period-deadline">
            <Instant iso={p.closesAt.iso} />
          </dd>
        </div>
        <div>
          <dt>{t('oc.openness')}</dt>
          <dd data-testid="period-openness">
            {t(`oc.openness.${p.openness}`)}
            {p.openness === 'anyone' ? (
              <>
                {' · '}
                <Link href={`/consult/${p.id}`}>{t('oc.publicLink')}</Link>
              </>
            ) : null}
            {manage && p.openness !== 'members' ? (
              <>
                {' · '}
                <Link href={`/groups/${group.slug}/documents/${documentId}/periods/${p.id}/consultation`}>{t('oc.manageTitle')}</Link>
              </>
            ) : null}
          </dd>
        </div>
      </dl>
      {p.extensions.length ? (
        <>
          <h3>{t('periods.history')}</h3>
          <ul className="extension-list">
            {p.extensions.map((e) => (
              <li key={e.id} data-testid="extension">
                {tb(extensionKind(e), { name: e.by?.name ?? t('periods.someone') })} <Instant iso={e.newClosesAt} utc={false} /> ·{' '}
                <span className="hint">
                  {t('periods.before')} <Instant iso={e.previousClosesAt} utc={false} />
                </span>
                <blockquote className="extension-reason" dir="auto">
                  <bdi>{e.reason}</bdi>
                </blockquote>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {manage && phase !== 'closed' ? (
        <div className="period-actions">
          {phase === 'open' ? <ExtendForm period={p} group={group} documentId={documentId} onDone={onChanged} /> : null}
          <CloseForm period={p} phase={phase} group={group} documentId={documentId} onDone={onChanged} />
        </div>
      ) : null}
      {manage && phase === 'closed' && reopenable ? <ReopenPanel period={p} group={group} documentId={documentId} onDone={onChanged} /> : null}
    </article>
  );
}

/** Folded away: reopening after a hard deadline is the exception, and a closed period's card stays a record. */
function ReopenPanel({ period, group, documentId, onDone }: { period: Period; group: Group; documentId: string; onDone: () => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const formId = `reopen-form-${period.id}`;
  return (
    <div className="period-actions">
      <button type="button" className="secondary" aria-expanded={open} aria-controls={open ? formId : undefined} onClick={() => setOpen((o) => !o)}>
        {t('periods.reopenToggle')}
      </button>
      {open ? <ExtendForm id={formId} reopen period={period} group={group} documentId={documentId} onDone={onDone} /> : null}
    </div>
  );
}

/** The clock, re-read when the next opening or deadline of these periods passes (an open period closes on screen). */
function useNowAtEdges(periods: Period[] | undefined): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const edges = (periods ?? []).flatMap((p) => [Date.parse(p.opensAt.iso), Date.parse(p.closesAt.iso)]).filter((at) => at > now);
    if (!edges.length) return;
    const timer = setTimeout(() => setNow(Date.now()), Math.min(Math.min(...edges) - Date.now() + 50, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [periods, now]);
  return Math.max(now, Date.now());
}

/** A datetime-local field read in the group's zone, with the instant it means shown below it. */
function ZonedField({
  label,
  value,
  onChange,
  zone,
  error,
  name,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  zone: string;
  error: string | undefined;
  name: string;
}) {
  const { t } = useI18n();
  const iso = fromZonedInput(value, zone);
  return (
    <div className="zoned-field">
      <Field label={label} hint={t('periods.inZone', { zone })} error={error}>
        {(p) => <input {...p} type="datetime-local" name={name} required value={value} onChange={(e) => onChange(e.target.value)} />}
      </Field>
      <p className="hint zoned-preview" data-testid={`${name}-preview`}>
        {iso ? (
          <>
            {t('periods.means')} <Instant iso={iso} />
          </>
        ) : (
          '\u00a0'
        )}
      </p>
    </div>
  );
}

function OpenPeriodForm({ group, document, onOpened }: { group: Group; document: Document; onOpened: () => void }) {
  const { t, locale } = useI18n();
  const announce = useAnnounce();
  const zone = group.timeZone;
  const latest = document.latestRevision?.sequence ?? document.revisions.at(-1)?.sequence;
  const [revision, setRevision] = useState(latest ? String(latest) : '');
  const [opensAt, setOpensAt] = useState(() => toZonedInput(Date.now(), zone));
  const [closesAt, setClosesAt] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (latest === undefined) return <p className="hint">{t('periods.noRevision')}</p>;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const opens = fromZonedInput(opensAt, zone);
    const closes = fromZonedInput(closesAt, zone);
    if (!opens || !closes) return; // the browser's own check of the fields says which
    setBusy(true);
    setError(null);
    try {
      const period = await periodsApi.open(group.slug, document.id, { revision: Number(revision), opensAt: opens, closesAt: closes });
      announce(t('periods.opened', { sequence: period.revision.sequence, deadline: formatInstant(locale, period.closesAt.iso) }));
      setClosesAt('');
      onOpened();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="open-period-title" className="panel open-period">
      <h2 id="open-period-title">{t('periods.openTitle')}</h2>
      <form onSubmit={submit} data-testid="open-period-form">
        <Field label={t('doc.revision')} error={fieldError(error, 'revision', t)}>
          {(p) => (
            <select {...p} name="revision" value={revision} onChange={(e) => setRevision(e.target.value)}>
              {[...document.revisions].reverse().map((r) => (
                <option key={r.id} value={r.sequence}>
                  {t('doc.revisionOf', { sequence: r.sequence, label: r.label })}
                </option>
              ))}
            </select>
          )}
        </Field>
        <ZonedField name="opensAt" label={t('periods.opensAt')} value={opensAt} onChange={setOpensAt} zone={zone} error={fieldError(error, 'opensAt', t)} />
        <ZonedField
          name="closesAt"
          label={t('periods.closesAt')}
          value={closesAt}
          onChange={setClosesAt}
          zone={zone}
          error={fieldError(error, 'closesAt', t)}
        />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t('periods.open')}
          </button>
        </div>
        <FormError error={error} fields={['revision', 'opensAt', 'closesAt']} />
      </form>
    </section>
  );
}

const WEEK_MS = 7 * 86_400_000;

/** Extends an open period; with `reopen`, gives a closed one a new deadline (a week from now, to start from). */
function ExtendForm({
  id,
  reopen = false,
  period,
  group,
  documentId,
  onDone,
}: {
  id?: string;
  reopen?: boolean;
  period: Period;
  group: Group;
  documentId: string;
  onDone: () => void;
}) {
  const { t, locale } = useI18n();
  const announce = useAnnounce();
  const zone = group.timeZone;
  const [closesAt, setClosesAt] = useState(() => toZonedInput(reopen ? Date.now() + WEEK_MS : period.closesAt.iso, zone));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const closes = fromZonedInput(closesAt, zone);
    if (!closes) return;
    setBusy(true);
    setError(null);
    try {
      const updated = await periodsApi.extend(group.slug, documentId, period.id, { closesAt: closes, reason });
      announce(t(reopen ? 'periods.reopened' : 'periods.extended', { deadline: formatInstant(locale, updated.closesAt.iso) }));
      setReason('');
      onDone();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form id={id} className="period-form" onSubmit={submit} aria-labelledby={`extend-${period.id}`} data-testid={reopen ? 'reopen-form' : 'extend-form'}>
      <h3 id={`extend-${period.id}`}>{t(reopen ? 'periods.reopenTitle' : 'periods.extendTitle')}</h3>
      {reopen ? <p className="hint">{t('periods.reopenHint')}</p> : null}
      <ZonedField
        name="newClosesAt"
        label={t('periods.newDeadline')}
        value={closesAt}
        onChange={setClosesAt}
        zone={zone}
        error={fieldError(error, 'closesAt', t)}
      />
      <Field label={t('periods.reason')} hint={t('periods.extendReasonHint')} error={fieldError(error, 'reason', t)}>
        {(p) => <textarea {...p} name="reason" rows={2} required dir="auto" value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <div className="actions">
        <button type="submit" disabled={busy}>
          {t(reopen ? 'periods.reopen' : 'periods.extend')}
        </button>
      </div>
      <FormError error={error} fields={['closesAt', 'reason']} />
    </form>
  );
}

function CloseForm({ period, phase, group, documentId, onDone }: { period: Period; phase: PeriodPhase; group: Group; documentId: string; onDone: () => void }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!window.confirm(t('periods.closeConfirm'))) return;
    setBusy(true);
    setError(null);
    try {
      await periodsApi.close(group.slug, documentId, period.id, { reason });
      announce(t('periods.closed'));
      setReason('');
      onDone();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="period-form" onSubmit={submit} aria-labelledby={`close-${period.id}`} data-testid="close-form">
      <h3 id={`close-${period.id}`}>{t('periods.closeTitle')}</h3>
      <p className="hint">{t(phase === 'upcoming' ? 'periods.closeUpcomingHint' : 'periods.closeHint')}</p>
      <Field label={t('periods.reason')} error={fieldError(error, 'reason', t)}>
        {(p) => <textarea {...p} name="reason" rows={2} required dir="auto" value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <div className="actions">
        <button type="submit" className="secondary" disabled={busy}>
          {t('periods.close')}
        </button>
      </div>
      <FormError error={error} fields={['reason']} />
    </form>
  );
}
