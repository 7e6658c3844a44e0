// My profile (name, affiliation, language) and my sessions: sign one out, or all of them;
// the way to my notification settings.
import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { api, type SessionInfo } from '../api/endpoints.ts';
import { useAnnounce } from '../components/announcer.tsx';
import { errorMessage, fieldError, FormError, LoadError, Loading } from '../components/errors.tsx';
import { Field } from '../components/field.tsx';
import { Instant } from '../components/instant.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { LOCALE_NAMES, LOCALES, isLocale, useI18n, type Locale } from '../i18n/index.tsx';
import { useResource } from '../lib/use-resource.ts';
import { useSession } from '../session.tsx';

export function ProfileScreen() {
  const { t } = useI18n();
  return (
    <div className="page">
      <PageHeading title={t('profile.title')} />
      <ProfileForm />
      <Sessions />
      <p>
        <Link href="/me/notifications">{t('profile.notifications')}</Link>
      </p>
      <MyData />
    </div>
  );
}

/** The person's own copy of what is held about them (server: modules/privacy); plain downloads, the session cookie goes along. */
function MyData() {
  const { t } = useI18n();
  return (
    <section className="panel" aria-labelledby="my-data-title">
      <h2 id="my-data-title">{t('profile.myData')}</h2>
      <p>{t('profile.myDataHint')}</p>
      <ul>
        <li>
          <a href="/api/me/personal-data" download="convene-personal-data.json">
            {t('profile.downloadData')}
          </a>
        </li>
        <li>
          <a href="/api/me/personal-data/comments.csv" download="convene-my-comments.csv">
            {t('profile.downloadComments')}
          </a>
        </li>
      </ul>
    </section>
  );
}

function ProfileForm() {
  const { t, locale, setLocale } = useI18n();
  const announce = useAnnounce();
  const session = useSession();
  const user = session.user!;
  const [name, setName] = useState(user.name);
  const [affiliation, setAffiliation] = useState(user.affiliation);
  const [language, setLanguage] = useState<Locale>(isLocale(user.locale) ? user.locale : locale);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const updated = await api.updateMe({ name, affiliation, locale: language });
      session.setUser(updated);
      if (language !== locale) setLocale(language);
      setSaved(true);
      announce(t('profile.saved'));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate className="panel" aria-labelledby="profile-form-title">
      <h2 id="profile-form-title" className="visually-hidden">
        {t('profile.title')}
      </h2>
      <Field label={t('profile.name')} error={fieldError(error, 'name', t)}>
        {(props) => <input {...props} type="text" name="name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label={t('profile.affiliation')} hint={t('profile.affiliationHint')} error={fieldError(error, 'affiliation', t)}>
        {(props) => (
          <input {...props} type="text" name="affiliation" autoComplete="organization" value={affiliation} onChange={(e) => setAffiliation(e.target.value)} />
        )}
      </Field>
      <Field label={t('profile.email')} hint={t('profile.emailHint')}>
        {(props) => <input {...props} type="email" name="email" value={user.email} readOnly />}
      </Field>
      <Field label={t('profile.language')} error={fieldError(error, 'locale', t)}>
        {(props) => (
          <select {...props} name="locale" value={language} onChange={(e) => setLanguage(e.target.value as Locale)}>
            {LOCALES.map((l) => (
              <option key={l} value={l} lang={l}>
                {LOCALE_NAMES[l]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? t('common.saving') : t('common.save')}
        </button>
        {saved ? <span className="ok">{t('profile.saved')}</span> : null}
      </div>
      <FormError error={error} fields={['name', 'affiliation', 'locale']} />
    </form>
  );
}

function Sessions() {
  const { t } = useI18n();
  const announce = useAnnounce();
  const session = useSession();
  const [, navigate] = useLocation();
  const sessions = useResource(() => api.sessions(), []);
  const [error, setError] = useState<unknown>(null);
  const [errorFor, setErrorFor] = useState<string | null>(null);

  const revoke = async (s: SessionInfo) => {
    setError(null);
    try {
      await api.revokeSession(s.id);
      if (s.current) {
        session.signedOut();
        navigate('/sign-in');
        return;
      }
      announce(t('sessions.revoked'));
      sessions.reload();
    } catch (err) {
      setError(err);
      setErrorFor(s.id);
      announce(errorMessage(err, t));
    }
  };
  const everywhere = async () => {
    setError(null);
    try {
      await api.signOutEverywhere();
      session.signedOut();
      navigate('/sign-in');
    } catch (err) {
      setError(err);
      setErrorFor('everywhere');
    }
  };

  return (
    <section aria-labelledby="sessions-title" className="panel">
      <h2 id="sessions-title">{t('sessions.title')}</h2>
      {sessions.error ? <LoadError error={sessions.error} onRetry={sessions.reload} /> : null}
      {sessions.data ? (
        <ul className="session-list">
          {sessions.data.sessions.map((s) => (
            <li key={s.id} className={s.current ? 'current' : ''}>
              {s.current ? <strong>{t('sessions.current')}</strong> : null}
              <dl className="facts compact">
                <div>
                  <dt>{t('sessions.started')}</dt>
                  <dd>
                    <Instant iso={s.createdAt} utc={false} />
                  </dd>
                </div>
                <div>
                  <dt>{t('sessions.lastSeen')}</dt>
                  <dd>
                    <Instant iso={s.lastSeenAt} utc={false} />
                  </dd>
                </div>
                <div>
                  <dt>{t('sessions.from')}</dt>
                  <dd>
                    <bdi>{s.ip}</bdi>
                  </dd>
                </div>
                <div>
                  <dt>{t('sessions.device')}</dt>
                  <dd className="user-agent">
                    <bdi>{s.userAgent}</bdi>
                  </dd>
                </div>
              </dl>
              <button type="button" className="secondary" onClick={() => void revoke(s)}>
                {s.current ? t('nav.signOut') : t('sessions.signOutThis')}
              </button>
              {error && errorFor === s.id ? (
                <p className="error" role="alert">
                  {errorMessage(error, t)}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      ) : sessions.error ? null : (
        <Loading />
      )}
      <p className="hint" id="everywhere-hint">
        {t('sessions.signOutEverywhereHint')}
      </p>
      <button type="button" className="danger" aria-describedby="everywhere-hint" onClick={() => void everywhere()}>
        {t('sessions.signOutEverywhere')}
      </button>
      {error && errorFor === 'everywhere' ? <FormError error={error} /> : null}
    </section>
  );
}
