// My notification settings: for each kind of personal notification, immediately, in a daily
// summary, or off. Saved together; an error is shown beside the Save button and nothing chosen is lost.
import '../i18n/documents/index.ts';
import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { docsApi, type NotificationSettings } from '../api/document-endpoints.ts';
import { useAnnounce } from '../components/announcer.tsx';
import { FormError, LoadError, Loading } from '../components/errors.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { useI18n } from '../i18n/index.tsx';
import { useResource } from '../lib/use-resource.ts';

const KINDS = ['comment_decided', 'thread_reply', 'disposition_awaiting_response', 'period_closing'] as const satisfies readonly (keyof NotificationSettings)[];
const MODES = ['immediately', 'daily', 'off'] as const;

export function NotificationSettingsScreen() {
  const { t } = useI18n();
  const announce = useAnnounce();
  const settings = useResource(() => docsApi.notificationSettings(), []);
  const [choice, setChoice] = useState<NotificationSettings | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (settings.data && !choice) setChoice(settings.data);
  }, [settings.data, choice]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!choice) return;
    setSaving(true);
    setError(null);
    try {
      const saved = await docsApi.updateNotificationSettings(choice);
      settings.setData(saved);
      setChoice(saved);
      announce(t('notify.saved'));
    } catch (caught) {
      setError(caught);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="page narrow-page">
      <PageHeading title={t('notify.title')} />
      <p>
        <Link href="/me">{t('notify.backToProfile')}</Link>
      </p>
      <p>{t('notify.intro')}</p>
      {settings.error && !choice ? <LoadError error={settings.error} onRetry={settings.reload} /> : null}
      {!choice ? (
        settings.error ? null : (
          <Loading />
        )
      ) : (
        <form onSubmit={submit}>
          {KINDS.map((kind) => (
            <fieldset key={kind} className="panel mode-choice">
              <legend>{t(`notify.kind.${kind}`)}</legend>
              {MODES.map((mode) => (
                <label key={mode} className="radio">
                  <input type="radio" name={kind} value={mode} checked={choice[kind] === mode} onChange={() => setChoice({ ...choice, [kind]: mode })} />
                  {t(`notify.mode.${mode}`)}
                </label>
              ))}
            </fieldset>
          ))}
          <div className="actions">
            <button type="submit" disabled={saving}>
              {saving ? t('common.saving') : t('common.save')}
            </button>
          </div>
          <FormError error={error} />
        </form>
      )}
    </div>
  );
}
