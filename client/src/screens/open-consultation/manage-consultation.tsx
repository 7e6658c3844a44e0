// The conveners' side of a period open beyond the members: who may comment and how outside
// comments are moderated, the review queue (publish, or reject with a reason that is kept), and
// the analysis of the responses with the CSV of all of them.
import '../../i18n/open-consultation/index.ts';
import { useState, type FormEvent } from 'react';
import { consultationApi, type ModerationQueue, type Openness, type OpennessInput } from '../../api/open-consultation-endpoints.ts';
import { useAnnounce } from '../../components/announcer.tsx';
import { FormError, LoadError, Loading } from '../../components/errors.tsx';
import { Field } from '../../components/field.tsx';
import { PageHeading } from '../../components/page-heading.tsx';
import { formatNumber, useI18n } from '../../i18n/index.tsx';
import { useResource } from '../../lib/use-resource.ts';
import { REGIONS, STAKEHOLDER_GROUPS } from './consultation-page.tsx';

interface Props {
  slug: string;
  documentId: string;
  periodId: string;
}

export function ManageConsultationScreen(props: Props) {
  const { t } = useI18n();
  const settings = useResource(() => consultationApi.openness(props.slug, props.documentId, props.periodId), [props.slug, props.documentId, props.periodId]);
  if (settings.error && !settings.data) return <LoadError error={settings.error} onRetry={settings.reload} />;
  if (!settings.data) return <Loading />;
  return (
    <div className="page">
      <PageHeading title={t('oc.manageTitle')} />
      <Settings {...props} openness={settings.data} onSaved={settings.setData} />
      <Queue {...props} />
      <Analysis {...props} />
    </div>
  );
}

