// The group's working languages (one or several of the six UN languages, the main one first):
// the digests to its list are written in each. Conveners change them here.
import { type FormEvent, useState } from 'react';
import { api, type Group } from '../api/endpoints.ts';
import { LOCALE_NAMES, LOCALES, type Locale } from '../../../locales/locales.ts';
import { useI18n } from '../i18n/index.tsx';
import { FormError } from './errors.tsx';

export function GroupLanguages({ group }: { group: Group }) {
  const { t } = useI18n();
  const [chosen, setChosen] = useState<string[]>(group.languages);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const canEdit = group.abilities['group.update'] === true;
  const shown = group.languages.map(
    (l, i) => `${LOCALE_NAMES[l as Locale] ?? l}${i === 0 && group.languages.length > 1 ? ` (${t('groupSettings.mainMark')})` : ''}`,
  );

  if (!canEdit) {
    return (
      <div>
        <dt>{t('groupSettings.languages')}</dt>
        <dd data-testid="group-languages">{shown.join(' · ')}</dd>
      </div>
    );
  }

  const toggle = (code: string) => {
    setSaved(false);
    setChosen((now) => (now.includes(code) ? now.filter((c) => c !== code) : [...now, code]));
  };
  const setMain = (code: string) => {
    setSaved(false);
    setChosen((now) => [code, ...now.filter((c) => c !== code)]);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const updated = await api.updateGroup(group.slug, { languages: chosen as Locale[] });
      setChosen(updated.languages);
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <dt>{t('groupSettings.languages')}</dt>
      <dd>
        <form onSubmit={submit} data-testid="group-languages-form">
          <fieldset>
            <legend>{t('groupSettings.hint')}</legend>
            {LOCALES.map((code) => (
              <label key={code} lang={code} dir="auto">
                <input type="checkbox" checked={chosen.includes(code)} onChange={() => toggle(code)} /> {LOCALE_NAMES[code]}
              </label>
            ))}
          </fieldset>
          <label>
            {t('groupSettings.main')}{' '}
            <select value={chosen[0] ?? ''} onChange={(e) => setMain(e.target.value)} disabled={!chosen.length}>
              {chosen.map((code) => (
                <option key={code} value={code} lang={code}>
                  {LOCALE_NAMES[code as Locale] ?? code}
                </option>
              ))}
            </select>
          </label>{' '}
          <button type="submit" disabled={busy}>
            {t('groupSettings.save')}
          </button>
          {saved ? <span role="status"> {t('groupSettings.saved')}</span> : null}
          <FormError error={error} />
        </form>
      </dd>
    </div>
  );
}
