// A document's outgoing liaison statements with their state (sent, answered, deadline passed) and
// each body's answers, as every member sees them; contact addresses only for the conveners.
import '../../i18n/open-consultation/index.ts';
import { useState, type FormEvent } from 'react';
import { request } from '../../api/http.ts';
import { ROUTES } from '../../api/routes.ts';
import { useAnnounce } from '../../components/announcer.tsx';
import { fieldError, FormError } from '../../components/errors.tsx';
import { Field } from '../../components/field.tsx';
import { Instant } from '../../components/instant.tsx';
import { fromZonedInput } from '../../lib/zoned-time.ts';
import { formatNumber, useI18n } from '../../i18n/index.tsx';
import { useResource } from '../../lib/use-resource.ts';
import { parseBodies } from './liaison-bodies.ts';

interface Liaison {
  id: string;
  title: string;
  purpose: 'information' | 'action' | 'comment';
  deadline: string;
  state: 'sent' | 'answered' | 'deadline_passed';
  bodies: { id: string; name: string; answers: number; contacts: { id: string; name: string; email: string | null }[] }[];
}

interface PeriodChoice {
  id: string;
  label: string;
}

export function LiaisonsPanel({
  slug,
  documentId,
  manage = false,
  periods = [],
  timeZone = 'UTC',
}: {
  slug: string;
  documentId: string;
  manage?: boolean;
  periods?: PeriodChoice[];
  timeZone?: string;
}) {
  const { t, locale } = useI18n();
  const liaisons = useResource(() => request<{ liaisons: Liaison[] }>(ROUTES.liaisons, { params: { slug, documentId } }), [slug, documentId]);
  const list = liaisons.data?.liaisons ?? [];
  if (!list.length && !(manage && periods.length)) return null;
  return (
    <section aria-labelledby="liaisons-title" data-testid="liaisons">
      <h2 id="liaisons-title">{t('oc.liaisons')}</h2>
      {manage && periods.length ? <SendLiaison slug={slug} documentId={documentId} periods={periods} timeZone={timeZone} onSent={liaisons.reload} /> : null}
      <ul className="card-list">
        {list.map((l) => (
          <li key={l.id} className="card" data-testid="liaison" data-state={l.state}>
            <h3 dir="auto">{l.title}</h3>
            <p>
              <span className="badge">{t(`oc.liaisonState.${l.state}`)}</span> {t('oc.liaisonPurpose', { purpose: t(`oc.purpose.${l.purpose}`) })} ·{' '}
              {t('oc.deadline')} <Instant iso={l.deadline} />
            </p>
            <ul>
              {l.bodies.map((b) => (
                <li key={b.id}>
                  <bdi>{b.name}</bdi> · {t('oc.bodyAnswers', { count: formatNumber(locale, b.answers) })}
                  {b.contacts.some((c) => c.email) ? (
                    <span className="hint">
                      {' '}
                      (
                      {b.contacts
                        .map((c) => c.email)
                        .filter(Boolean)
                        .join(', ')}
                      )
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}

function SendLiaison({
  slug,
  documentId,
  periods,
  timeZone,
  onSent,
}: {
  slug: string;
  documentId: string;
  periods: PeriodChoice[];
  timeZone: string;
  onSent: () => void;
}) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const [title, setTitle] = useState('');
  const [purpose, setPurpose] = useState<Liaison['purpose']>('comment');
  const [periodId, setPeriodId] = useState(periods[0]?.id ?? '');
  const [text, setText] = useState('');
  const [deadline, setDeadline] = useState('');
  const [bodies, setBodies] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [bodiesError, setBodiesError] = useState<string | undefined>(undefined);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const parsed = parseBodies(bodies);
    setBodiesError(parsed ? undefined : t('oc.liaisonBodiesInvalid'));
    if (!parsed) return;
    try {
      await request(ROUTES.sendLiaison, {
        params: { slug, documentId },
        body: { periodId, title, purpose, text, deadline: fromZonedInput(deadline, timeZone) ?? deadline, bodies: parsed },
      });
      announce(t('oc.liaisonSent'));
      setTitle('');
      setText('');
      setBodies('');
      onSent();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <details>
      <summary>{t('oc.sendLiaison')}</summary>
      <form onSubmit={submit} noValidate>
        <Field label={t('oc.liaisonTitleField')} error={fieldError(error, 'title', t)}>
          {(p) => <input {...p} required dir="auto" value={title} onChange={(e) => setTitle(e.target.value)} />}
        </Field>
        <Field label={t('oc.liaisonPeriod')} error={fieldError(error, 'periodId', t)}>
          {(p) => (
            <select {...p} value={periodId} onChange={(e) => setPeriodId(e.target.value)}>
              {periods.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('oc.liaisonPurpose', { purpose: '…' })}>
          {(p) => (
            <select {...p} value={purpose} onChange={(e) => setPurpose(e.target.value as Liaison['purpose'])}>
              {(['information', 'action', 'comment'] as const).map((x) => (
                <option key={x} value={x}>
                  {t(`oc.purpose.${x}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('oc.liaisonText')} error={fieldError(error, 'text', t)}>
          {(p) => <textarea {...p} rows={6} required dir="auto" value={text} onChange={(e) => setText(e.target.value)} />}
        </Field>
        <Field label={t('oc.liaisonDeadline', { zone: timeZone })} error={fieldError(error, 'deadline', t)}>
          {(p) => <input {...p} type="datetime-local" required value={deadline} onChange={(e) => setDeadline(e.target.value)} />}
        </Field>
        <Field label={t('oc.liaisonBodiesField')} hint={t('oc.liaisonBodiesHint')} error={bodiesError ?? fieldError(error, 'bodies', t)}>
          {(p) => <textarea {...p} rows={3} required value={bodies} onChange={(e) => setBodies(e.target.value)} />}
        </Field>
        <div className="actions">
          <button type="submit">{t('oc.liaisonSend')}</button>
        </div>
        <FormError error={error} fields={['title', 'periodId', 'text', 'deadline', 'bodies']} />
      </form>
    </details>
  );
}
