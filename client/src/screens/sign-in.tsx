// Sign-in: ask for a link by e-mail. The link opens a server-rendered confirmation page
// (/sign-in/verify) that works without JavaScript and brings the person back to `next`.
import { useState, type FormEvent } from 'react';
import { api } from '../api/endpoints.ts';
import { Field } from '../components/field.tsx';
import { fieldError, FormError } from '../components/errors.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { useAnnounce } from '../components/announcer.tsx';
import { useI18n } from '../i18n/index.tsx';

export function SignInScreen({ next }: { next?: string }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.signIn({ email, ...(next && next !== '/sign-in' ? { next } : {}) });
      setSentTo(email);
      announce(t('signIn.sent', { email }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="narrow-page">
      <PageHeading title={t('signIn.title')} />
      <p>{t('signIn.intro')}</p>
      {sentTo ? (
        <div className="notice" data-testid="sign-in-sent">
          <p>{t('signIn.sent', { email: sentTo })}</p>
          <button type="button" className="secondary" onClick={() => setSentTo(null)}>
            {t('signIn.again')}
          </button>
        </div>
      ) : (
        <form onSubmit={submit} noValidate>
          <Field label={t('signIn.email')} hint={t('signIn.emailHint')} error={fieldError(error, 'email', t)}>
            {(props) => <input {...props} type="email" name="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />}
          </Field>
          <div className="actions">
            <button type="submit" disabled={busy}>
              {busy ? t('signIn.sending') : t('signIn.submit')}
            </button>
          </div>
          <FormError error={error} fields={['email']} />
        </form>
      )}
    </div>
  );
}
