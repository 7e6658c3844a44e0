// The operator's local mailbox: the mail Convene kept instead of sending (no SMTP_URL).
// A message's HTML is shown in a sandboxed iframe from the server (its own strict CSP).
import { useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'wouter';
import { api } from '../api/endpoints.ts';
import { urlOf } from '../api/http.ts';
import { ROUTES } from '../api/routes.ts';
import { LoadError, Loading } from '../components/errors.tsx';
import { Field } from '../components/field.tsx';
import { Instant } from '../components/instant.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { useI18n } from '../i18n/index.tsx';
import { useResource } from '../lib/use-resource.ts';
import { useSession } from '../session.tsx';

function OperatorOnly({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const { user } = useSession();
  return user?.isOperator ? children : <p role="alert">{t('mailbox.operatorOnly')}</p>;
}

export function MailboxScreen() {
  const { t } = useI18n();
  return (
    <div className="page">
      <PageHeading title={t('mailbox.title')} />
      <OperatorOnly>
        <MailboxList />
      </OperatorOnly>
    </div>
  );
}

function MailboxList() {
  const { t } = useI18n();
  const [filter, setFilter] = useState('');
  const [applied, setApplied] = useState('');
  const mailbox = useResource(() => api.mailbox({ to: applied || undefined, limit: 200 }), [applied]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setApplied(filter.trim());
  };
  return (
    <>
      <p>{mailbox.data?.mode === 'smtp' ? t('mailbox.smtpMode') : t('mailbox.intro')}</p>
      <form onSubmit={submit} className="inline-form" role="search">
        <Field label={t('mailbox.filter')}>
          {(props) => <input {...props} type="text" name="to" value={filter} onChange={(e) => setFilter(e.target.value)} />}
        </Field>
        <button type="submit" className="secondary">
          {t('mailbox.apply')}
        </button>
      </form>
      {mailbox.error ? <LoadError error={mailbox.error} onRetry={mailbox.reload} /> : null}
      {!mailbox.data ? (
        mailbox.error ? null : (
          <Loading />
        )
      ) : mailbox.data.messages.length === 0 ? (
        <p>{t('mailbox.empty')}</p>
      ) : (
        <>
          <p className="hint">{t('mailbox.count', { count: mailbox.data.messages.length })}</p>
          <div className="table-scroll">
            <table className="mailbox">
              <thead>
                <tr>
                  <th scope="col">{t('mailbox.subject')}</th>
                  <th scope="col">{t('mailbox.to')}</th>
                  <th scope="col">{t('mailbox.date')}</th>
                </tr>
              </thead>
              <tbody>
                {mailbox.data.messages.map((m) => (
                  <tr key={m.id}>
                    <td>
                      <Link href={`/mailbox/${m.id}`}>{m.subject}</Link>
                    </td>
                    <td>
                      <bdi>{m.to}</bdi>
                    </td>
                    <td>
                      <Instant iso={m.createdAt} utc={false} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}

export function MailMessageScreen({ id }: { id: string }) {
  const { t } = useI18n();
  const message = useResource(() => api.mailboxMessage(id), [id]);
  const m = message.data;
  return (
    <div className="page">
      <PageHeading title={m?.subject ?? t('mailbox.title')} />
      <p>
        <Link href="/mailbox">{t('mailbox.back')}</Link>
      </p>
      <OperatorOnly>
        {message.error ? <LoadError error={message.error} onRetry={message.reload} /> : null}
        {!m ? (
          message.error ? null : (
            <Loading />
          )
        ) : (
          <>
            <dl className="facts">
              <div>
                <dt>{t('mailbox.from')}</dt>
                <dd>
                  <bdi>{m.from}</bdi>
                </dd>
              </div>
              <div>
                <dt>{t('mailbox.to')}</dt>
                <dd>
                  <bdi>{m.to}</bdi>
                </dd>
              </div>
              <div>
                <dt>{t('mailbox.date')}</dt>
                <dd>
                  <Instant iso={m.createdAt} />
                </dd>
              </div>
            </dl>
            <section aria-labelledby="mail-html-title">
              <h2 id="mail-html-title">{t('mailbox.html')}</h2>
              {/* An empty sandbox: no scripts, no same-origin access, no forms, no top navigation. */}
              <iframe
                className="mail-frame"
                sandbox=""
                title={t('mailbox.htmlFrame', { subject: m.subject })}
                src={urlOf(ROUTES.mailboxHtml, { params: { id } })}
              />
            </section>
            <section aria-labelledby="mail-text-title">
              <h2 id="mail-text-title">{t('mailbox.text')}</h2>
              <pre className="mail-text" data-testid="mail-text" tabIndex={0}>
                {m.text}
              </pre>
            </section>
          </>
        )}
      </OperatorOnly>
    </div>
  );
}
