// The group's digest archive: every digest sent to the list, each readable as sent (HTML in an
// empty-sandbox iframe served with its own strict CSP, and the text part); conveners also see the
// delivery status (per recipient on a digest's page). Members choose here whether they also get
// each digest individually.
import '../i18n/documents/index.ts';
import { useState } from 'react';
import { Link } from 'wouter';
import { docsApi, type Delivery } from '../api/document-endpoints.ts';
import { api } from '../api/endpoints.ts';
import { urlOf } from '../api/http.ts';
import { ROUTES } from '../api/routes.ts';
import { useAnnounce } from '../components/announcer.tsx';
import { errorMessage, LoadError, Loading } from '../components/errors.tsx';
import { Instant } from '../components/instant.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { useI18n, type I18n } from '../i18n/index.tsx';
import { useResource } from '../lib/use-resource.ts';

const KINDS = [
  'draft_posted',
  'reminder',
  'period_closed',
  'deadline_extended',
  'conveners_draft_posted',
  'final_report_published',
  'milestone_reached',
] as const;
const kindLabel = (t: I18n['t'], kind: string) => ((KINDS as readonly string[]).includes(kind) ? t(`digest.kind.${kind as (typeof KINDS)[number]}`) : kind);
const STATES = ['sent', 'pending', 'failed', 'dead'] as const;
const stateLabel = (t: I18n['t'], state: string) =>
  (STATES as readonly string[]).includes(state) ? t(`digest.state.${state as (typeof STATES)[number]}`) : state;

export function DigestArchiveScreen({ slug }: { slug: string }) {
  const { t, tb } = useI18n();
  const group = useResource(() => api.group(slug), [slug]);
  const digests = useResource(() => docsApi.digests(slug), [slug]);
  const manager = !!group.data?.abilities['digests.manage'];
  return (
    <div className="page">
      <PageHeading title={t('digest.title')} />
      <p>
        <Link href={`/groups/${slug}`}>{group.data ? tb('doc.backToGroup', { group: group.data.name }) : t('common.back')}</Link>
      </p>
      {group.data?.myRole ? <SubscriptionToggle slug={slug} /> : null}
      <p className="hint">
        <Link href="/me/notifications">{t('notify.link')}</Link>
      </p>
      {digests.error ? <LoadError error={digests.error} onRetry={digests.reload} /> : null}
      {!digests.data ? (
        digests.error ? null : (
          <Loading />
        )
      ) : digests.data.digests.length === 0 ? (
        <p>{t('digest.empty')}</p>
      ) : (
        <div className="table-scroll">
          <table className="digests">
            <caption className="visually-hidden">{t('digest.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('digest.subject')}</th>
                <th scope="col">{t('digest.kind')}</th>
                <th scope="col">{t('digest.sentAt')}</th>
                {manager ? <th scope="col">{t('digest.delivery')}</th> : null}
              </tr>
            </thead>
            <tbody>
              {digests.data.digests.map((d) => (
                <tr key={d.id}>
                  <td>
                    <Link href={`/groups/${slug}/digests/${d.id}`}>{d.subject}</Link>
                    {d.late ? <span className="badge">{t('digest.late')}</span> : null}
                  </td>
                  <td>{kindLabel(t, d.kind)}</td>
                  <td>
                    <Instant iso={d.createdAt} />
                  </td>
                  {manager ? (
                    <td data-testid="delivery-counts">
                      {t('digest.counts', {
                        sent: d.delivery.sent,
                        total: d.delivery.total,
                        pending: d.delivery.pending,
                        failed: d.delivery.failed + d.delivery.dead,
                      })}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function SubscriptionToggle({ slug }: { slug: string }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const subscription = useResource(() => docsApi.subscription(slug), [slug]);
  const [error, setError] = useState<unknown>(null);
  // The box follows the click at once; on an error it returns to the saved state beside the message.
  const [pending, setPending] = useState<boolean | null>(null);
  const change = async (subscribed: boolean) => {
    setPending(subscribed);
    setError(null);
    try {
      subscription.setData(await docsApi.setSubscription(slug, subscribed));
      announce(subscribed ? t('digest.subscribed') : t('digest.unsubscribed'));
    } catch (caught) {
      setError(caught);
    } finally {
      setPending(null);
    }
  };
  if (!subscription.data) return subscription.error ? <LoadError error={subscription.error} onRetry={subscription.reload} /> : null;
  return (
    <div className="field subscription">
      <label className="checkbox">
        <input
          type="checkbox"
          checked={pending ?? subscription.data.subscribed}
          aria-busy={pending !== null}
          aria-describedby="subscription-hint"
          onChange={(e) => void change(e.target.checked)}
        />
        {t('digest.subscribe')}
      </label>
      <p className="hint" id="subscription-hint">
        {t('digest.subscribeHint')}
      </p>
      {error ? (
        <p className="error" role="alert">
          {errorMessage(error, t)}
        </p>
      ) : null}
    </div>
  );
}

export function DigestScreen({ slug, digestId }: { slug: string; digestId: string }) {
  const { t } = useI18n();
  const digest = useResource(() => docsApi.digest(slug, digestId), [slug, digestId]);
  const d = digest.data;
  return (
    <div className="page">
      <PageHeading title={d?.subject ?? t('digest.title')} />
      <p>
        <Link href={`/groups/${slug}/digests`}>{t('digest.back')}</Link>
      </p>
      {digest.error ? <LoadError error={digest.error} onRetry={digest.reload} /> : null}
      {!d ? (
        digest.error ? null : (
          <Loading />
        )
      ) : (
        <>
          <dl className="facts">
            <div>
              <dt>{t('digest.kind')}</dt>
              <dd>{kindLabel(t, d.kind)}</dd>
            </div>
            <div>
              <dt>{t('digest.sentAt')}</dt>
              <dd>
                <Instant iso={d.createdAt} />
              </dd>
            </div>
          </dl>
          <section aria-labelledby="digest-html-title">
            <h2 id="digest-html-title">{t('mailbox.html')}</h2>
            {/* An empty sandbox: no scripts, no same-origin access, no forms, no top navigation. */}
            <iframe
              className="mail-frame"
              sandbox=""
              title={t('mailbox.htmlFrame', { subject: d.subject })}
              src={urlOf(ROUTES.digestHtml, { params: { slug, digestId } })}
            />
          </section>
          <section aria-labelledby="digest-text-title">
            <h2 id="digest-text-title">{t('mailbox.text')}</h2>
            <pre className="mail-text" tabIndex={0} data-testid="digest-text">
              {d.text}
            </pre>
          </section>
          {d.deliveries ? <Deliveries deliveries={d.deliveries} /> : null}
        </>
      )}
    </div>
  );
}

function Deliveries({ deliveries }: { deliveries: Delivery[] }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">{t('digest.deliveries')}</h2>
      <div className="table-scroll">
        <table className="deliveries" data-testid="deliveries">
          <thead>
            <tr>
              <th scope="col">{t('digest.recipient')}</th>
              <th scope="col">{t('digest.state')}</th>
              <th scope="col">{t('digest.attempts')}</th>
              <th scope="col">{t('digest.lastError')}</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((x) => (
              <tr key={x.id}>
                <td>
                  <bdi>{x.recipient}</bdi>
                  {x.kind === 'list' ? <span className="hint"> ({t('digest.list')})</span> : null}
                </td>
                <td>
                  {stateLabel(t, x.state)}
                  {x.sentAt ? (
                    <>
                      {' '}
                      · <Instant iso={x.sentAt} utc={false} />
                    </>
                  ) : null}
                </td>
                <td>{x.attempts}</td>
                <td>{x.lastError ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