function Settings({ slug, documentId, periodId, openness, onSaved }: Props & { openness: Openness; onSaved: (o: Openness) => void }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const [value, setValue] = useState<OpennessInput['openness']>(openness.openness);
  const [moderation, setModeration] = useState<NonNullable<OpennessInput['outsideModeration']>>(openness.outsideModeration);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      onSaved(
        await consultationApi.setOpenness(slug, documentId, periodId, {
          openness: value,
          outsideModeration: moderation,
          publishMemberComments: openness.publishMemberComments,
          consultationIntro: openness.consultationIntro,
        }),
      );
      announce(t('oc.settingsSaved'));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section className="panel" aria-labelledby="settings-title">
      <h2 id="settings-title">{t('oc.settings')}</h2>
      <form onSubmit={submit} noValidate>
        <Field label={t('oc.openness')}>
          {(p) => (
            <select {...p} value={value} onChange={(e) => setValue(e.target.value as OpennessInput['openness'])}>
              {(['members', 'invited_organisations', 'anyone'] as const).map((o) => (
                <option key={o} value={o}>
                  {t(`oc.openness.${o}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('oc.moderation')}>
          {(p) => (
            <select {...p} value={moderation} onChange={(e) => setModeration(e.target.value as typeof moderation)}>
              {(['after_review', 'immediate'] as const).map((o) => (
                <option key={o} value={o}>
                  {t(`oc.moderation.${o}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="actions">
          <button type="submit">{t('oc.saveSettings')}</button>
          {openness.publicUrl ? <a href={new URL(openness.publicUrl).pathname}>{t('oc.publicLink')}</a> : null}
        </div>
        <FormError error={error} />
      </form>
    </section>
  );
}

function Queue({ slug, documentId, periodId }: Props) {
  const { t, locale } = useI18n();
  const queue = useResource(() => consultationApi.queue(slug, documentId, periodId), [slug, documentId, periodId]);
  if (queue.error && !queue.data) return <LoadError error={queue.error} onRetry={queue.reload} />;
  if (!queue.data) return <Loading />;
  const q: ModerationQueue = queue.data;
  return (
    <section className="panel" aria-labelledby="queue-title">
      <h2 id="queue-title">
        {t('oc.queue')} <span className="hint">{t('oc.queueCount', { count: formatNumber(locale, q.total) })}</span>
      </h2>
      {q.items.length === 0 ? <p className="hint">{t('oc.queueEmpty')}</p> : null}
      <ul className="comment-list">
        {q.items.map((item) => (
          <QueueItem key={item.id} item={item} onDone={queue.reload} {...{ slug, documentId, periodId }} />
        ))}
      </ul>
    </section>
  );
}

function QueueItem({ item, onDone, slug, documentId, periodId }: Props & { item: ModerationQueue['items'][number]; onDone: () => void }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const [reason, setReason] = useState<'spam' | 'off_topic' | 'other'>('spam');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const decide = async (decision: 'approve' | 'reject') => {
    setError(null);
    try {
      await consultationApi.moderate(slug, documentId, periodId, item.id, decision === 'approve' ? { decision, note } : { decision, reason, note });
      announce(t(decision === 'approve' ? 'oc.approved' : 'oc.rejected'));
      onDone();
    } catch (err) {
      setError(err);
    }
  };
  const who = item.participant;
  return (
    <li className="comment" data-testid="queue-item">
      <p className="hint">
        <bdi>{who.name}</bdi>
        {who.organisation ? (
          <>
            {' '}
            — <bdi>{who.organisation}</bdi>
          </>
        ) : null}{' '}
        · {t(`oc.stakeholder.${who.stakeholderGroup}`)}
        {who.region ? ` · ${t(`oc.region.${who.region}`)}` : ''} {who.email ? <bdi className="email">{who.email}</bdi> : null}
      </p>
      <p dir="auto">{item.body}</p>
      {item.proposedChange ? (
        <p dir="auto">
          <strong>{t('oc.proposedChange')}:</strong> {item.proposedChange}
        </p>
      ) : null}
      <div className="actions">
        <button type="button" onClick={() => void decide('approve')}>
          {t('oc.approve')}
        </button>
        <Field label={t('oc.reason')}>
          {(p) => (
            <select {...p} value={reason} onChange={(e) => setReason(e.target.value as typeof reason)}>
              {(['spam', 'off_topic', 'other'] as const).map((r) => (
                <option key={r} value={r}>
                  {t(`oc.reason.${r}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('oc.note')}>{(p) => <input {...p} value={note} onChange={(e) => setNote(e.target.value)} />}</Field>
        <button type="button" className="secondary" onClick={() => void decide('reject')}>
          {t('oc.reject')}
        </button>
      </div>
      <FormError error={error} />
    </li>
  );
}

function Analysis({ slug, documentId, periodId }: Props) {
  const { t, locale } = useI18n();
  const [stakeholderGroup, setStakeholderGroup] = useState('');
  const [region, setRegion] = useState('');
  const analysis = useResource(
    () => consultationApi.analysis(slug, documentId, periodId, { ...(stakeholderGroup ? { stakeholderGroup } : {}), ...(region ? { region } : {}) }),
    [slug, documentId, periodId, stakeholderGroup, region],
  );
  const table = (title: string, rows: [string, number][], id: string) => (
    <table className="data-table" aria-labelledby={id}>
      <caption id={id}>{title}</caption>
      <tbody>
        {rows.map(([label, count]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td>{formatNumber(locale, count)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  const a = analysis.data;
  return (
    <section className="panel" aria-labelledby="analysis-title">
      <h2 id="analysis-title">{t('oc.analysis')}</h2>
      <div className="actions">
        <Field label={t('oc.filterStakeholder')}>
          {(p) => (
            <select {...p} value={stakeholderGroup} onChange={(e) => setStakeholderGroup(e.target.value)}>
              <option value="">{t('oc.filterAll')}</option>
              {STAKEHOLDER_GROUPS.map((g) => (
                <option key={g} value={g}>
                  {t(`oc.stakeholder.${g}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('oc.filterRegion')}>
          {(p) => (
            <select {...p} value={region} onChange={(e) => setRegion(e.target.value)}>
              <option value="">{t('oc.filterAll')}</option>
              {REGIONS.map((r) => (
                <option key={r} value={r}>
                  {t(`oc.region.${r}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {analysis.error ? <LoadError error={analysis.error} onRetry={analysis.reload} /> : null}
      {a ? (
        <>
          {table(
            t('oc.byOrigin'),
            (['member', 'liaison', 'public'] as const).map((o) => [t(`oc.origin.${o}`), a.byOrigin[o]]),
            'by-origin',
          )}
          {table(
            t('oc.byStakeholderGroup'),
            Object.entries(a.byStakeholderGroup).map(([g, n]) => [t(`oc.stakeholder.${g as (typeof STAKEHOLDER_GROUPS)[number]}`), n]),
            'by-group',
          )}
          {table(
            t('oc.byRegion'),
            Object.entries(a.byRegion).map(([r, n]) => [t(`oc.region.${r as (typeof REGIONS)[number] | 'unstated'}`), n]),
            'by-region',
          )}
          {a.questions.map((q, i) =>
            q.kind === 'free_text' ? (
              <p key={q.id}>
                <bdi>{q.prompt}</bdi>: {t('oc.answers', { count: formatNumber(locale, q.answers) })}
              </p>
            ) : (
              <div key={q.id}>
                {table(
                  q.prompt,
                  q.choices.map((c) => [c.label, c.count]),
                  `question-${i}`,
                )}
              </div>
            ),
          )}
        </>
      ) : (
        <Loading />
      )}
      <p>
        <a href={consultationApi.csvUrl(slug, documentId, periodId)} download>
          {t('oc.csv')}
        </a>
      </p>
    </section>
  );
}
