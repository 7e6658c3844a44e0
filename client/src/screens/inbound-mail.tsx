// The operator's inbound mail log: every message that reached Convene (embedded SMTP receiver,
// MTA pipe, IMAP), what became of it (posted, refused and why, ignored as machine mail, a bounce)
// and what the authentication checks found. Sender addresses are shown here only: the operator's.
import { useState } from 'react';
import { api } from '../api/endpoints.ts';
import { LoadError, Loading } from '../components/errors.tsx';
import { Field } from '../components/field.tsx';
import { Instant } from '../components/instant.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { useI18n } from '../i18n/index.tsx';
import type { MessageKey } from '../i18n/translate.ts';
import { useResource } from '../lib/use-resource.ts';
import { useSession } from '../session.tsx';

const OUTCOMES = ['pending', 'accepted', 'refused', 'ignored', 'bounce'] as const;
type Outcome = (typeof OUTCOMES)[number];

export function InboundMailScreen() {
  const { t } = useI18n();
  const { user } = useSession();
  return (
    <div className="page">
      <PageHeading title={t('inbound.title')} />
      {user?.isOperator ? <InboundLog /> : <p role="alert">{t('inbound.operatorOnly')}</p>}
    </div>
  );
}

function InboundLog() {
  const { t } = useI18n();
  const [outcome, setOutcome] = useState<Outcome | ''>('');
  const log = useResource(() => api.inboundMail({ outcome: outcome || undefined, limit: 200 }), [outcome]);
  return (
    <>
      <p>{t('inbound.intro')}</p>
      <Field label={t('inbound.filter')}>
        {(props) => (
          <select {...props} value={outcome} onChange={(e) => setOutcome(e.target.value as Outcome | '')}>
            <option value="">{t('inbound.all')}</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {t(`inbound.outcome.${o}` as MessageKey)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {log.error ? <LoadError error={log.error} onRetry={log.reload} /> : null}
      {!log.data ? (
        log.error ? null : (
          <Loading />
        )
      ) : log.data.messages.length === 0 ? (
        <p>{t('inbound.empty')}</p>
      ) : (
        <div className="table-scroll">
          <table className="mailbox">
            <thead>
              <tr>
                <th scope="col">{t('inbound.received')}</th>
                <th scope="col">{t('mailbox.from')}</th>
                <th scope="col">{t('mailbox.subject')}</th>
                <th scope="col">{t('inbound.outcome')}</th>
                <th scope="col">{t('inbound.detail')}</th>
                <th scope="col">{t('inbound.authentication')}</th>
              </tr>
            </thead>
            <tbody>
              {log.data.messages.map((m) => (
                <tr key={m.id}>
                  <td>
                    <Instant iso={m.receivedAt} utc={false} />
                    {m.deliveries > 1 ? <div className="hint">{t('inbound.deliveries', { count: m.deliveries })}</div> : null}
                  </td>
                  <td>
                    <bdi>{m.from ?? '—'}</bdi>
                  </td>
                  <td>
                    <bdi>{m.subject ?? '—'}</bdi>
                  </td>
                  <td>
                    {t(`inbound.outcome.${m.outcome}` as MessageKey)}
                    {m.reason ? <div className="hint">{m.reason}</div> : null}
                  </td>
                  <td>
                    <bdi>{m.detail ?? ''}</bdi>
                    {m.resultUrl ? (
                      <div>
                        <a href={m.resultUrl}>{t('inbound.open')}</a>
                      </div>
                    ) : null}
                  </td>
                  <td>{m.authentication ? `DKIM ${m.authentication.dkim}, SPF ${m.authentication.spf}, DMARC ${m.authentication.dmarc}` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
